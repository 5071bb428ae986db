/**
 * The four patched libp2p dependencies (scripts/patch-dependencies.js), tested through the real
 * packages: yamux's window updates and noise's frame decoder over an in-memory connection pair, and
 * the writes of TCP and WebSocket connections between two hosts on loopback. Each test fails on the unpatched
 * packages but the noise test that holds what its patch must keep (frames split at any byte still
 * decode).
 */
import { execFile } from 'node:child_process'
import { Socket } from 'node:net'
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
import { createNodeLibp2p, installNodeWebSocket } from '../src/index.js'

/** The protocol of the one-way stream of the TCP and WebSocket tests, and the messages sent on it. */
const PROTOCOL = '/ferry-test/one-way/1'
const MESSAGES = 20
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
    expect(stdout).toMatch(/tcp-one-write .*: already/)
    expect(stdout).toMatch(/websockets-one-send .*: already/)
  })

  /**
   * Sends MESSAGES small messages one way on an open stream between two hosts (the receiver listening
   * on `listen`), each once the one before arrived, and counts the calls `count` is told of while
   * they go (installed by `spy`, which returns its own removal).
   */
  async function oneWay(
    listen: string,
    spy: (count: () => void, receiverPort: number) => () => void,
  ): Promise<{ received: number; calls: number }> {
    await installNodeWebSocket()
    const [a, b] = await Promise.all([
      createNodeLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'] }),
      createNodeLibp2p({ listen: [listen] }),
    ])
    try {
      let received = 0
      let arrived: () => void = () => {}
      await b.handle(PROTOCOL, (stream) => {
        stream.addEventListener('message', () => {
          received++
          arrived()
        })
      })
      const connection = await a.dial(b.getMultiaddrs())
      const stream = await connection.newStream(PROTOCOL)
      const next = () =>
        new Promise<void>((resolve) => {
          arrived = resolve
        })
      // the first message carries the stream's protocol negotiation too: sent before counting
      const first = next()
      stream.send(new Uint8Array(100))
      await first
      // identify runs on a new connection: let it finish
      await new Promise((resolve) => setTimeout(resolve, 200))
      received = 0
      const port = Number(
        b
          .getMultiaddrs()[0]!
          .getComponents()
          .find((c) => c.name === 'tcp')?.value,
      )
      let calls = 0
      const remove = spy(() => {
        calls++
      }, port)
      try {
        for (let i = 0; i < MESSAGES; i++) {
          const arrival = next()
          stream.send(new Uint8Array(100).fill(i))
          await arrival
        }
      } finally {
        remove()
      }
      return { received, calls }
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  }

  describe('tcp and websockets', () => {
    it('writes each encrypted frame to the TCP socket once, not its length and its ciphertext apart', async () => {
      const { received, calls } = await oneWay('/ip4/127.0.0.1/tcp/0', (count, port) => {
        const write = Socket.prototype.write
        Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
          if (this.remotePort === port) {
            count()
          }
          return write.apply(this, args)
        } as Socket['write']
        return () => {
          Socket.prototype.write = write
        }
      })
      expect(received).toBe(MESSAGES)
      // one write a message (unpatched: two), and room for a frame of the hosts' own in between
      expect(calls).toBeGreaterThanOrEqual(MESSAGES)
      expect(calls).toBeLessThanOrEqual(MESSAGES + 3)
    })

    it('sends each encrypted frame as one WebSocket message, not two', async () => {
      const { received, calls } = await oneWay('/ip4/127.0.0.1/tcp/0/ws', (count) => {
        const prototype = (globalThis as unknown as { WebSocket: { prototype: { send: WebSocket['send'] } } })
          .WebSocket.prototype
        const send = prototype.send
        prototype.send = function (this: WebSocket, ...args: Parameters<WebSocket['send']>) {
          count()
          return send.apply(this, args)
        }
        return () => {
          prototype.send = send
        }
      })
      expect(received).toBe(MESSAGES)
      expect(calls).toBeGreaterThanOrEqual(MESSAGES)
      expect(calls).toBeLessThanOrEqual(MESSAGES + 3)
    })
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
