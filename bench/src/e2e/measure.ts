/**
 * The in-process measurements of the end-to-end benchmark: send-to-displayed latency (one message at
 * a time: from the sender's `send` call to the recipient's `message` event, which the messenger emits
 * only once the message is durably stored), the libp2p round trip between the same two hosts (a ping
 * on the connection the messages use), and sustained throughput (many sends in flight, until the
 * recipient displayed them all).
 */
import { performance } from 'node:perf_hooks'
import type { MessageEvent } from '@ferry/client'
import type { PeerId } from '@libp2p/interface'
import type { Node } from './nodes.js'

/** Waits for `to` to display messages by their text. */
export class Display {
  readonly #waiting = new Map<string, (at: number) => void>()
  /** Messages `to` displayed since this was made. */
  count = 0

  constructor(to: Node) {
    to.messenger.on('message', (event: MessageEvent) => {
      const at = performance.now()
      this.count++
      const resolve = this.#waiting.get(event.text)
      if (resolve !== undefined) {
        this.#waiting.delete(event.text)
        resolve(at)
      }
    })
  }

  /** Resolves with the time `text` is displayed (register before sending). */
  expect(text: string, timeoutMs = 60_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(text)
        reject(new Error(`a message was not displayed within ${timeoutMs} ms`))
      }, timeoutMs)
      this.#waiting.set(text, (at) => {
        clearTimeout(timer)
        resolve(at)
      })
    })
  }
}

let serial = 0

/** A unique message text of about `bytes` bytes. */
export function text(bytes: number): string {
  const tag = `m${serial++} `
  return tag + 'x'.repeat(Math.max(0, bytes - tag.length))
}

export interface Percentiles {
  readonly p50: number
  readonly p99: number
  readonly samples: number
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
  return { p50: at(0.5), p99: at(0.99), samples: sorted.length }
}

/** `count` messages one at a time from `from` to `to`: ms from `send` to displayed, each. */
export async function sendLatencies(
  from: Node,
  display: Display,
  count: number,
  bytes: number,
): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < count; i++) {
    const body = text(bytes)
    const shown = display.expect(body)
    const start = performance.now()
    const sent = from.messenger.send('peer', body)
    const at = await shown
    out.push(at - start)
    await sent
  }
  return out
}

/**
 * `count` libp2p pings from `from` to `peer`, one at a time: ms each (wall clock around the call).
 * A ping whose stream the remote refused (libp2p's ping allows few streams per connection, and a
 * finished one may not be closed on the remote side yet) is tried again and not counted; more than
 * `count` such refusals is an error.
 */
export async function pingLatencies(from: Node, peer: PeerId, count: number): Promise<number[]> {
  const ping = (from.host!.services as { ping: { ping(p: PeerId): Promise<number> } }).ping
  const out: number[] = []
  let refused = 0
  while (out.length < count) {
    const start = performance.now()
    try {
      await ping.ping(peer)
    } catch (err) {
      if (++refused > count) {
        throw err
      }
      await new Promise((r) => setTimeout(r, 5))
      continue
    }
    out.push(performance.now() - start)
  }
  return out
}

/**
 * `count` messages from `from` to `to` with `inFlight` sends outstanding at a time: messages per
 * second from the first send to the last one displayed.
 */
export async function throughput(
  from: Node,
  display: Display,
  count: number,
  inFlight: number,
  bytes: number,
): Promise<number> {
  const bodies = Array.from({ length: count }, () => text(bytes))
  const shown = Promise.all(bodies.map((b) => display.expect(b, 300_000)))
  let next = 0
  const start = performance.now()
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      await from.messenger.send('peer', bodies[next++]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker))
  const displayed = await shown
  const last = Math.max(...displayed)
  return count / ((last - start) / 1000)
}
