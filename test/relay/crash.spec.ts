/**
 * Crashes of a real relay process (FAULTS 18, 19, 22): SIGKILL at random moments during a stream of
 * deposits loses no acknowledged deposit and duplicates none; a crash after a live push but before the
 * device's ack redelivers; expiry sweeps interleaved with acks and a crash delete exactly what they
 * should and nothing reappears. Every loop is bounded in count and time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type DepositLog,
  type Device,
  depositLoop,
  fetchAll,
  hex,
  newMailbox,
  randomId,
  startDevice,
} from './helpers/clients.js'
import { buildRelay, LOOPBACK_ARGS, RelayProcess } from './helpers/relay-process.js'

const root = mkdtempSync(join(tmpdir(), 'ferry-relay-crash-'))
let counter = 0
const freshDir = (): string => join(root, `relay-${++counter}`)
const running: RelayProcess[] = []
const devices: Device[] = []

async function start(dataDir: string, args: string[] = LOOPBACK_ARGS): Promise<RelayProcess> {
  const relay = await RelayProcess.start(dataDir, { args })
  running.push(relay)
  return relay
}

async function device(): Promise<Device> {
  const d = await startDevice()
  devices.push(d)
  return d
}

/** A small deterministic generator (mulberry32), so the kill moments are reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sleep = async (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

beforeAll(() => {
  buildRelay()
}, 120_000)

afterEach(async () => {
  await Promise.all(running.splice(0).map(async (relay) => relay.stop('SIGKILL')))
  await Promise.all(devices.splice(0).map(async (d) => d.close()))
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('a relay killed with SIGKILL', () => {
  it('at random moments during deposits loses no acknowledged deposit and stores none twice (FAULTS 18)', async () => {
    const KILLS = 4
    const next = random(18)
    const dir = freshDir()
    const senders = [await device(), await device()]
    const reader = await device()
    let relay = await start(dir)
    const mailboxes = await Promise.all(senders.map(async () => newMailbox(reader, relay.peerId)))
    const logs: DepositLog[] = senders.map(() => ({
      acked: new Set(),
      attempted: new Set(),
      unanswered: new Set(),
      refused: 0,
    }))

    for (let kill = 0; kill < KILLS; kill++) {
      const stop = new AbortController()
      const loops = senders.map(async (sender, i) =>
        depositLoop(sender, relay.addrs, mailboxes[i]!, { stop: stop.signal, maxCount: 5_000 }, logs[i]),
      )
      const before = logs.reduce((n, log) => n + log.acked.size, 0)
      // a random moment once deposits flow: after 20 to 220 more acknowledgements (bounded by 5 s)
      const target = before + 20 + Math.floor(next() * 200)
      const deadline = Date.now() + 5_000
      while (logs.reduce((n, log) => n + log.acked.size, 0) < target && Date.now() < deadline) {
        await sleep(2)
      }
      relay.child.kill('SIGKILL')
      expect((await relay.exited).signal).toBe('SIGKILL')
      stop.abort()
      await Promise.all(loops)
      relay = await start(dir)
    }

    // a sender retries what was never answered, and re-sends some acknowledged ones: each is stored at most once
    for (const [i, log] of logs.entries()) {
      const retry = [...log.unanswered, ...[...log.acked].slice(0, 20)]
      for (const id of retry) {
        const result = await senders[i]!.mailboxes.deposit(relay.addrs, {
          envelopeId: Buffer.from(id, 'hex'),
          payload: new Uint8Array(1024),
          mailboxIds: [mailboxes[i]!.id],
        })
        expect(result.status === 'stored' || result.status === 'duplicate').toBe(true)
        if (log.acked.has(id)) {
          expect(result.status).toBe('duplicate')
        }
        log.acked.add(id)
      }
    }

    let total = 0
    for (const [i, log] of logs.entries()) {
      const held = await fetchAll(reader, relay.addrs, mailboxes[i]!)
      expect(new Set(held).size).toBe(held.length)
      expect(held.filter((id) => !log.acked.has(id))).toEqual([])
      expect([...log.acked].filter((id) => !held.includes(id))).toEqual([])
      total += held.length
    }
    expect(total).toBeGreaterThan(KILLS * 20)
  })

  it('after pushing envelopes to a fetching device but before its ack, redelivers them (FAULTS 19)', async () => {
    const dir = freshDir()
    let relay = await start(dir)
    const sender = await device()
    const recipient = await device()
    const mailbox = await newMailbox(recipient, relay.peerId)

    const session = await recipient.mailboxes.fetch(relay.addrs, mailbox.key, {
      live: true,
      signal: AbortSignal.timeout(20_000),
    })
    await session.caughtUp
    const ids = Array.from({ length: 20 }, () => randomId())
    const results = await sender.mailboxes.depositMany(
      relay.addrs,
      ids.map((envelopeId) => ({ envelopeId, payload: randomId(512), mailboxIds: [mailbox.id] })),
    )
    expect(results.every((r) => r.status === 'stored')).toBe(true)

    const pushed: string[] = []
    for await (const envelope of session) {
      pushed.push(hex(envelope.envelopeId))
      if (pushed.length === ids.length) {
        break
      }
    }
    expect(pushed).toEqual(ids.map(hex))
    // the device stores and acks the first half; the relay dies before the rest are acked
    const sessionAgain = await recipient.mailboxes.fetch(relay.addrs, mailbox.key, {
      live: false,
      signal: AbortSignal.timeout(20_000),
    })
    const acked: string[] = []
    for await (const envelope of sessionAgain) {
      if (acked.length < 10) {
        await sessionAgain.ack([envelope.envelopeId])
        acked.push(hex(envelope.envelopeId))
      }
    }
    relay.child.kill('SIGKILL')
    await relay.exited
    await session.close().catch(() => {})

    relay = await start(dir)
    const redelivered = await fetchAll(recipient, relay.addrs, mailbox)
    expect(redelivered).toEqual(ids.slice(10).map(hex))
    expect(acked).toEqual(ids.slice(0, 10).map(hex))
  })
})

describe('expiry sweeps interleaved with acks and a crash (FAULTS 22)', () => {
  it('delete a payload only when every listed mailbox acked it or its TTL passed, and nothing reappears', async () => {
    const dir = freshDir()
    const config = join(root, `expiry-${counter}.json`)
    writeFileSync(
      config,
      JSON.stringify({
        mailbox: { maxTtlMs: 3_600_000, sweepIntervalMs: 50, statusTombstoneTtlMs: 3_600_000 },
      }),
    )
    const args = [...LOOPBACK_ARGS, '--config', config]
    let relay = await start(dir, args)
    const sender = await device()
    const owner = await device()
    const m1 = await newMailbox(owner, relay.peerId)
    const m2 = await newMailbox(owner, relay.peerId)
    const SHORT_TTL_MS = 1_500

    // S: short TTL (expires on the relay clock); L: long TTL. Both listed for m1 and m2.
    const S = Array.from({ length: 20 }, () => randomId())
    const L = Array.from({ length: 20 }, () => randomId())
    const deposited = Date.now()
    const results = await sender.mailboxes.depositMany(relay.addrs, [
      ...S.map((envelopeId) => ({
        envelopeId,
        payload: randomId(300),
        mailboxIds: [m1.id, m2.id],
        ttlMs: SHORT_TTL_MS,
      })),
      ...L.map((envelopeId) => ({ envelopeId, payload: randomId(300), mailboxIds: [m1.id, m2.id] })),
    ])
    expect(results.every((r) => r.status === 'stored')).toBe(true)

    // m1 acks half of S and the first half of L at once
    const ackAll = async (mailbox: typeof m1, ids: Uint8Array[]): Promise<void> => {
      const wanted = new Set(ids.map(hex))
      const session = await owner.mailboxes.fetch(relay.addrs, mailbox.key, {
        live: false,
        signal: AbortSignal.timeout(10_000),
      })
      for await (const envelope of session) {
        if (wanted.has(hex(envelope.envelopeId))) {
          await session.ack([envelope.envelopeId])
        }
      }
    }
    await ackAll(m1, [...S.slice(0, 10), ...L.slice(0, 10)])

    // m2 acks L[5..15) one at a time while sweeps run every 50 ms and S passes its TTL
    for (const id of L.slice(5, 15)) {
      await ackAll(m2, [id])
      await sleep(Math.max(0, (SHORT_TTL_MS + 300 - (Date.now() - deposited)) / 10))
    }
    while (Date.now() - deposited < SHORT_TTL_MS + 300) {
      await sleep(20)
    }
    // crash in the middle of further acks (m2 acking L[15..20) without waiting)
    const session = await owner.mailboxes.fetch(relay.addrs, m2.key, {
      live: false,
      signal: AbortSignal.timeout(10_000),
    })
    const late = new Set(L.slice(15).map(hex))
    const inFlight: Promise<unknown>[] = []
    for await (const envelope of session) {
      if (late.has(hex(envelope.envelopeId))) {
        inFlight.push(session.ack([envelope.envelopeId]).catch(() => {}))
        relay.child.kill('SIGKILL')
        break
      }
    }
    await relay.exited
    await Promise.allSettled(inFlight)

    relay = await start(dir, args)
    // give the sweep (every 50 ms) a few runs on the restarted relay
    await sleep(300)
    const held1 = await fetchAll(owner, relay.addrs, m1)
    const held2 = await fetchAll(owner, relay.addrs, m2)
    const s = new Set(S.map(hex))
    // S is gone from both mailboxes: acked or not, its TTL passed
    expect(held1.filter((id) => s.has(id))).toEqual([])
    expect(held2.filter((id) => s.has(id))).toEqual([])
    // m1 holds exactly the L it did not ack
    expect(held1).toEqual(L.slice(10).map(hex))
    // m2 holds L minus what it acked; the ack in flight at the crash may or may not have landed
    const certain2 = [...L.slice(0, 5), ...L.slice(16)].map(hex)
    expect(held2.filter((id) => id !== hex(L[15]!))).toEqual(certain2)

    // on disk: S's payloads were swept; L[5..10) was acked by both, so its payloads went too
    const metrics = await (await fetch(`${relay.metricsUrl}/metrics`)).text()
    expect(metrics).toMatch(/^ferry_relay_stored_envelopes 15$/m)

    const statuses = await owner.mailboxes.status(relay.addrs, [...S, ...L])
    for (const status of statuses.slice(0, S.length)) {
      expect(status).toMatchObject({ expired: true })
    }
    // L[5..10) was acked by both: delivered (pending 0), not expired; L[0..5) waits for m2 only
    for (const status of statuses.slice(S.length + 5, S.length + 10)) {
      expect(status).toEqual({ total: 2, pending: 0, expired: false })
    }
    for (const status of statuses.slice(S.length, S.length + 5)) {
      expect(status).toEqual({ total: 2, pending: 1, expired: false })
    }
    // an expired envelope deposited again is not brought back
    const again = await sender.mailboxes.deposit(relay.addrs, {
      envelopeId: S[0]!,
      payload: randomId(300),
      mailboxIds: [m1.id],
    })
    expect(again.status).not.toBe('stored')
    expect((await fetchAll(owner, relay.addrs, m1)).filter((id) => s.has(id))).toEqual([])
  })
})
