/**
 * The relay side of one fetch session: after a fetch request, the stream carries pages of the
 * mailbox's pending envelopes in arrival order (cursor paging, never re-reading from the start), then
 * live pushes of new deposits, bounded by the client's window of unacked envelopes (an ack frees its
 * slots when it arrives); acks come back on the same stream and are coalesced into one durable
 * backend call per batch, and each is answered once durable.
 *
 * An unauthorised session (wrong key, reused or foreign nonce) behaves exactly like an authorised
 * session on an empty mailbox: one empty caught-up page, heartbeats when live, every ack answered OK.
 * It never touches the backend, so it discloses nothing and deletes nothing.
 */

import {
  Kind,
  MAX_ACK_IDS,
  MAX_ENVELOPE_BYTES,
  MAX_PAGE_ENVELOPES,
  MailboxResponse,
  type pb,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import type { Logger } from '@libp2p/interface'
import { compare } from 'uint8arrays/compare'
import { afterIo, type FrameWriter } from '../stream/frame-writer.js'
import type { MailboxBackend, StoredEnvelope } from './backend.js'
import type { MailboxServerEvent } from './server.js'

/** Bytes a fetched envelope adds to a page besides its payload (ID, times, protobuf tags). */
const ENVELOPE_OVERHEAD_BYTES = 48
/** Acked IDs queued before the stream's reader waits for the backend to catch up. */
const MAX_QUEUED_ACK_IDS = 4 * MAX_ACK_IDS

export interface FetchSessionInit {
  backend: Pick<MailboxBackend, 'list' | 'ack' | 'subscribe'>
  writer: FrameWriter
  /** The authorised mailbox, or undefined for a session that must serve nothing. */
  mailbox: Uint8Array | undefined
  live: boolean
  window: number
  pageBytes: number
  heartbeatIntervalMs: number
  log: Logger
  emit: (event: MailboxServerEvent) => void
  /** Ends the exchange with a refusal (the backend failed). */
  fail: (code: number, description: string) => void
}

/** An envelope ID as a map key: one string of its bytes (one call, not a concatenation per byte). */
function idKey(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[])
}

export class FetchSession {
  readonly live: boolean
  readonly #init: FetchSessionInit
  readonly #outstanding = new Set<string>()
  #lastCursor: Uint8Array | undefined
  /** There may be envelopes the session has not listed yet. */
  #dirty = true
  #reportedCaughtUp = false
  #pumping = false
  #again = false
  #stopped = false
  #unsubscribe: (() => void) | undefined
  #heartbeat: ReturnType<typeof setInterval> | undefined
  #ackIds: Uint8Array[] = []
  #ackSeq = 0
  #acking: Promise<void> | undefined
  #ackDrained: (() => void) | undefined

  constructor(init: FetchSessionInit) {
    this.#init = init
    this.live = init.live
  }

  /** Whether this session serves a real mailbox (for metrics only; never sent). */
  get authorised(): boolean {
    return this.#init.mailbox !== undefined
  }

  start(): void {
    const { mailbox, backend } = this.#init
    if (mailbox !== undefined && this.live) {
      this.#unsubscribe = backend.subscribe(mailbox, (envelope) => {
        this.#onDeposited(envelope)
      })
    }
    if (this.live) {
      const interval = this.#init.heartbeatIntervalMs
      this.#heartbeat = setInterval(() => {
        if (Date.now() - this.#init.writer.lastWriteAt >= interval / 2) {
          this.#write({ heartbeat: true })
        }
      }, interval)
      this.#heartbeat.unref?.()
    }
    this.#kick()
  }

  stop(): void {
    this.#stopped = true
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
    if (this.#heartbeat !== undefined) {
      clearInterval(this.#heartbeat)
      this.#heartbeat = undefined
    }
    this.#ackDrained?.()
  }

  /** Queues acks; answered (AckResult with the highest seq) once the backend made them durable. */
  async ack(seq: number, envelopeIds: Uint8Array[]): Promise<void> {
    if (this.#init.mailbox === undefined) {
      this.#write({ ack: { seq } })
      return
    }
    // the window counts envelopes the client has not acked: an ack frees its slots as it arrives
    // (the AckResult still waits for the durable write), so the next page need not wait for an fsync
    for (const id of envelopeIds) {
      this.#outstanding.delete(idKey(id))
    }
    this.#ackIds.push(...envelopeIds)
    this.#ackSeq = seq
    this.#kick()
    if (this.#acking === undefined) {
      this.#acking = new Promise<void>((resolve) => {
        afterIo(resolve)
      })
        .then(() => this.#flushAcks())
        .finally(() => {
          this.#acking = undefined
        })
    }
    if (this.#ackIds.length >= MAX_QUEUED_ACK_IDS) {
      await new Promise<void>((resolve) => {
        this.#ackDrained = resolve
      })
    }
  }

  /** Resolves once every queued ack has been made durable and answered. */
  async drain(): Promise<void> {
    while (this.#acking !== undefined) {
      await this.#acking
    }
  }

  async #flushAcks(): Promise<void> {
    const mailbox = this.#init.mailbox as Uint8Array
    while (this.#ackIds.length > 0) {
      const ids = this.#ackIds
      const seq = this.#ackSeq
      this.#ackIds = []
      this.#ackDrained?.()
      this.#ackDrained = undefined
      const started = performance.now()
      let status: number = StatusCode.OK
      let acked = 0
      try {
        acked = await this.#init.backend.ack(mailbox, ids)
      } catch (err) {
        this.#init.log.error('mailbox ack failed: %s', (err as Error)?.name)
        status = StatusCode.STORAGE_ERROR
      }
      this.#write({ status, ack: { seq } })
      this.#init.emit({ type: 'ack', requested: ids.length, acked, durationMs: performance.now() - started })
    }
  }

  #write(body: Partial<pb.MailboxResponse>): void {
    this.#init.writer.write(
      MailboxResponse.encode({
        version: RELAY_PROTOCOL_VERSION,
        status: StatusCode.OK,
        description: '',
        heartbeat: false,
        ...body,
      }),
    )
  }

  /**
   * A deposit for this mailbox became durable. A session that has sent everything listed so far, has
   * room in its window and a stream that is not backed up sends it at once, from the deposit itself;
   * otherwise the envelope is left to the next list (which reads it from the store in its order).
   */
  #onDeposited(envelope: StoredEnvelope): void {
    if (
      !this.#stopped &&
      !this.#pumping &&
      !this.#dirty &&
      this.#reportedCaughtUp &&
      this.#outstanding.size < this.#init.window &&
      !this.#init.writer.needsDrain &&
      (this.#lastCursor === undefined || compare(envelope.cursor, this.#lastCursor) > 0)
    ) {
      this.#sendPages([envelope], true)
      return
    }
    this.#dirty = true
    this.#kick()
  }

  #kick(): void {
    if (this.#stopped) {
      return
    }
    if (this.#pumping) {
      this.#again = true
      return
    }
    this.#pumping = true
    void this.#pump().finally(() => {
      this.#pumping = false
    })
  }

  async #pump(): Promise<void> {
    const { mailbox } = this.#init
    if (mailbox === undefined) {
      if (!this.#reportedCaughtUp) {
        this.#reportedCaughtUp = true
        this.#write({ page: { envelopes: [], caughtUp: true } })
      }
      return
    }
    try {
      do {
        this.#again = false
        while (!this.#stopped && this.#dirty && this.#outstanding.size < this.#init.window) {
          // one page per list, and only once the stream has drained: a session holds about one page
          await this.#init.writer.ready()
          const limit = Math.min(this.#init.window - this.#outstanding.size, MAX_PAGE_ENVELOPES)
          const maxBytes = this.#init.pageBytes
          this.#dirty = false
          const envelopes = await this.#init.backend.list(mailbox, {
            after: this.#lastCursor,
            limit,
            maxBytes,
          })
          if (this.#stopped) {
            return
          }
          // a short list means the mailbox had nothing more, unless the byte cap may have cut it short
          const bytes = envelopes.reduce((sum, e) => sum + e.payload.byteLength, 0)
          const exhausted = envelopes.length < limit && bytes + MAX_ENVELOPE_BYTES <= maxBytes
          if (!exhausted) {
            this.#dirty = true
          }
          this.#sendPages(envelopes, exhausted)
        }
      } while (this.#again && !this.#stopped)
    } catch (err) {
      if (!this.#stopped) {
        this.#init.log.error('mailbox list failed: %s', (err as Error)?.name)
        this.#init.fail(StatusCode.STORAGE_ERROR, 'the relay could not read the mailbox')
      }
    }
  }

  #sendPages(envelopes: readonly StoredEnvelope[], exhausted: boolean): void {
    const caughtUp = exhausted
    if (envelopes.length === 0) {
      if (caughtUp && !this.#reportedCaughtUp) {
        this.#reportedCaughtUp = true
        this.#write({ page: { envelopes: [], caughtUp: true } })
      }
      return
    }
    let page: pb.FetchedEnvelope[] = []
    let pageBytes = 0
    let sentBytes = 0
    let groups = 0
    for (let i = 0; i < envelopes.length; i++) {
      const envelope = envelopes[i]!
      const size = envelope.payload.byteLength + ENVELOPE_OVERHEAD_BYTES
      if (page.length > 0 && pageBytes + size > this.#init.pageBytes) {
        this.#write({ page: { envelopes: page, caughtUp: false } })
        page = []
        pageBytes = 0
      }
      page.push({
        envelopeId: envelope.envelopeId,
        payload: envelope.payload,
        depositedAt: envelope.depositedAt,
        expiresAt: envelope.expiresAt,
      })
      pageBytes += size
      sentBytes += envelope.payload.byteLength
      if (envelope.payload[0] === Kind.GroupEnvelope) {
        groups++
      }
      this.#outstanding.add(idKey(envelope.envelopeId))
      this.#lastCursor = envelope.cursor
    }
    this.#write({ page: { envelopes: page, caughtUp } })
    if (caughtUp) {
      this.#reportedCaughtUp = true
    }
    this.#init.emit({ type: 'envelopes-sent', count: envelopes.length, groups, bytes: sentBytes })
  }
}
