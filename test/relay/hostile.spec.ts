/**
 * Hostile input against a real relay process (FAULTS 14, 23, 24, 26): random bytes, a 10 MiB frame,
 * a 2^32 length prefix, 1,000 streams from one peer and a slow-loris stream are each refused or reset
 * by a limit while an honest device keeps depositing; a fetch or ack with the wrong key, no signature
 * or a foreign challenge gets an empty mailbox and deletes nothing; depositing grants no ack.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mailboxAuthPayload, mailboxPublicKey } from '@ferry/transport'
import {
  MailboxRequest,
  MailboxResponse,
  PROTOCOL_MAILBOX,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Connection } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type Device,
  fetchAll,
  hex,
  type Mailbox,
  newMailbox,
  RawStream,
  randomId,
  startDevice,
} from './helpers/clients.js'
import { buildRelay, LOOPBACK_ARGS, RelayProcess } from './helpers/relay-process.js'

const FRAME_TIMEOUT_MS = 500
const root = mkdtempSync(join(tmpdir(), 'ferry-relay-hostile-'))
const configPath = join(root, 'config.json')
let relay: RelayProcess
let honest: Device
let attacker: Device
let honestMailbox: Mailbox

beforeAll(async () => {
  buildRelay()
  writeFileSync(
    configPath,
    JSON.stringify({
      streams: { frameTimeoutMs: FRAME_TIMEOUT_MS },
      mailbox: { depositBurstPerPeer: 100_000, depositRatePerPeerPerSecond: 100_000 },
    }),
  )
  relay = await RelayProcess.start(join(root, 'relay'), { args: [...LOOPBACK_ARGS, '--config', configPath] })
}, 120_000)

afterAll(async () => {
  await relay?.stop('SIGKILL')
  rmSync(root, { recursive: true, force: true })
})

beforeEach(async () => {
  honest = await startDevice()
  attacker = await startDevice()
  honestMailbox = await newMailbox(honest, relay.peerId)
})

afterEach(async () => {
  await Promise.all([honest.close(), attacker.close()])
})

/** Deposits from the honest device until `attack` settles (at least 3, at most 5,000); all must be stored. */
async function whileServingOthers<T>(attack: Promise<T>): Promise<T> {
  let done = false
  const finished = attack.finally(() => {
    done = true
  })
  finished.catch(() => {})
  let stored = 0
  while ((!done || stored < 3) && stored < 5_000) {
    const result = await honest.mailboxes.deposit(
      relay.addrs,
      { envelopeId: randomId(), payload: new Uint8Array(256), mailboxIds: [honestMailbox.id] },
      { signal: AbortSignal.timeout(10_000) },
    )
    expect(result.status).toBe('stored')
    stored++
  }
  return finished
}

function varint(value: number): Uint8Array {
  const out: number[] = []
  let v = value
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80)
    v = Math.floor(v / 0x80)
  }
  out.push(v)
  return Uint8Array.from(out)
}

/** The refusal a relay sends before resetting a stream, if any arrived. */
async function refusalOf(raw: RawStream): Promise<number | undefined> {
  try {
    return MailboxResponse.decode(await raw.next(5_000)).status
  } catch {
    return undefined
  }
}

async function mailboxMetric(name: string): Promise<string> {
  const text = await (await fetch(`${relay.metricsUrl}/metrics`)).text()
  return text
    .split('\n')
    .filter((line) => line.startsWith(name))
    .join('\n')
}

describe('bad input against the relay process, while an honest device is served (FAULTS 14, 26)', () => {
  it('refuses a 10 MiB frame from its length prefix and resets the stream', async () => {
    const raw = await RawStream.open(attacker.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
    const attack = (async () => {
      raw.send(varint(10 * 1024 * 1024))
      const chunk = new Uint8Array(64 * 1024)
      // the relay must not wait for (or buffer) the rest: send at most 10 MiB, stop once it ends the stream
      for (let sent = 0; sent < 10 * 1024 * 1024 && raw.stream.status === 'open'; sent += chunk.byteLength) {
        try {
          if (!raw.stream.send(chunk)) {
            await raw.stream.onDrain({ signal: AbortSignal.timeout(5_000) })
          }
        } catch {
          break
        }
      }
      return refusalOf(raw)
    })()
    const status = await whileServingOthers(attack)
    expect(status).toBe(StatusCode.TOO_LARGE)
    expect(await raw.ended).toBe('reset')
  })

  it('refuses a length prefix of 2^32 before buffering anything', async () => {
    const raw = await RawStream.open(attacker.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
    raw.send(varint(2 ** 32))
    const status = await whileServingOthers(refusalOf(raw))
    expect(status).toBe(StatusCode.TOO_LARGE)
    expect(await raw.ended).toBe('reset')
  })

  it('refuses random bytes as malformed or oversized and ends the stream', async () => {
    for (let i = 0; i < 5; i++) {
      const raw = await RawStream.open(attacker.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
      const junk = randomId(1 + ((i * 977) % 4096))
      raw.send(junk)
      const status = await whileServingOthers(
        Promise.race([refusalOf(raw), raw.ended.then(() => undefined)]).then(async (s) => {
          await raw.ended
          return s
        }),
      )
      expect([StatusCode.MALFORMED, StatusCode.TOO_LARGE, StatusCode.UNKNOWN_VERSION, undefined]).toContain(
        status,
      )
    }
    expect(await mailboxMetric('ferry_relay_refusals_total{protocol="mailbox"')).toMatch(
      /reason="(malformed|too_large)"/,
    )
  })

  it('resets streams beyond the per-connection and per-peer limits when one peer opens 1,000 over 4 connections', async () => {
    const connections: Connection[] = []
    for (let i = 0; i < 4; i++) {
      connections.push(await attacker.node.dial(relay.tcpAddrs, { force: true }))
    }
    expect(new Set(connections.map((c) => c.id)).size).toBe(4)
    const attack = (async () => {
      const opened = await Promise.allSettled(
        Array.from({ length: 1_000 }, async (_, i) =>
          connections[i % 4]!.newStream(PROTOCOL_MAILBOX, {
            maxOutboundStreams: 2_000,
            signal: AbortSignal.timeout(20_000),
          }),
        ),
      )
      const streams = opened.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
      // a request on each, so every stream the relay accepted is really being served
      for (const stream of streams) {
        try {
          stream.send(Uint8Array.of(0))
        } catch {}
      }
      // give the relay time to reset what is over its limits (bounded)
      const deadline = Date.now() + 5_000
      while (streams.filter((s) => s.status === 'open').length > 64 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50))
      }
      return streams
    })()
    const streams = await whileServingOthers(attack)
    const open = streams.filter((s) => s.status === 'open')
    // 32 per connection (streams.mailboxMaxInboundStreams), 64 per peer (streams.mailboxMaxStreamsPerPeer)
    expect(open.length).toBeLessThanOrEqual(64)
    for (const stream of open) {
      stream.abort(new Error('done'))
    }
    expect(await mailboxMetric('ferry_relay_refusals_total')).toMatch(/reason="stream_limit"\} [1-9]/)
  })

  it('resets a slow-loris stream that trickles a frame, within the frame timeout', async () => {
    const raw = await RawStream.open(attacker.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
    const attack = (async () => {
      raw.send(varint(200))
      const started = Date.now()
      // one byte every 100 ms: the frame would take 20 s; the relay resets it after FRAME_TIMEOUT_MS
      for (let i = 0; i < 100 && raw.stream.status === 'open'; i++) {
        try {
          raw.send(Uint8Array.of(i))
        } catch {
          break
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      await raw.ended
      return Date.now() - started
    })()
    const lasted = await whileServingOthers(attack)
    expect(await raw.ended).toBe('reset')
    expect(lasted).toBeLessThan(10_000) // a bound, not a timing assertion: far below the 20 s trickle
    expect(await mailboxMetric('ferry_relay_refusals_total')).toMatch(/reason="read_timeout"\} [1-9]/)
  })
})

describe('access control (FAULTS 23, 24)', () => {
  async function deposited(count: number): Promise<Uint8Array[]> {
    const ids = Array.from({ length: count }, () => randomId())
    const results = await honest.mailboxes.depositMany(
      relay.addrs,
      ids.map((envelopeId) => ({ envelopeId, payload: randomId(100), mailboxIds: [honestMailbox.id] })),
    )
    expect(results.every((r) => r.status === 'stored')).toBe(true)
    return ids
  }

  async function challenge(raw: RawStream, mailboxId: Uint8Array): Promise<Uint8Array> {
    await raw.sendFrame(MailboxRequest.encode({ version: RELAY_PROTOCOL_VERSION, challenge: { mailboxId } }))
    const response = MailboxResponse.decode(await raw.next())
    expect(response.status).toBe(StatusCode.OK)
    return response.challenge!.nonce
  }

  /** Sends a fetch with the given proof, then acks `ackIds`; returns every envelope the relay sent. */
  async function attempt(
    raw: RawStream,
    proof: { publicKey: Uint8Array; nonce: Uint8Array; signature: Uint8Array },
    ackIds: Uint8Array[],
  ): Promise<{ envelopes: number; caughtUp: boolean; ackStatus: number | undefined }> {
    await raw.sendFrame(
      MailboxRequest.encode({
        version: RELAY_PROTOCOL_VERSION,
        fetch: { mailboxId: honestMailbox.id, ...proof, live: false, window: 256 },
      }),
    )
    const first = MailboxResponse.decode(await raw.next())
    await raw.sendFrame(
      MailboxRequest.encode({ version: RELAY_PROTOCOL_VERSION, ack: { seq: 1, envelopeIds: ackIds } }),
    )
    let ackStatus: number | undefined
    try {
      ackStatus = MailboxResponse.decode(await raw.next(3_000)).status
    } catch {
      ackStatus = undefined
    }
    return {
      envelopes: first.page?.envelopes.length ?? 0,
      caughtUp: first.page?.caughtUp ?? false,
      ackStatus,
    }
  }

  it('a wrong key, no signature, or a foreign challenge gets an empty mailbox, and its acks delete nothing', async () => {
    const ids = await deposited(5)
    const relayPeer = peerIdFromString(relay.peerId)
    const wrongKey = await generateKeyPair('Ed25519')

    // a wrong key signing a fresh nonce for the honest mailbox
    const a = await RawStream.open(attacker.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
    const nonceA = await challenge(a, honestMailbox.id)
    const wrong = await attempt(
      a,
      {
        publicKey: mailboxPublicKey(wrongKey),
        nonce: nonceA,
        signature: await wrongKey.sign(
          mailboxAuthPayload(relayPeer, honestMailbox.id, nonceA, attacker.node.peerId),
        ),
      },
      ids,
    )
    expect(wrong).toMatchObject({ envelopes: 0, caughtUp: true })

    // the right public key with no valid signature
    const b = await RawStream.open(attacker.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
    const nonceB = await challenge(b, honestMailbox.id)
    const unsigned = await attempt(
      b,
      { publicKey: mailboxPublicKey(honestMailbox.key), nonce: nonceB, signature: new Uint8Array(64) },
      ids,
    )
    expect(unsigned).toMatchObject({ envelopes: 0, caughtUp: true })

    // a nonce issued on another connection (another peer), correctly signed for that peer: foreign
    const c = await RawStream.open(attacker.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
    const other = await startDevice()
    try {
      const d = await RawStream.open(other.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
      const foreignNonce = await challenge(d, honestMailbox.id)
      const foreign = await attempt(
        c,
        {
          publicKey: mailboxPublicKey(honestMailbox.key),
          nonce: foreignNonce,
          signature: await honestMailbox.key.sign(
            mailboxAuthPayload(relayPeer, honestMailbox.id, foreignNonce, attacker.node.peerId),
          ),
        },
        ids,
      )
      expect(foreign).toMatchObject({ envelopes: 0, caughtUp: true })
      d.stream.abort(new Error('done'))
    } finally {
      await other.close()
    }
    for (const raw of [a, b, c]) {
      raw.stream.abort(new Error('done'))
    }

    // nothing was deleted: the owner still holds all five, each pending
    expect(await fetchAll(honest, relay.addrs, honestMailbox)).toEqual(ids.map(hex))
    const statuses = await honest.mailboxes.status(relay.addrs, ids)
    for (const status of statuses) {
      expect(status).toEqual({ total: 1, pending: 1, expired: false })
    }
    expect(await mailboxMetric('ferry_relay_fetch_sessions_total')).toMatch(/result="unauthorised"\} [3-9]/)
  })

  it('depositing grants no right to ack: an ack outside a fetch session is refused and deletes nothing', async () => {
    const ids = await deposited(3)
    const raw = await RawStream.open(attacker.node, relay.tcpAddrs, PROTOCOL_MAILBOX)
    await raw.sendFrame(
      MailboxRequest.encode({ version: RELAY_PROTOCOL_VERSION, ack: { seq: 1, envelopeIds: ids } }),
    )
    expect(MailboxResponse.decode(await raw.next()).status).toBe(StatusCode.BAD_REQUEST)
    expect(await raw.ended).toBe('reset')
    expect(await fetchAll(honest, relay.addrs, honestMailbox)).toEqual(ids.map(hex))
  })

  it("one mailbox's acks never remove another mailbox's copy (FAULTS 24)", async () => {
    const other = await newMailbox(honest, relay.peerId)
    const ids = Array.from({ length: 4 }, () => randomId())
    await honest.mailboxes.depositMany(
      relay.addrs,
      ids.map((envelopeId) => ({
        envelopeId,
        payload: randomId(100),
        mailboxIds: [honestMailbox.id, other.id],
      })),
    )
    // the other mailbox fetches and acks everything it holds, and acks IDs it never held
    expect(await fetchAll(honest, relay.addrs, other, { ack: true })).toEqual(ids.map(hex))
    expect(await fetchAll(honest, relay.addrs, other)).toEqual([])
    expect(await fetchAll(honest, relay.addrs, honestMailbox)).toEqual(ids.map(hex))
    for (const status of await honest.mailboxes.status(relay.addrs, ids)) {
      expect(status).toEqual({ total: 2, pending: 1, expired: false })
    }
  })
})
