/**
 * The two patched libp2p dependencies (scripts/patch-dependencies.js), tested through the real
 * packages over an in-memory connection pair: yamux's window updates, and noise's frame decoder.
 * Each test but the last fails on the unpatched packages; the last holds what the noise patch must
 * keep (frames split at any byte still decode).
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { noise } from '@chainsafe/libp2p-noise'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { MessageStream, MultiaddrConnection, PrivateKey, Stream, StreamMuxer } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { multiaddrConnectionPair } from '@libp2p/utils'
import { yamux } from '@libp2p/yamux'
import { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'

const SCRIPT = fileURLToPath(new URL('../scripts/patch-dependencies.js', import.meta.url))
/** yamux frame types (the spec's numbering). */
const WINDOW_UPDATE = 1
/** yamux's initial receive window per stream (256 KiB). */
const INITIAL_WINDOW = 256 * 1024

describe('dependency patches', () => {
  it('are all in place after install (the script in --check mode)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, '--check'])
    expect(stdout).toMatch(/noise-frame-length .*: already/)
    expect(stdout).toMatch(/yamux-window-update .*: already/)
  })

  describe('yamux', () => {
    /** Two muxers over an in-memory pair; counts window updates the receiving side sends without flags. */
    function muxers(): {
      client: StreamMuxer
      server: StreamMuxer
      updates: () => number
      inbound: Promise<Stream>
    } {
      const [outConn, inConn] = multiaddrConnectionPair()
      const factory = yamux({ enableKeepAlive: false })()
      const client = factory.createStreamMuxer(outConn)
      const server = factory.createStreamMuxer(inConn)
      let updates = 0
      // streams bind the muxer's sendFrame when they are made: wrap it before any exists
      const muxer = server as unknown as {
        sendFrame: (header: { type: number; flag: number }, data?: unknown) => void
      }
      const send = muxer.sendFrame.bind(server)
      muxer.sendFrame = (header, data) => {
        if (header.type === WINDOW_UPDATE && header.flag === 0) {
          updates++
        }
        return send(header, data)
      }
      const inbound = new Promise<Stream>((resolve) => {
        server.addEventListener('stream', (evt) => resolve(evt.detail), { once: true })
      })
      return { client, server, updates: () => updates, inbound }
    }

    async function transfer(messages: number, size: number): Promise<{ received: number; updates: number }> {
      const { client, server, updates, inbound } = muxers()
      try {
        const stream = await client.createStream()
        const remote = await inbound
        let received = 0
        const all = new Promise<void>((resolve) => {
          remote.addEventListener('message', (evt) => {
            received += evt.data.byteLength
            if (received === messages * size) {
              resolve()
            }
          })
        })
        for (let i = 0; i < messages; i++) {
          if (!stream.send(new Uint8Array(size).fill(i & 0xff))) {
            await stream.onDrain()
          }
        }
        await all
        return { received, updates: updates() }
      } finally {
        await client.close()
        await server.close()
      }
    }

    it('sends no window update while less than half of the receive window is used', async () => {
      // unpatched: an update after every data frame handled while any capacity was used (13 in a run)
      const { received, updates } = await transfer(200, 100)
      expect(received).toBe(20_000)
      expect(updates).toBe(0)
    })

    it('keeps a long transfer flowing with about one update per half window', async () => {
      // 4 MiB in 1 KiB messages: 16 windows; the window may also grow, so fewer updates, never none
      const { received, updates } = await transfer(4096, 1024)
      expect(received).toBe(4096 * 1024)
      expect(updates).toBeGreaterThan(0)
      expect(updates).toBeLessThanOrEqual((4096 * 1024) / (INITIAL_WINDOW / 2))
    })
  })

  describe('noise', () => {
    async function securePair(chunkSize?: number): Promise<{ out: MessageStream; in: MessageStream }> {
      const [outConn, inConn] = multiaddrConnectionPair(chunkSize === undefined ? {} : { chunkSize })
      const encrypter = async (key: PrivateKey) =>
        noise()({
          privateKey: key,
          logger: defaultLogger(),
          upgrader: { getStreamMuxers: () => new Map() },
        } as never)
      const [a, b] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
      const [outSide, inSide] = await Promise.all([
        (await encrypter(a)).secureOutbound(outConn as MultiaddrConnection, {
          remotePeer: peerIdFromPrivateKey(b),
          skipStreamMuxerNegotiation: true,
        }),
        (await encrypter(b)).secureInbound(inConn as MultiaddrConnection, {
          skipStreamMuxerNegotiation: true,
        }),
      ])
      return { out: outSide.connection, in: inSide.connection }
    }

    /** Sends the messages one way and returns what arrived, joined, and RangeErrors made meanwhile. */
    async function exchange(pair: { out: MessageStream; in: MessageStream }, messages: Uint8Array[]) {
      const total = messages.reduce((sum, m) => sum + m.byteLength, 0)
      const chunks: Uint8Array[] = []
      let received = 0
      const original = globalThis.RangeError
      let made = 0
      globalThis.RangeError = new Proxy(original, {
        apply(target, self, args) {
          made++
          return Reflect.apply(target, self, args)
        },
        construct(target, args, newTarget) {
          made++
          return Reflect.construct(target, args, newTarget)
        },
      })
      try {
        const all = new Promise<void>((resolve) => {
          pair.in.addEventListener('message', (evt) => {
            const data = evt.data as Uint8Array | Uint8ArrayList
            chunks.push(data.subarray())
            received += data.byteLength
            if (received === total) {
              resolve()
            }
          })
        })
        for (const m of messages) {
          if (!pair.out.send(m)) {
            await pair.out.onDrain()
          }
        }
        await all
      } finally {
        globalThis.RangeError = original
      }
      return { joined: concat(chunks), rangeErrors: made }
    }

    /** One side, then the other (both at once can end in a close event racing the last drain). */
    async function closeBoth(pair: { out: MessageStream; in: MessageStream }): Promise<void> {
      await pair.out.close()
      await pair.in.close()
    }

    function messagesOf(sizes: number[]): Uint8Array[] {
      return sizes.map((size, i) => Uint8Array.from({ length: size }, (_, j) => (i * 31 + j) & 0xff))
    }

    function concat(parts: Uint8Array[]): Uint8Array {
      return new Uint8ArrayList(...parts).subarray()
    }

    it('decodes a stream of frames without an Error at the end of every chunk read', async () => {
      const pair = await securePair()
      const messages = messagesOf(Array.from({ length: 100 }, (_, i) => 1 + ((i * 97) % 2000)))
      const { joined, rangeErrors } = await exchange(pair, messages)
      expect(joined).toEqual(concat(messages))
      // unpatched: one RangeError at the end of every chunk read (11 in a run)
      expect(rangeErrors).toBe(0)
      await closeBoth(pair)
    })

    it('waits for the rest of a frame whose chunks end inside the length prefix or the body', async () => {
      // every byte arrives as a chunk of its own: a chunk of one byte holds half a length prefix
      const pair = await securePair(1)
      const messages = messagesOf([1, 2, 300, 3000])
      const { joined } = await exchange(pair, messages)
      expect(joined).toEqual(concat(messages))
      await closeBoth(pair)
    })
  })
})
