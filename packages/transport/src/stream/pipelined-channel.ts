/**
 * The client side of a pipelined request stream: requests carry a sequence number, up to `pipeline`
 * wait for replies at once (later callers queue in call order), replies may come coalesced and in any
 * order. A pool keeps one channel per dial target, so calls made in order are written in order, and
 * moves a peer's channel off a limited (relayed) connection once an unlimited one to that peer is
 * open. Used by mailbox deposits and direct delivery.
 */
import { type AbortOptions, type Connection, type DialTarget, isPeerId, type Stream } from '@libp2p/interface'
import { FRAME_READ_TIMEOUT_MS, MAX_QUEUED_FRAMES, STREAM_CLOSE_TIMEOUT_MS } from '../constants.js'
import { StreamEndedError } from '../errors.js'
import { FrameReader } from './frame-reader.js'
import { FrameWriter } from './frame-writer.js'
import type { ClientComponents } from './types.js'

/** Reads one reply frame into results keyed by sequence number; throws to end the channel. */
export type ReplyReader<R> = (frame: Uint8Array) => Array<[seq: number, result: R]>

export interface ChannelEnd {
  error: Error
  /** The remote closed the stream gracefully (a request in flight may be retried on a new stream). */
  clean: boolean
}

export async function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) {
    return promise
  }
  signal.throwIfAborted()
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort)
    })
  })
}

export class PipelinedChannel<R> {
  readonly #stream: Stream
  readonly #reader: FrameReader
  readonly #writer: FrameWriter
  readonly #replies: ReplyReader<R>
  readonly #waiters = new Map<number, { resolve: (result: R) => void; reject: (err: Error) => void }>()
  readonly #slotWaiters: Array<() => void> = []
  readonly #endListeners: Array<() => void> = []
  #free: number
  #seq = 0
  #retired = false
  /** Set once the stream can carry no more requests. */
  ended: ChannelEnd | undefined

  constructor(stream: Stream, init: { pipeline: number; maxFrameBytes: number; replies: ReplyReader<R> }) {
    this.#stream = stream
    this.#reader = new FrameReader(stream, {
      maxFrameBytes: init.maxFrameBytes,
      frameTimeoutMs: FRAME_READ_TIMEOUT_MS,
      maxQueuedFrames: MAX_QUEUED_FRAMES,
    })
    this.#writer = new FrameWriter(stream)
    this.#replies = init.replies
    this.#free = Math.max(1, init.pipeline)
    void this.#read()
  }

  /**
   * Sends the request `encode(seq)` builds and resolves with its reply. The pipeline slot is held
   * until the reply arrives even if `signal` aborts the wait: the remote still counts it in flight.
   */
  async request(encode: (seq: number) => Uint8Array, signal: AbortSignal | undefined): Promise<R> {
    await this.#acquire(signal)
    if (this.ended !== undefined) {
      this.#release()
      throw this.ended.error
    }
    const seq = this.#seq
    this.#seq = (this.#seq + 1) >>> 0
    let frame: Uint8Array
    try {
      frame = encode(seq)
    } catch (err) {
      this.#release()
      throw err
    }
    const reply = new Promise<R>((resolve, reject) => {
      this.#waiters.set(seq, { resolve, reject })
    }).finally(() => {
      this.#release()
    })
    this.#writer.write(frame)
    return raceSignal(reply, signal)
  }

  /** Half-closes the stream; replies in flight still arrive. */
  close(): void {
    void this.#writer.close(STREAM_CLOSE_TIMEOUT_MS)
  }

  /**
   * For a channel its pool no longer hands out: once no request is in flight or waiting for a slot,
   * it ends cleanly (a later request fails as on a stream the remote closed, which a pool retries on
   * a fresh channel) and half-closes its stream.
   */
  retire(): void {
    this.#retired = true
    this.#endIfRetiredAndIdle()
  }

  #endIfRetiredAndIdle(): void {
    if (
      this.#retired &&
      this.ended === undefined &&
      this.#waiters.size === 0 &&
      this.#slotWaiters.length === 0
    ) {
      this.ended = { error: new StreamEndedError('the channel was retired'), clean: true }
      this.close()
    }
  }

  /** Calls `listener` once the channel has ended (at once if it has). */
  onEnded(listener: () => void): void {
    if (this.ended !== undefined) {
      listener()
    } else {
      this.#endListeners.push(listener)
    }
  }

  /** Takes a pipeline slot; callers are served in call order (a freed slot goes to the oldest waiter). */
  async #acquire(signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted()
    if (this.#free > 0 && this.#slotWaiters.length === 0) {
      this.#free--
      return
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        const index = this.#slotWaiters.indexOf(waiter)
        if (index >= 0) {
          this.#slotWaiters.splice(index, 1)
        }
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#slotWaiters.push(waiter)
    })
  }

  #release(): void {
    const next = this.#slotWaiters.shift()
    if (next !== undefined) {
      next()
    } else {
      this.#free++
      this.#endIfRetiredAndIdle()
    }
  }

  async #read(): Promise<void> {
    let end: ChannelEnd
    try {
      for (;;) {
        const frame = await this.#reader.next()
        if (frame === null) {
          end = { error: new StreamEndedError('the remote closed the stream'), clean: true }
          break
        }
        for (const [seq, result] of this.#replies(frame)) {
          const waiter = this.#waiters.get(seq)
          if (waiter !== undefined) {
            this.#waiters.delete(seq)
            waiter.resolve(result)
          }
        }
      }
    } catch (err) {
      end = { error: err instanceof Error ? err : new StreamEndedError('the stream failed'), clean: false }
    }
    this.ended ??= end
    for (const listener of this.#endListeners.splice(0)) {
      listener()
    }
    if (this.#stream.status === 'open') {
      this.#stream.abort(end.error)
    }
    for (const waiter of this.#waiters.values()) {
      waiter.reject(
        end.error instanceof StreamEndedError
          ? end.error
          : new StreamEndedError(`the stream ended: ${end.error.message}`),
      )
    }
    this.#waiters.clear()
    // queued callers wake to find the channel ended and fail
    for (const wake of this.#slotWaiters.splice(0)) {
      wake()
    }
  }
}

const addrKeys = new WeakMap<object, string>()

function addrKey(addr: { toString(): string }): string {
  let key = addrKeys.get(addr)
  if (key === undefined) {
    key = addr.toString()
    addrKeys.set(addr, key)
  }
  return key
}

/** A stable key for a dial target, so calls to the same peer share one channel. */
export function targetKey(target: DialTarget): string {
  if (Array.isArray(target)) {
    return target.map(addrKey).join(' ')
  }
  return addrKey(target)
}

interface PoolEntry<R> {
  readonly opening: Promise<PipelinedChannel<R>>
  /** The channel runs on a limited (relayed) connection. */
  limited: boolean
}

/** One pipelined channel per dial target, reopened when it ends. */
export class ChannelPool<R> {
  readonly #components: ClientComponents
  readonly #open: (connection: Connection, options: AbortOptions) => Promise<PipelinedChannel<R>>
  readonly #channels = new Map<string, PoolEntry<R>>()

  constructor(
    components: ClientComponents,
    open: (connection: Connection, options: AbortOptions) => Promise<PipelinedChannel<R>>,
  ) {
    this.#components = components
    this.#open = open
  }

  /**
   * The channel for `target`. Every caller awaits the same promise, so requests made in order are
   * written in order. A peer's channel on a limited connection is retired (it finishes what it
   * carries) once an unlimited connection to the peer is open, and the next channel opens on that
   * one: a WebRTC or direct connection takes over from the relay's circuit.
   */
  async get(target: DialTarget, options: AbortOptions): Promise<PipelinedChannel<R>> {
    const key = targetKey(target)
    let entry = this.#channels.get(key)
    if (entry?.limited === true && this.#unlimitedOpen(target)) {
      this.#channels.delete(key)
      entry.opening.then(
        (channel) => channel.retire(),
        () => {},
      )
      entry = undefined
    }
    if (entry === undefined) {
      const opened: PoolEntry<R> = {
        limited: false,
        opening: this.#components.dial(target, options).then(async (connection) => {
          opened.limited = connection.limits != null
          return this.#open(connection, options)
        }),
      }
      entry = opened
      this.#channels.set(key, opened)
      const forget = (): void => {
        if (this.#channels.get(key) === opened) {
          this.#channels.delete(key)
        }
      }
      opened.opening.then((channel) => channel.onEnded(forget), forget)
    }
    const channel = await entry.opening
    if (channel.ended !== undefined) {
      if (this.#channels.get(key) === entry) {
        this.#channels.delete(key)
      }
      return this.get(target, options)
    }
    return channel
  }

  /** Whether an unlimited connection to the peer `target` names is open (false for addresses). */
  #unlimitedOpen(target: DialTarget): boolean {
    const connections = this.#components.getConnections
    if (connections === undefined || !isPeerId(target)) {
      return false
    }
    return connections.call(this.#components, target).some((c) => c.status === 'open' && c.limits == null)
  }

  /**
   * Runs `call` on the target's channel, retrying once on a fresh channel when the remote had
   * gracefully closed the stream under it (an idle close). Only for idempotent requests.
   */
  async run<T>(
    target: DialTarget,
    options: AbortOptions,
    call: (channel: PipelinedChannel<R>) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const channel = await this.get(target, options)
      try {
        return await call(channel)
      } catch (err) {
        if (attempt === 0 && channel.ended?.clean === true && options.signal?.aborted !== true) {
          continue
        }
        throw err
      }
    }
  }

  /** Half-closes every pooled stream. */
  close(): void {
    for (const { opening } of this.#channels.values()) {
      opening.then(
        (channel) => {
          channel.close()
        },
        () => {},
      )
    }
    this.#channels.clear()
  }
}
