import { StatusCode } from '@ferry/wire'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type FetchedEnvelope,
  MailboxClient,
  type MailboxServer,
  mailboxServer,
  type StoredEnvelope,
} from '../src/index.js'
import { MemoryMailboxBackend } from './fixtures/memory-mailbox-backend.js'
import { eventually, hex, randomId, startPeer, startRelay, stopAll } from './fixtures/network.js'

const payload = (n: number, size = 64): Uint8Array => new Uint8Array(size).fill(n % 256)

describe('mailbox protocol', () => {
  let backend: MemoryMailboxBackend
  let relay: Libp2p<{ mailbox: MailboxServer }>
  let alice: Libp2p
  let bob: Libp2p
  let aliceClient: MailboxClient
  let bobClient: MailboxClient

  beforeEach(async () => {
    backend = new MemoryMailboxBackend()
    relay = await startRelay({ mailbox: mailboxServer({ backend }) })
    alice = await startPeer()
    bob = await startPeer()
    aliceClient = new MailboxClient(alice)
    bobClient = new MailboxClient(bob)
  })

  afterEach(async () => {
    aliceClient.close()
    bobClient.close()
    await stopAll(alice, bob, relay)
  })

  /** Restarts the relay on the same backend, telling `onSent` how many envelopes each page or push sent. */
  async function restartRelayCountingSent(onSent: (count: number) => void): Promise<void> {
    await relay.stop()
    relay = await startRelay({
      mailbox: mailboxServer({
        backend,
        onEvent: (event) => {
          if (event.type === 'envelopes-sent') {
            onSent(event.count)
          }
        },
      }),
    })
  }

  it('deposit, fetch, ack and status round trip', async () => {
    const bobKey = await generateKeyPair('Ed25519')
    const mailboxId = await bobClient.mailboxId(bobKey, relay.peerId)
    const ids = [randomId(), randomId(), randomId()]
    const results = await aliceClient.depositMany(
      relay.getMultiaddrs(),
      ids.map((envelopeId, i) => ({ envelopeId, payload: payload(i), mailboxIds: [mailboxId] })),
    )
    expect(results.map((r) => r.status)).toEqual(['stored', 'stored', 'stored'])

    const again = await aliceClient.deposit(relay.getMultiaddrs(), {
      envelopeId: ids[0]!,
      payload: payload(0),
      mailboxIds: [mailboxId],
    })
    expect(again.status).toBe('duplicate')

    const before = await aliceClient.status(relay.getMultiaddrs(), [...ids, randomId()])
    expect(before.slice(0, 3)).toEqual(ids.map(() => ({ total: 1, pending: 1, expired: false })))
    expect(before[3]).toBeUndefined()

    const session = await bobClient.fetch(relay.getMultiaddrs(), bobKey, { live: false })
    const received: FetchedEnvelope[] = []
    for await (const envelope of session) {
      received.push(envelope)
      await session.ack([envelope.envelopeId])
    }
    await session.close()
    expect(received.map((e) => hex(e.envelopeId))).toEqual(ids.map(hex))
    expect(received.map((e) => hex(e.payload))).toEqual(ids.map((_, i) => hex(payload(i))))

    const after = await aliceClient.status(relay.getMultiaddrs(), ids)
    expect(after).toEqual(ids.map(() => ({ total: 1, pending: 0, expired: false })))
    expect(backend.held(mailboxId)).toBe(0)

    // the relay closes its side of every stream the clients closed
    aliceClient.close()
    await eventually(() => relay.services.mailbox.stats().openStreams === 0)
    expect(relay.services.mailbox.stats().sessions).toBe(0)
  })

  it('pushes new deposits live to a connected fetcher', async () => {
    const bobKey = await generateKeyPair('Ed25519')
    const mailboxId = await bobClient.mailboxId(bobKey, relay.peerId)
    const session = await bobClient.fetch(relay.getMultiaddrs(), bobKey, { live: true })
    await session.caughtUp
    const ids = Array.from({ length: 5 }, () => randomId())
    const iterator = session[Symbol.asyncIterator]()
    for (const [i, envelopeId] of ids.entries()) {
      const result = await aliceClient.deposit(relay.getMultiaddrs(), {
        envelopeId,
        payload: payload(i),
        mailboxIds: [mailboxId],
      })
      expect(result.status).toBe('stored')
      const next = await iterator.next()
      expect(next.done).toBe(false)
      expect(hex(next.value?.envelopeId ?? new Uint8Array())).toBe(hex(envelopeId))
      await session.ack([envelopeId])
    }
    await session.close()
    expect(backend.held(mailboxId)).toBe(0)
    await eventually(() => backend.subscriptions === 0)
  })

  it('sends a live deposit from the deposit itself, reading the mailbox only when the window was full', async () => {
    const bobKey = await generateKeyPair('Ed25519')
    const mailboxId = await bobClient.mailboxId(bobKey, relay.peerId)
    const session = await bobClient.fetch(relay.getMultiaddrs(), bobKey, { live: true, window: 2 })
    await session.caughtUp
    const iterator = session[Symbol.asyncIterator]()
    const listed = backend.calls.list
    const ids = Array.from({ length: 5 }, () => randomId())
    const deposit = (i: number) =>
      aliceClient.deposit(relay.getMultiaddrs(), {
        envelopeId: ids[i]!,
        payload: payload(i),
        mailboxIds: [mailboxId],
      })
    // one at a time, each acked: every one is sent as it is deposited, none read back from the store
    for (let i = 0; i < 2; i++) {
      expect((await deposit(i)).status).toBe('stored')
      const next = await iterator.next()
      expect(hex(next.value!.envelopeId)).toBe(hex(ids[i]!))
      await session.ack([ids[i]!])
    }
    expect(backend.calls.list).toBe(listed)
    // three while the window of two is in use: two go out at once, the third waits for an ack
    for (let i = 2; i < 5; i++) {
      expect((await deposit(i)).status).toBe('stored')
    }
    const sent = [await iterator.next(), await iterator.next()].map((r) => hex(r.value!.envelopeId))
    expect(sent).toEqual([hex(ids[2]!), hex(ids[3]!)])
    expect(backend.calls.list).toBe(listed)
    await session.ack([ids[2]!, ids[3]!])
    const last = await iterator.next()
    expect(hex(last.value!.envelopeId)).toBe(hex(ids[4]!))
    expect(backend.calls.list).toBeGreaterThan(listed) // the one left behind was read from the store
    await session.ack([ids[4]!])
    await session.close()
    expect(backend.held(mailboxId)).toBe(0)
  })

  it('does not send a live deposit again when its cursor is not after the last one sent', async () => {
    const listeners: Array<(envelope: StoredEnvelope) => void> = []
    const subscribe = backend.subscribe.bind(backend)
    backend.subscribe = (mailbox, listener) => {
      listeners.push(listener)
      return subscribe(mailbox, listener)
    }
    let sent = 0
    await restartRelayCountingSent((count) => {
      sent += count
    })
    const bobKey = await generateKeyPair('Ed25519')
    const mailboxId = await bobClient.mailboxId(bobKey, relay.peerId)
    const session = await bobClient.fetch(relay.getMultiaddrs(), bobKey, { live: true })
    await session.caughtUp
    const iterator = session[Symbol.asyncIterator]()
    const envelopeId = randomId()
    await aliceClient.deposit(relay.getMultiaddrs(), {
      envelopeId,
      payload: payload(1),
      mailboxIds: [mailboxId],
    })
    const first = await iterator.next()
    expect(hex(first.value!.envelopeId)).toBe(hex(envelopeId))
    expect(sent).toBe(1)
    // the same envelope announced once more (its cursor is the last one sent): nothing goes out
    const cursor = new Uint8Array(8)
    new DataView(cursor.buffer).setBigUint64(0, 1n)
    for (const listener of listeners) {
      listener({ cursor, envelopeId, payload: payload(1), depositedAt: 0, expiresAt: Date.now() + 60_000 })
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sent).toBe(1)
    await session.ack([envelopeId])
    await session.close()
  })

  it('pipelines many deposits on one stream and coalesces their results', async () => {
    const bobKey = await generateKeyPair('Ed25519')
    const mailboxId = await bobClient.mailboxId(bobKey, relay.peerId)
    const ids = Array.from({ length: 200 }, () => randomId())
    const results = await aliceClient.depositMany(
      relay.getMultiaddrs(),
      ids.map((envelopeId, i) => ({ envelopeId, payload: payload(i), mailboxIds: [mailboxId] })),
    )
    expect(results.every((r) => r.status === 'stored')).toBe(true)
    expect(backend.held(mailboxId)).toBe(200)
    // one pooled stream carried them all
    expect(relay.services.mailbox.stats().openStreams).toBeLessThanOrEqual(1)

    const session = await bobClient.fetch(relay.getMultiaddrs(), bobKey, { live: false, window: 64 })
    const seen: string[] = []
    for await (const envelope of session) {
      seen.push(hex(envelope.envelopeId))
      void session.ack([envelope.envelopeId])
    }
    await session.close()
    expect(seen).toEqual(ids.map(hex))
    await eventually(() => backend.held(mailboxId) === 0)
  })

  it('refuses with typed codes: too large, too many mailboxes, mailbox full', async () => {
    await relay.stop()
    backend = new MemoryMailboxBackend({ maxMailboxCount: 2 })
    relay = await startRelay({
      mailbox: mailboxServer({ backend, maxEnvelopeBytes: 1024, maxDepositMailboxes: 2 }),
    })
    const target = relay.getMultiaddrs()
    const mailboxId = randomId(32)

    const large = await aliceClient.deposit(target, {
      envelopeId: randomId(),
      payload: new Uint8Array(2048),
      mailboxIds: [mailboxId],
    })
    expect(large).toMatchObject({ status: 'refused', code: StatusCode.TOO_LARGE, reason: 'TOO_LARGE' })

    const many = await aliceClient.deposit(target, {
      envelopeId: randomId(),
      payload: payload(1),
      mailboxIds: [randomId(32), randomId(32), randomId(32)],
    })
    expect(many).toMatchObject({ status: 'refused', code: StatusCode.TOO_MANY_MAILBOXES })

    for (let i = 0; i < 2; i++) {
      const ok = await aliceClient.deposit(target, {
        envelopeId: randomId(),
        payload: payload(i),
        mailboxIds: [mailboxId],
      })
      expect(ok.status).toBe('stored')
    }
    const full = await aliceClient.deposit(target, {
      envelopeId: randomId(),
      payload: payload(3),
      mailboxIds: [mailboxId],
    })
    expect(full).toMatchObject({ status: 'refused', code: StatusCode.MAILBOX_FULL, reason: 'MAILBOX_FULL' })
    // refused, never evicted
    expect(backend.held(mailboxId)).toBe(2)
  })

  it('rate limits deposits per peer with a typed code, leaving other peers unaffected', async () => {
    await relay.stop()
    relay = await startRelay({
      mailbox: mailboxServer({ backend, depositBurstPerPeer: 5, depositRatePerPeerPerSecond: 0 }),
    })
    const target = relay.getMultiaddrs()
    const mailboxId = randomId(32)
    const results = await aliceClient.depositMany(
      target,
      Array.from({ length: 8 }, (_, i) => ({
        envelopeId: randomId(),
        payload: payload(i),
        mailboxIds: [mailboxId],
      })),
    )
    expect(results.filter((r) => r.status === 'stored')).toHaveLength(5)
    expect(results.filter((r) => r.status === 'refused' && r.code === StatusCode.RATE_LIMITED)).toHaveLength(
      3,
    )
    const other = await bobClient.deposit(target, {
      envelopeId: randomId(),
      payload: payload(9),
      mailboxIds: [mailboxId],
    })
    expect(other.status).toBe('stored')
  })

  it('finishes in-flight deposits when the service stops, then takes no new streams', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const deposit = backend.deposit.bind(backend)
    let started = 0
    backend.deposit = async (request) => {
      started++
      await gate
      return deposit(request)
    }
    const target = relay.getMultiaddrs()
    const pending = aliceClient.deposit(target, {
      envelopeId: randomId(),
      payload: payload(1),
      mailboxIds: [randomId(32)],
    })
    await eventually(() => started === 1)
    const stopping = relay.services.mailbox.stop()
    await new Promise((resolve) => setTimeout(resolve, 50))
    release()
    expect((await pending).status).toBe('stored')
    await stopping
    expect(relay.services.mailbox.stats().openStreams).toBe(0)
    await expect(bobClient.status(target, [randomId()])).rejects.toThrow()
  })

  it('sends no more than the window of unacked envelopes, and more as acks come back', async () => {
    const sent: number[] = []
    await restartRelayCountingSent((count) => {
      sent.push(count)
    })
    const bobKey = await generateKeyPair('Ed25519')
    const mailboxId = await bobClient.mailboxId(bobKey, relay.peerId)
    const ids = Array.from({ length: 10 }, () => randomId())
    await aliceClient.depositMany(
      relay.getMultiaddrs(),
      ids.map((envelopeId, i) => ({ envelopeId, payload: payload(i), mailboxIds: [mailboxId] })),
    )
    const session = await bobClient.fetch(relay.getMultiaddrs(), bobKey, { live: true, window: 3 })
    const iterator = session[Symbol.asyncIterator]()
    const first = await Promise.all([iterator.next(), iterator.next(), iterator.next()])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(sent.reduce((a, b) => a + b, 0)).toBe(3) // nothing more until acks come back
    await session.ack(first.map((r) => r.value!.envelopeId))
    const seen = first.map((r) => hex(r.value!.envelopeId))
    while (seen.length < 10) {
      const next = await iterator.next()
      seen.push(hex(next.value!.envelopeId))
      await session.ack([next.value!.envelopeId])
    }
    expect(seen).toEqual(ids.map(hex))
    await session.close()
    expect(backend.held(mailboxId)).toBe(0)
  })

  it('frees window slots when an ack arrives, and answers the ack only once its write lands', async () => {
    const bobKey = await generateKeyPair('Ed25519')
    const mailboxId = await bobClient.mailboxId(bobKey, relay.peerId)
    const ids = Array.from({ length: 6 }, () => randomId())
    await aliceClient.depositMany(
      relay.getMultiaddrs(),
      ids.map((envelopeId, i) => ({ envelopeId, payload: payload(i), mailboxIds: [mailboxId] })),
    )
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const ack = backend.ack.bind(backend)
    let ackLanded = false
    backend.ack = async (...args: Parameters<typeof ack>) => {
      await gate
      const acked = await ack(...args)
      ackLanded = true
      return acked
    }
    const session = await bobClient.fetch(relay.getMultiaddrs(), bobKey, { live: false, window: 3 })
    const iterator = session[Symbol.asyncIterator]()
    const first = await Promise.all([iterator.next(), iterator.next(), iterator.next()])
    let answered = false
    const acking = session.ack(first.map((r) => r.value!.envelopeId)).then(() => {
      answered = true
    })
    // the next three come while the first ack's write is still held back
    const rest = await Promise.all([iterator.next(), iterator.next(), iterator.next()])
    expect([...first, ...rest].map((r) => hex(r.value!.envelopeId))).toEqual(ids.map(hex))
    expect(ackLanded).toBe(false)
    expect(answered).toBe(false)
    expect(backend.held(mailboxId)).toBe(6)
    release()
    await acking
    expect(ackLanded).toBe(true)
    await session.ack(rest.map((r) => r.value!.envelopeId))
    await session.close()
    expect(backend.held(mailboxId)).toBe(0)
  })

  it('answers storage failures with STORAGE_ERROR, for deposits and for acks', async () => {
    const bobKey = await generateKeyPair('Ed25519')
    const mailboxId = await bobClient.mailboxId(bobKey, relay.peerId)
    const envelopeId = randomId()
    await aliceClient.deposit(relay.getMultiaddrs(), {
      envelopeId,
      payload: payload(1),
      mailboxIds: [mailboxId],
    })
    backend.failWrites = true
    const refused = await aliceClient.deposit(relay.getMultiaddrs(), {
      envelopeId: randomId(),
      payload: payload(2),
      mailboxIds: [mailboxId],
    })
    expect(refused).toMatchObject({ status: 'refused', code: StatusCode.STORAGE_ERROR })
    const session = await bobClient.fetch(relay.getMultiaddrs(), bobKey, { live: false })
    for await (const envelope of session) {
      await expect(session.ack([envelope.envelopeId])).rejects.toMatchObject({
        name: 'RequestRefusedError',
        code: StatusCode.STORAGE_ERROR,
      })
    }
    await session.close()
    backend.failWrites = false
    expect(backend.held(mailboxId)).toBe(1) // nothing half-done: the envelope is still there to fetch again
  })
})
