/**
 * The device side of one fetch session: iterates the envelopes a relay pages and pushes on one stream,
 * and sends acks back on it, coalesced (every ack requested in one I/O turn goes in one frame) and
 * resolved once the relay has made them durable. Owns session liveness: a live session that hears
 * nothing, not even a heartbeat, for the silence limit ends with SessionSilentError.
 */

import type { pb } from '@ferry/wire'
import {
  MAX_ACK_IDS,
  MailboxRequest,
  MailboxResponse,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
  WireError,
} from '@ferry/wire'
import type { PeerId, Stream } from '@libp2p/interface'
import { STREAM_CLOSE_TIMEOUT_MS } from '../constants.js'
import {
  IdleTimeoutError,
  ProtocolError,
  RequestRefusedError,
  SessionSilentError,
  StreamEndedError,
} from '../errors.js'
import { type Deferred, deferred } from '../stream/deferred.js'
import type { FrameReader } from '../stream/frame-reader.js'
import { afterIo, type FrameWriter } from '../stream/frame-writer.js'

/** One envelope fetched from a mailbox. Ack it once it is stored durably. */
export interface FetchedEnvelope {
  envelopeId: Uint8Array
  payload: Uint8Array
  /** Relay clock, ms. */
  depositedAt: number
  expiresAt: number
}

export interface MailboxSessionInit {
  stream: Stream
  reader: FrameReader
  writer: FrameWriter
  relay: PeerId
  mailboxId: Uint8Array
  live: boolean
  /** Silence after which a live session is declared dead. */
  silenceMs: number
  signal?: AbortSignal
}

interface AckWaiter {
  seq: number
  resolve: () => void
  reject: (err: Error) => void
}

export class MailboxSession implements AsyncIterable<FetchedEnvelope> {
  readonly relay: PeerId
  readonly mailboxId: Uint8Array
  readonly live: boolean
  /**
   * Resolves once the relay has sent everything the mailbox held when the session opened (later
   * envelopes are live pushes). Rejects if the session ends first.
   */
  readonly caughtUp: Promise<void>
  readonly #init: MailboxSessionInit
  readonly #queue: FetchedEnvelope[] = []
  #wake: (() => void) | undefined
  #exhausted = false
  #ended = false
  #error: Error | undefined
  readonly #caughtUp: Deferred<void>
  #ackSeq = 0
  #pendingAcks: Uint8Array[] = []
  #ackScheduled = false
  readonly #ackWaiters: AckWaiter[] = []
  #closing: Promise<void> | undefined

  constructor(init: MailboxSessionInit) {
    this.#init = init
    this.relay = init.relay
    this.mailboxId = init.mailboxId
    this.live = init.live
    this.#caughtUp = deferred<void>()
    this.caughtUp = this.#caughtUp.promise
    this.caughtUp.catch(() => {})
    const onAbort = (): void => {
      this.abort(init.signal?.reason ?? new StreamEndedError('aborted'))
    }
    init.signal?.addEventListener('abort', onAbort, { once: true })
    void this.#read().finally(() => {
      init.signal?.removeEventListener('abort', onAbort)
    })
  }

  /**
   * Acknowledges envelopes of this mailbox. Acks asked for in the same I/O turn share one frame; the
   * promise resolves once the relay has made them durable.
   */
  async ack(envelopeIds: Uint8Array[], options: { signal?: AbortSignal } = {}): Promise<void> {
    if (envelopeIds.length === 0) {
      return
    }
    if (this.#error !== undefined || this.#ended) {
      throw this.#error ?? new StreamEndedError('the fetch session has ended')
    }
    this.#pendingAcks.push(...envelopeIds)
    if (!this.#ackScheduled) {
      this.#ackScheduled = true
      afterIo(() => {
        this.#flushAcks()
      })
    }
    // every pending ack goes out before the next seq is taken: wait for the seq of the last frame
    const waiter = deferred<void>()
    const seqAfterFlush = this.#ackSeq + Math.ceil(this.#pendingAcks.length / MAX_ACK_IDS)
    this.#ackWaiters.push({ seq: seqAfterFlush, resolve: waiter.resolve, reject: waiter.reject })
    if (options.signal === undefined) {
      return waiter.promise
    }
    options.signal.throwIfAborted()
    const signal = options.signal
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        reject(signal.reason)
      }
      signal.addEventListener('abort', onAbort, { once: true })
      waiter.promise.then(resolve, reject).finally(() => {
        signal.removeEventListener('abort', onAbort)
      })
    })
  }

  #flushAcks(): void {
    this.#ackScheduled = false
    while (this.#pendingAcks.length > 0) {
      const envelopeIds = this.#pendingAcks.splice(0, MAX_ACK_IDS)
      this.#ackSeq = (this.#ackSeq + 1) >>> 0
      this.#init.writer.write(
        MailboxRequest.encode({ version: RELAY_PROTOCOL_VERSION, ack: { seq: this.#ackSeq, envelopeIds } }),
      )
    }
    this.#init.writer.flush()
  }

  /**
   * Ends the session: sends pending acks, waits for the relay to confirm them, and closes the stream.
   */
  async close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#closing = (async () => {
        if (this.#ackScheduled) {
          this.#flushAcks()
        }
        const last = this.#ackWaiters.at(-1)
        if (last !== undefined && this.#error === undefined) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, STREAM_CLOSE_TIMEOUT_MS)
            const done = (): void => {
              clearTimeout(timer)
              resolve()
            }
            this.#ackWaiters.push({ seq: last.seq, resolve: done, reject: done })
          })
        }
        await this.#init.writer.close(STREAM_CLOSE_TIMEOUT_MS)
        this.#end(undefined)
      })()
    }
    return this.#closing
  }

  /** Resets the session's stream; the iterator and pending acks fail with `err`. */
  abort(err: Error): void {
    this.#init.stream.abort(err)
    this.#end(err)
  }

  /**
   * The envelopes in arrival order: the backlog, then (when live) new deposits as they arrive. A
   * non-live session's iteration ends once the backlog is delivered. Leaving the loop early does not
   * end the session: call `close()` (or `abort()`) when done.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<FetchedEnvelope> {
    for (;;) {
      const envelope = this.#queue.shift()
      if (envelope !== undefined) {
        yield envelope
        continue
      }
      if (this.#error !== undefined) {
        throw this.#error
      }
      if (this.#ended || this.#exhausted) {
        return
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve
      })
    }
  }

  async #read(): Promise<void> {
    try {
      for (;;) {
        let frame: Uint8Array | null
        try {
          frame = await this.#init.reader.next({
            idleTimeoutMs: this.live ? this.#init.silenceMs : undefined,
          })
        } catch (err) {
          if (err instanceof IdleTimeoutError) {
            throw new SessionSilentError(`nothing heard from the relay for ${this.#init.silenceMs} ms`)
          }
          throw err
        }
        if (frame === null) {
          this.#end(
            this.#exhausted || this.#closing !== undefined ? undefined : new StreamEndedError('relay closed'),
          )
          return
        }
        this.#onResponse(MailboxResponse.decode(frame))
      }
    } catch (err) {
      const error =
        err instanceof WireError
          ? new ProtocolError(`unreadable reply from the relay: ${err.message}`)
          : err instanceof Error
            ? err
            : new ProtocolError('unreadable reply from the relay')
      if (this.#init.stream.status === 'open') {
        this.#init.stream.abort(error)
      }
      this.#end(this.#closing !== undefined && this.#error === undefined ? undefined : error)
    }
  }

  #onResponse(response: pb.MailboxResponse): void {
    if (response.ack !== undefined) {
      this.#settleAcks(response.ack.seq, response.status, response.description)
      return
    }
    if (response.status !== StatusCode.OK) {
      throw new RequestRefusedError(response.status, response.description)
    }
    if (response.page !== undefined) {
      for (const envelope of response.page.envelopes) {
        this.#queue.push(envelope)
      }
      if (response.page.caughtUp) {
        this.#caughtUp.resolve()
        if (!this.live) {
          this.#exhausted = true
        }
      }
      this.#notify()
      return
    }
    if (!response.heartbeat) {
      throw new ProtocolError('unexpected reply in a fetch session')
    }
  }

  #settleAcks(seq: number, status: number, description: string): void {
    const error = status === StatusCode.OK ? undefined : new RequestRefusedError(status, description)
    while (this.#ackWaiters.length > 0 && this.#ackWaiters[0]!.seq <= seq) {
      const waiter = this.#ackWaiters.shift()!
      if (error === undefined) {
        waiter.resolve()
      } else {
        waiter.reject(error)
      }
    }
  }

  #notify(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  #end(err: Error | undefined): void {
    if (this.#ended) {
      return
    }
    this.#ended = true
    this.#error = err
    const failure = err ?? new StreamEndedError('the fetch session has ended')
    this.#caughtUp.reject(failure)
    for (const waiter of this.#ackWaiters.splice(0)) {
      waiter.reject(failure)
    }
    this.#notify()
  }
}
