/**
 * Mailbox access control (FAULTS 23, 24): every failed proof of ownership gets the same answer as an
 * empty mailbox, nothing is disclosed or deleted, and depositing grants no right to read or ack.
 */

import {
  MailboxRequest,
  MailboxResponse,
  PROTOCOL_MAILBOX,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  MailboxClient,
  type MailboxServer,
  mailboxAuthPayload,
  mailboxIdFor,
  mailboxServer,
} from '../src/index.js'
import { MemoryMailboxBackend } from './fixtures/memory-mailbox-backend.js'
import { hex, randomId, startPeer, startRelay, stopAll } from './fixtures/network.js'
import { RawStream } from './fixtures/raw-stream.js'

const request = (body: Parameters<typeof MailboxRequest.encode>[0]): Uint8Array =>
  MailboxRequest.encode({ ...body, version: RELAY_PROTOCOL_VERSION })

async function challenge(raw: RawStream, mailboxId: Uint8Array): Promise<Uint8Array> {
  raw.sendFrame(request({ version: 1, challenge: { mailboxId } }))
  const frame = await raw.next()
  const response = MailboxResponse.decode(frame!)
  expect(response.status).toBe(StatusCode.OK)
  return response.challenge!.nonce
}

function fetchFrame(mailboxId: Uint8Array, publicKey: Uint8Array, nonce: Uint8Array, signature: Uint8Array) {
  return request({ version: 1, fetch: { mailboxId, publicKey, nonce, signature, live: false, window: 16 } })
}

describe('mailbox access control', () => {
  let backend: MemoryMailboxBackend
  let now: number
  let relay: Libp2p<{ mailbox: MailboxServer }>
  let bob: Libp2p
  let mallory: Libp2p
  let bobKey: PrivateKey
  let bobMailbox: Uint8Array
  let envelopeIds: Uint8Array[]

  beforeEach(async () => {
    now = 1_000_000
    backend = new MemoryMailboxBackend({ now: () => now })
    relay = await startRelay({ mailbox: mailboxServer({ backend, now: () => now, challengeTtlMs: 60_000 }) })
    bob = await startPeer()
    mallory = await startPeer()
    bobKey = await generateKeyPair('Ed25519')
    bobMailbox = await mailboxIdFor(bobKey.publicKey.raw, relay.peerId)
    envelopeIds = [randomId(), randomId()]
    const depositor = new MailboxClient(mallory)
    for (const envelopeId of envelopeIds) {
      const result = await depositor.deposit(relay.getMultiaddrs(), {
        envelopeId,
        payload: new Uint8Array([1, 2, 3]),
        mailboxIds: [bobMailbox],
      })
      expect(result.status).toBe('stored')
    }
    depositor.close()
  })

  afterEach(async () => {
    await stopAll(bob, mallory, relay)
  })

  /** Sends `fetch` on `raw`, then an ack of Bob's envelopes; returns every reply as hex. */
  async function exchange(raw: RawStream, fetch: Uint8Array): Promise<string[]> {
    raw.sendFrame(fetch)
    const page = await raw.next()
    raw.sendFrame(request({ version: 1, ack: { seq: 7, envelopeIds } }))
    const ack = await raw.next()
    await raw.stream.close()
    const rest = await raw.drain()
    return [page!, ack!, ...rest].map(hex)
  }

  it('answers a wrong key, a forged, missing, reused, foreign or expired proof like an empty mailbox', async () => {
    const target = relay.getMultiaddrs()
    const answers: Record<string, string[]> = {}

    // the reference: a valid proof for a mailbox that holds nothing
    const emptyKey = await generateKeyPair('Ed25519')
    const emptyMailbox = await mailboxIdFor(emptyKey.publicKey.raw, relay.peerId)
    {
      const raw = await RawStream.open(mallory, target, PROTOCOL_MAILBOX)
      const nonce = await challenge(raw, emptyMailbox)
      const signature = await emptyKey.sign(
        mailboxAuthPayload(relay.peerId, emptyMailbox, nonce, mallory.peerId),
      )
      answers.unknownMailbox = await exchange(
        raw,
        fetchFrame(emptyMailbox, emptyKey.publicKey.raw, nonce, signature),
      )
    }
    const acksBefore = backend.calls.ack
    const listsBefore = backend.calls.list

    const malloryKey = await generateKeyPair('Ed25519')
    {
      // Mallory signs for Bob's mailbox with her own key
      const raw = await RawStream.open(mallory, target, PROTOCOL_MAILBOX)
      const nonce = await challenge(raw, bobMailbox)
      const signature = await malloryKey.sign(
        mailboxAuthPayload(relay.peerId, bobMailbox, nonce, mallory.peerId),
      )
      answers.wrongKey = await exchange(
        raw,
        fetchFrame(bobMailbox, malloryKey.publicKey.raw, nonce, signature),
      )
    }
    {
      // Bob's public key with Mallory's signature
      const raw = await RawStream.open(mallory, target, PROTOCOL_MAILBOX)
      const nonce = await challenge(raw, bobMailbox)
      const signature = await malloryKey.sign(
        mailboxAuthPayload(relay.peerId, bobMailbox, nonce, mallory.peerId),
      )
      answers.forged = await exchange(raw, fetchFrame(bobMailbox, bobKey.publicKey.raw, nonce, signature))
    }
    {
      // no signature at all
      const raw = await RawStream.open(mallory, target, PROTOCOL_MAILBOX)
      const nonce = await challenge(raw, bobMailbox)
      answers.noSignature = await exchange(
        raw,
        fetchFrame(bobMailbox, bobKey.publicKey.raw, nonce, new Uint8Array(64)),
      )
    }
    {
      // a valid proof replayed: Bob's own, sent again on a second stream of the same connection
      const first = await RawStream.open(bob, target, PROTOCOL_MAILBOX)
      const nonce = await challenge(first, bobMailbox)
      const signature = await bobKey.sign(mailboxAuthPayload(relay.peerId, bobMailbox, nonce, bob.peerId))
      const frame = fetchFrame(bobMailbox, bobKey.publicKey.raw, nonce, signature)
      first.sendFrame(frame)
      const page = MailboxResponse.decode((await first.next())!)
      expect(page.page?.envelopes).toHaveLength(2) // the genuine session sees Bob's mail
      first.stream.abort(new Error('done'))
      const replay = await RawStream.open(bob, target, PROTOCOL_MAILBOX)
      answers.reusedNonce = await exchange(replay, frame)
    }
    {
      // a nonce issued on another connection, with a signature valid for the same client PeerId
      const twin = await startPeer()
      try {
        const raw = await RawStream.open(twin, target, PROTOCOL_MAILBOX)
        const nonce = await challenge(raw, bobMailbox)
        const signature = await bobKey.sign(
          mailboxAuthPayload(relay.peerId, bobMailbox, nonce, mallory.peerId),
        )
        // Mallory's connection presents the nonce the twin's connection was given
        const foreign = await RawStream.open(mallory, target, PROTOCOL_MAILBOX)
        answers.foreignNonce = await exchange(
          foreign,
          fetchFrame(bobMailbox, bobKey.publicKey.raw, nonce, signature),
        )
        raw.stream.abort(new Error('done'))
      } finally {
        await twin.stop()
      }
    }
    {
      // a nonce past its lifetime
      const raw = await RawStream.open(bob, target, PROTOCOL_MAILBOX)
      const nonce = await challenge(raw, bobMailbox)
      const signature = await bobKey.sign(mailboxAuthPayload(relay.peerId, bobMailbox, nonce, bob.peerId))
      now += 60_001
      answers.expired = await exchange(raw, fetchFrame(bobMailbox, bobKey.publicKey.raw, nonce, signature))
    }
    {
      // a nonce issued for another mailbox
      const raw = await RawStream.open(bob, target, PROTOCOL_MAILBOX)
      const nonce = await challenge(raw, emptyMailbox)
      const signature = await bobKey.sign(mailboxAuthPayload(relay.peerId, bobMailbox, nonce, bob.peerId))
      answers.otherScope = await exchange(raw, fetchFrame(bobMailbox, bobKey.publicKey.raw, nonce, signature))
    }

    const reference = answers.unknownMailbox!
    const page = MailboxResponse.decode(Buffer.from(reference[0]!, 'hex'))
    expect(page.page).toEqual({ envelopes: [], caughtUp: true })
    for (const [name, answer] of Object.entries(answers)) {
      expect({ name, answer }).toEqual({ name, answer: reference })
    }
    // nothing was read for, acked on, or deleted from Bob's mailbox by any failed proof
    expect(backend.calls.ack).toBe(acksBefore)
    expect(backend.calls.list).toBe(listsBefore + 1) // only Bob's genuine session listed
    expect(backend.held(bobMailbox)).toBe(2)
    const status = await backend.status(envelopeIds[0]!)
    expect(status).toEqual({ total: 1, pending: 1, expired: false })
  })

  it("ignores acks of another mailbox's envelopes", async () => {
    const target = relay.getMultiaddrs()
    const malloryKey = await generateKeyPair('Ed25519')
    const malloryMailbox = await mailboxIdFor(malloryKey.publicKey.raw, relay.peerId)
    const raw = await RawStream.open(mallory, target, PROTOCOL_MAILBOX)
    const nonce = await challenge(raw, malloryMailbox)
    const signature = await malloryKey.sign(
      mailboxAuthPayload(relay.peerId, malloryMailbox, nonce, mallory.peerId),
    )
    const answer = await exchange(raw, fetchFrame(malloryMailbox, malloryKey.publicKey.raw, nonce, signature))
    const ack = MailboxResponse.decode(Buffer.from(answer[1]!, 'hex'))
    expect(ack).toMatchObject({ status: StatusCode.OK, ack: { seq: 7 } })
    // her (genuine) session forwarded the acks, which changed nothing for Bob
    expect(backend.calls.ack).toBe(1)
    expect(backend.held(bobMailbox)).toBe(2)
    for (const envelopeId of envelopeIds) {
      expect(backend.has(envelopeId)).toBe(true)
      expect(await backend.status(envelopeId)).toEqual({ total: 1, pending: 1, expired: false })
    }
  })

  it('grants a depositor no right to ack: an ack outside a fetch session is refused', async () => {
    const raw = await RawStream.open(mallory, relay.getMultiaddrs(), PROTOCOL_MAILBOX)
    raw.sendFrame(
      request({
        version: 1,
        deposit: {
          seq: 1,
          envelopeId: randomId(),
          payload: new Uint8Array([9]),
          mailboxIds: [bobMailbox],
          ttlMs: 0,
        },
      }),
    )
    const deposit = MailboxResponse.decode((await raw.next())!)
    expect(deposit.deposit?.results[0]?.status).toBe(StatusCode.OK)
    raw.sendFrame(request({ version: 1, ack: { seq: 1, envelopeIds } }))
    const refusal = MailboxResponse.decode((await raw.next())!)
    expect(refusal.status).toBe(StatusCode.BAD_REQUEST)
    expect(await raw.ended).toBeDefined()
    expect(backend.calls.ack).toBe(0)
    expect(backend.held(bobMailbox)).toBe(3)
  })

  it('lets the owner fetch and ack through the client after all of the above', async () => {
    const client = new MailboxClient(bob)
    const session = await client.fetch(relay.getMultiaddrs(), bobKey, { live: false })
    const seen: string[] = []
    for await (const envelope of session) {
      seen.push(hex(envelope.envelopeId))
      await session.ack([envelope.envelopeId])
    }
    await session.close()
    expect(seen).toEqual(envelopeIds.map(hex))
    expect(backend.held(bobMailbox)).toBe(0)
  })
})
