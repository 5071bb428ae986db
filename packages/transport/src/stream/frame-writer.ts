/**
 * Writes varint-length-prefixed frames to a libp2p v3 stream, coalescing every frame queued in one
 * turn of the event loop into a single `send` (one network write for a batch of replies). Owns write
 * backpressure: `ready()` waits for the stream to drain. It never throws from `write`: a frame for a
 * stream that is closing is dropped, since nobody can read it.
 */
import type { Stream } from '@libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import { appendPrefixed } from './frame-reader.js'

/** Runs `fn` after the current I/O callbacks (setImmediate in Node), batching what they produce. */
export const afterIo: (fn: () => void) => void =
  typeof setImmediate === 'function'
    ? (fn) => {
        setImmediate(fn)
      }
    : (fn) => {
        setTimeout(fn, 0)
      }

export class FrameWriter {
  readonly #stream: Stream
  #pending = new Uint8ArrayList()
  #scheduled = false
  /** When the last frame was handed to the stream (for heartbeats). */
  lastWriteAt = 0

  constructor(stream: Stream) {
    this.#stream = stream
  }

  /** True while the stream can still be written to. */
  get writable(): boolean {
    return this.#stream.writeStatus === 'writable' && this.#stream.status === 'open'
  }

  /** Queues a frame; every frame queued before the next I/O turn goes out in one write. */
  write(frame: Uint8Array): void {
    appendPrefixed(this.#pending, frame)
    if (!this.#scheduled) {
      this.#scheduled = true
      afterIo(() => {
        this.flush()
      })
    }
  }

  /** Sends everything queued now. */
  flush(): void {
    this.#scheduled = false
    if (this.#pending.byteLength === 0) {
      return
    }
    const data = this.#pending
    this.#pending = new Uint8ArrayList()
    if (!this.writable) {
      return
    }
    try {
      this.#stream.send(data)
      this.lastWriteAt = Date.now()
    } catch {
      // the stream closed or was reset under us (or its send buffer overflowed and it reset itself):
      // the reader sees the close and ends the exchange
    }
  }

  /** True while the stream's send buffer is full (`ready()` would wait for it to drain). */
  get needsDrain(): boolean {
    return this.#stream.writableNeedsDrain
  }

  /** Resolves when the stream can take more data (after a `drain` if its buffer is full). */
  async ready(signal?: AbortSignal): Promise<void> {
    if (this.#stream.writableNeedsDrain) {
      await this.#stream.onDrain({ signal })
    }
  }

  /** Flushes and half-closes the stream without waiting for the remote (before a reset). */
  async closeWrite(timeoutMs: number): Promise<void> {
    this.flush()
    if (this.#stream.status !== 'open' || this.#stream.writeStatus !== 'writable') {
      return
    }
    try {
      await this.#stream.close({ signal: AbortSignal.timeout(timeoutMs) })
    } catch {
      // the caller resets the stream next
    }
  }

  /**
   * Flushes and half-closes the stream, then gives the remote `timeoutMs` to close its side too;
   * a stream that does not finish closing in time is reset, so no half-open stream lingers.
   */
  async close(timeoutMs: number): Promise<void> {
    this.flush()
    const stream = this.#stream
    if (stream.status !== 'open') {
      return
    }
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      await stream.close({ signal })
      if (stream.status === 'open') {
        await new Promise<void>((resolve, reject) => {
          const onAbort = (): void => {
            stream.removeEventListener('close', onClose)
            reject(signal.reason)
          }
          const onClose = (): void => {
            signal.removeEventListener('abort', onAbort)
            resolve()
          }
          stream.addEventListener('close', onClose, { once: true })
          signal.addEventListener('abort', onAbort, { once: true })
        })
      }
    } catch (err) {
      stream.abort(err as Error)
    }
  }
}
