/**
 * Hostile input on the mailbox protocol (FAULTS 14, 26): each case is refused or reset by a limit
 * while another client keeps depositing successfully.
 */

import {
  MailboxRequest,
  MailboxResponse,
  PROTOCOL_MAILBOX,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MailboxClient, type MailboxServer, type MailboxServerEvent, mailboxServer } from '../src/index.js'
import { MemoryMailboxBackend } from './fixtures/memory-mailbox-backend.js'
import { randomId, startPeer, startRelay, stopAll } from './fixtures/network.js'
import { RawStream } from './fixtures/raw-stream.js'

const MAX_STREAMS_PER_PEER = 16

describe('mailbox protocol under hostile input', () => {
  let backend: MemoryMailboxBackend
  let relay: Libp2p<{ mailbox: MailboxServer }>
  let attacker: Libp2p
  let honest: Libp2p
  let client: MailboxClient
  let events: MailboxServerEvent[]
  let honestMailbox: Uint8Array

  beforeEach(async () => {
    backend = new MemoryMailboxBackend()
    events = []
    relay = await startRelay({
      mailbox: mailboxServer({
        backend,
        frameTimeoutMs: 300,
        maxInboundStreams: 2_000,
        maxStreamsPerPeer: MAX_STREAMS_PER_PEER,
        depositBurstPerPeer: 100_000,
        onEvent: (event) => events.push(event),
      }),
    })
    attacker = await startPeer()
    honest = await startPeer()
    client = new MailboxClient(honest)
    const key = await generateKeyPair('Ed25519')
    honestMailbox = await client.mailboxId(key, relay.peerId)
  })

  afterEach(async () => {
    client.close()
    await stopAll(attacker, honest, relay)
  })

  /** Deposits from the honest client until `attack` settles; every deposit must be stored. */
  async function whileServingOthers(attack: Promise<unknown>): Promise<void> {
    let done = false
    const finished = attack.finally(() => {
      done = true
    })
    let stored = 0
    do {
      const result = await client.deposit(relay.getMultiaddrs(), {
        envelopeId: randomId(),
        payload: new Uint8Array(256),
        mailboxIds: [honestMailbox],
      })
      expect(result.status).toBe('stored')
      stored++
      // the memory transport can settle a whole exchange in microtasks: let timers (the attack's) run
      await new Promise((resolve) => setTimeout(resolve, 1))
    } while (!done || stored < 3)
    await finished
    expect(backend.held(honestMailbox)).toBe(stored)
  }

  it('refuses random bytes as malformed or oversized and ends the stream', async () => {
    await whileServingOthers(
      fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), async (bytes) => {
          const raw = await RawStream.open(attacker, relay.getMultiaddrs(), PROTOCOL_MAILBOX)
          raw.send(bytes)
          await raw.stream.close().catch(() => {})
          const frames = await raw.drain()
          for (const frame of frames) {
            const response = MailboxResponse.decode(frame)
            expect([StatusCode.MALFORMED, StatusCode.TOO_LARGE, StatusCode.UNKNOWN_VERSION]).toContain(
              response.status,
            )
          }
          await raw.ended
        }),
        { numRuns: 40 },
      ),
    )
    expect(backend.calls.ack).toBe(0)
  })

  it('refuses a 10 MiB frame from its length prefix, before buffering it', async () => {
    const attack = (async () => {
      const raw = await RawStream.open(attacker, relay.getMultiaddrs(), PROTOCOL_MAILBOX)
      const tenMiB = 10 * 1024 * 1024
      const prefix = [
        (tenMiB & 0x7f) | 0x80,
        ((tenMiB >> 7) & 0x7f) | 0x80,
        ((tenMiB >> 14) & 0x7f) | 0x80,
        tenMiB >> 21,
      ]
      raw.send(new Uint8Array(prefix))
      // keep sending the body; the relay must not wait for (or keep) it
      const chunk = new Uint8Array(64 * 1024)
      for (let sent = 0; sent < tenMiB && raw.stream.status === 'open'; sent += chunk.byteLength) {
        try {
          if (!raw.stream.send(chunk)) {
            await raw.stream.onDrain({ signal: AbortSignal.timeout(5_000) })
          }
        } catch {
          break
        }
      }
      const frames = await raw.drain()
      expect(frames.length).toBeLessThanOrEqual(1)
      if (frames[0] !== undefined) {
        expect(MailboxResponse.decode(frames[0]).status).toBe(StatusCode.TOO_LARGE)
      }
      await raw.ended
    })()
    await whileServingOthers(attack)
    expect(events).toContainEqual({ type: 'refused', reason: 'too-large' })
  })

  it('refuses a 2^32 length prefix', async () => {
    const attack = (async () => {
      const raw = await RawStream.open(attacker, relay.getMultiaddrs(), PROTOCOL_MAILBOX)
      raw.send(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x10, 1, 2, 3]))
      const frames = await raw.drain()
      expect(frames).toHaveLength(1)
      expect(MailboxResponse.decode(frames[0]!).status).toBe(StatusCode.TOO_LARGE)
      expect(await raw.ended).toBe('reset')
    })()
    await whileServingOthers(attack)
  })

  it('answers an unknown protocol version with its typed code', async () => {
    const attack = (async () => {
      // the request's version field
      const raw = await RawStream.open(attacker, relay.getMultiaddrs(), PROTOCOL_MAILBOX)
      raw.sendFrame(MailboxRequest.encode({ version: 9, status: { envelopeIds: [randomId()] } }))
      const [reply] = await raw.drain()
      expect(MailboxResponse.decode(reply!).status).toBe(StatusCode.UNKNOWN_VERSION)
      // the frame's format-version byte
      const frame = MailboxRequest.encode({
        version: RELAY_PROTOCOL_VERSION,
        status: { envelopeIds: [randomId()] },
      })
      frame[1] = 2
      const second = await RawStream.open(attacker, relay.getMultiaddrs(), PROTOCOL_MAILBOX)
      second.sendFrame(frame)
      const [refusal] = await second.drain()
      expect(MailboxResponse.decode(refusal!).status).toBe(StatusCode.UNKNOWN_VERSION)
    })()
    await whileServingOthers(attack)
  })

  it('bounds 1,000 streams from one peer by the per-peer stream limit', async () => {
    let peak = 0
    const attack = (async () => {
      const connection = await attacker.dial(relay.getMultiaddrs())
      const opened = await Promise.allSettled(
        Array.from({ length: 1_000 }, async () => {
          const stream = await connection.newStream(PROTOCOL_MAILBOX, { maxOutboundStreams: 2_000 })
          peak = Math.max(peak, relay.services.mailbox.stats().openStreams)
          return stream
        }),
      )
      const streams = opened.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
      // give the relay time to refuse what it refuses; the count of live streams stays bounded
      await new Promise((resolve) => setTimeout(resolve, 200))
      peak = Math.max(peak, relay.services.mailbox.stats().openStreams)
      const open = streams.filter((stream) => stream.status === 'open')
      for (const stream of streams) {
        stream.abort(new Error('done'))
      }
      return open.length
    })()
    await whileServingOthers(attack)
    expect(peak).toBeLessThanOrEqual(MAX_STREAMS_PER_PEER + 1) // the honest client's deposit stream
    expect(events.filter((e) => e.type === 'refused' && e.reason === 'stream-limit').length).toBeGreaterThan(
      0,
    )
  })

  it('resets a slow-loris stream by the read timeout', async () => {
    const attack = (async () => {
      const raw = await RawStream.open(attacker, relay.getMultiaddrs(), PROTOCOL_MAILBOX)
      const frame = MailboxRequest.encode({
        version: RELAY_PROTOCOL_VERSION,
        status: { envelopeIds: [randomId()] },
      })
      // the length prefix and a few bytes, then nothing
      raw.send(new Uint8Array([frame.byteLength, ...frame.subarray(0, 3)]))
      expect(await raw.ended).toBe('reset')
    })()
    await whileServingOthers(attack)
    expect(events).toContainEqual({ type: 'refused', reason: 'read-timeout' })
  })

  it('closes an idle request stream, and keeps a live session open with heartbeats', async () => {
    await relay.stop()
    relay = await startRelay({
      mailbox: mailboxServer({ backend, idleTimeoutMs: 200, heartbeatIntervalMs: 50 }),
    })
    const idle = await RawStream.open(attacker, relay.getMultiaddrs(), PROTOCOL_MAILBOX)
    expect(await idle.next()).toBeNull() // the relay closed its side
    await idle.stream.close()
    expect(await idle.ended).toBe('closed')

    const key = await generateKeyPair('Ed25519')
    const session = await new MailboxClient(attacker, { silenceMs: 300 }).fetch(relay.getMultiaddrs(), key, {
      live: true,
    })
    await session.caughtUp
    // far past the idle timeout: the live session is still there and still receives
    await new Promise((resolve) => setTimeout(resolve, 600))
    const mailboxId = session.mailboxId
    const result = await client.deposit(relay.getMultiaddrs(), {
      envelopeId: randomId(),
      payload: new Uint8Array([1]),
      mailboxIds: [mailboxId],
    })
    expect(result.status).toBe('stored')
    const next = await session[Symbol.asyncIterator]().next()
    expect(next.done).toBe(false)
    await session.close()
  })

  it('ends a live session that hears nothing with SessionSilentError', async () => {
    await relay.stop()
    relay = await startRelay({ mailbox: mailboxServer({ backend, heartbeatIntervalMs: 60_000 }) })
    const key = await generateKeyPair('Ed25519')
    const session = await new MailboxClient(attacker, { silenceMs: 200 }).fetch(relay.getMultiaddrs(), key)
    await session.caughtUp
    await expect(session[Symbol.asyncIterator]().next()).rejects.toMatchObject({ name: 'SessionSilentError' })
  })
})
