/**
 * Reads varint-length-prefixed frames from a libp2p v3 stream. Owns the hostile-input defences of
 * every Ferry protocol reader: a length prefix over the cap (10 MiB, 2^32, an over-long varint) is
 * refused from its first bytes, before any body is buffered; a frame that starts arriving must finish
 * within the read timeout (slow-loris); reading pauses when too many complete frames wait unread.
 * It does not decode frames: callers hand them to the @ferry/wire codecs.
 */
import type { Stream } from '@libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import {
  FrameTooLargeError,
  IdleTimeoutError,
  MalformedFrameError,
  ReadTimeoutError,
  StreamEndedError,
} from '../errors.js'

export interface FrameReaderInit {
  /** Largest frame accepted (the length the prefix may announce). */
  maxFrameBytes: number
  /** Time a started frame has to arrive whole before the stream is reset. */
  frameTimeoutMs: number
  /** Complete frames waiting unread before the stream is paused. */
  maxQueuedFrames: number
}

export interface NextFrameOptions {
  signal?: AbortSignal
  /** Reject with IdleTimeoutError when no complete frame arrives within this time. */
  idleTimeoutMs?: number
}

/** Bytes of the minimal varint encoding of `value`. */
export function varintLength(value: number): number {
  let bytes = 1
  while (value >= 0x80) {
    value = Math.floor(value / 128)
    bytes++
  }
  return bytes
}

/** Appends the varint length prefix of `frame` and the frame to `out`. */
export function appendPrefixed(out: Uint8ArrayList, frame: Uint8Array): void {
  let n = frame.byteLength
  const prefix = new Uint8Array(varintLength(n))
  let i = 0
  while (n >= 0x80) {
    prefix[i++] = (n & 0x7f) | 0x80
    n = Math.floor(n / 128)
  }
  prefix[i] = n
  out.append(prefix, frame)
}

export class FrameReader {
  readonly #stream: Stream
  readonly #maxFrameBytes: number
  readonly #maxPrefixBytes: number
  readonly #frameTimeoutMs: number
  readonly #maxQueuedFrames: number
  readonly #buffer = new Uint8ArrayList()
  readonly #frames: Uint8Array[] = []
  /** Body length of the frame being read, once its prefix is parsed; -1 while reading a prefix. */
  #bodyLength = -1
  #prefixLength = 0
  /** The stream closed: no more data will ever arrive. */
  #ended = false
  /** The remote closed its writable side; data libp2p holds for a paused stream may still come. */
  #remoteClosed = false
  #error: Error | undefined
  #paused = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #wake: (() => void) | undefined

  constructor(stream: Stream, init: FrameReaderInit) {
    this.#stream = stream
    this.#maxFrameBytes = init.maxFrameBytes
    this.#maxPrefixBytes = varintLength(init.maxFrameBytes)
    this.#frameTimeoutMs = init.frameTimeoutMs
    this.#maxQueuedFrames = init.maxQueuedFrames
    stream.addEventListener('message', (evt) => {
      this.#onData(evt.data)
    })
    stream.addEventListener('remoteCloseWrite', () => {
      this.#remoteClosed = true
      this.#notify()
    })
    stream.addEventListener('close', (evt) => {
      if (evt.error != null && this.#error == null) {
        this.#error = evt.error
      }
      this.#ended = true
      this.#clearTimer()
      this.#notify()
    })
    if (stream.readStatus !== 'readable' && stream.readStatus !== 'paused') {
      this.#ended = true
    }
  }

  /** True once the remote closed its side (or the stream closed) and every frame was read. */
  get done(): boolean {
    return this.#finished() && this.#frames.length === 0
  }

  #finished(): boolean {
    return this.#ended || (this.#remoteClosed && this.#stream.readBufferLength === 0)
  }

  /** Frames received and not read yet. */
  get queued(): number {
    return this.#frames.length
  }

  /** Takes every complete frame already received, without waiting. */
  takeAll(): Uint8Array[] {
    const frames = this.#frames.splice(0, this.#frames.length)
    this.#maybeResume()
    return frames
  }

  /**
   * The next frame, or null once the remote closed its writable side cleanly. Throws the stream's
   * error when it was reset or aborted (FrameTooLargeError, ReadTimeoutError, ... when this reader
   * aborted it), MalformedFrameError when it ended inside a frame.
   */
  async next(options: NextFrameOptions = {}): Promise<Uint8Array | null> {
    for (;;) {
      const frame = this.#frames.shift()
      if (frame !== undefined) {
        this.#maybeResume()
        return frame
      }
      if (this.#error != null) {
        throw this.#error
      }
      if (this.#finished()) {
        if (this.#buffer.byteLength > 0) {
          throw new MalformedFrameError('the stream ended inside a frame')
        }
        return null
      }
      await this.#waitForData(options)
    }
  }

  async #waitForData(options: NextFrameOptions): Promise<void> {
    options.signal?.throwIfAborted()
    await new Promise<void>((resolve, reject) => {
      let idle: ReturnType<typeof setTimeout> | undefined
      const onAbort = (): void => {
        cleanup()
        reject(options.signal?.reason ?? new StreamEndedError('aborted'))
      }
      const cleanup = (): void => {
        this.#wake = undefined
        if (idle !== undefined) {
          clearTimeout(idle)
        }
        options.signal?.removeEventListener('abort', onAbort)
      }
      this.#wake = () => {
        cleanup()
        resolve()
      }
      if (options.idleTimeoutMs !== undefined) {
        idle = setTimeout(() => {
          cleanup()
          reject(new IdleTimeoutError(`no request for ${options.idleTimeoutMs} ms`))
        }, options.idleTimeoutMs)
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  #notify(): void {
    this.#wake?.()
  }

  #onData(data: Uint8Array | Uint8ArrayList): void {
    if (this.#error != null) {
      return
    }
    this.#buffer.append(data)
    let completed = false
    try {
      completed = this.#parse()
    } catch (err) {
      this.#fail(err as Error)
      return
    }
    if (this.#buffer.byteLength === 0) {
      this.#clearTimer()
    } else if (completed || this.#timer === undefined) {
      // a new frame has started: it has the full read timeout to arrive
      this.#startTimer()
    }
    if (!this.#paused && this.#frames.length >= this.#maxQueuedFrames) {
      this.#paused = true
      this.#clearTimer()
      this.#stream.pause()
    }
    if (this.#frames.length > 0) {
      this.#notify()
    }
  }

  /** Moves every complete frame from the buffer to the queue. Returns whether any completed. */
  #parse(): boolean {
    let completed = false
    for (;;) {
      if (this.#bodyLength < 0 && !this.#parsePrefix()) {
        return completed
      }
      const end = this.#prefixLength + this.#bodyLength
      if (this.#buffer.byteLength < end) {
        return completed
      }
      // a copy: the bytes under a received chunk can be reused by the layers below once this
      // returns, and handlers keep frames across awaits (a relay stores payloads as they are)
      this.#frames.push(new Uint8Array(this.#buffer.subarray(this.#prefixLength, end)))
      this.#buffer.consume(end)
      this.#bodyLength = -1
      completed = true
    }
  }

  /** Parses the length prefix if enough bytes are buffered. Throws on a hostile prefix. */
  #parsePrefix(): boolean {
    const available = this.#buffer.byteLength
    let value = 0
    for (let i = 0; i < available; i++) {
      const byte = this.#buffer.get(i)
      value += (byte & 0x7f) * 2 ** (7 * i)
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) {
          throw new MalformedFrameError('non-minimal length prefix')
        }
        if (value > this.#maxFrameBytes) {
          throw new FrameTooLargeError(`frame of ${value} bytes exceeds the ${this.#maxFrameBytes}-byte cap`)
        }
        if (value === 0) {
          throw new MalformedFrameError('empty frame')
        }
        this.#bodyLength = value
        this.#prefixLength = i + 1
        return true
      }
      if (i + 1 >= this.#maxPrefixBytes) {
        // the prefix goes on past the bytes any length under the cap needs (2^32, a runaway varint)
        throw new FrameTooLargeError(`length prefix exceeds the ${this.#maxFrameBytes}-byte cap`)
      }
    }
    return false
  }

  #maybeResume(): void {
    if (this.#paused && this.#frames.length < this.#maxQueuedFrames / 2) {
      this.#paused = false
      this.#stream.resume()
      if (this.#buffer.byteLength > 0) {
        this.#startTimer()
      }
    }
  }

  #startTimer(): void {
    this.#clearTimer()
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#fail(new ReadTimeoutError(`a frame did not arrive whole within ${this.#frameTimeoutMs} ms`))
    }, this.#frameTimeoutMs)
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  /** Records a fatal read error and resets the stream; queued complete frames are still read first. */
  #fail(err: Error): void {
    this.#clearTimer()
    this.#error = err
    this.#buffer.consume(this.#buffer.byteLength)
    this.#notify()
    if (err instanceof ReadTimeoutError) {
      this.#stream.abort(err)
    }
  }
}
