/**
 * One mailbox stream on the relay, from its first frame to its close: pipelined deposits with results
 * coalesced per I/O turn, challenges, status queries, or one fetch session. Frame-level refusals
 * (unreadable frames, unknown versions, requests out of place) answer with a typed status, then reset
 * the stream. What the streams share (limits, rate limiters, challenges, the backend) comes from the
 * server as an ExchangeContext.
 */

import type { pb } from '@ferry/wire'
import {
  MAX_COALESCED_RESULTS,
  MAX_STREAM_FRAME_BYTES,
  MailboxRequest,
  MailboxResponse,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import type { Connection, Logger, Stream } from '@libp2p/interface'
import { MAILBOX_DEFAULT_WINDOW, MAX_QUEUED_FRAMES, STREAM_CLOSE_TIMEOUT_MS } from '../constants.js'
import { FrameTooLargeError, IdleTimeoutError, MalformedFrameError, ReadTimeoutError } from '../errors.js'
import { FrameReader } from '../stream/frame-reader.js'
import { afterIo, FrameWriter } from '../stream/frame-writer.js'
import { describeReadError, statusForReadError } from '../stream/types.js'
import type { DepositOutcome, MailboxBackend, RefusalReason } from './backend.js'
import type { MailboxRefusal, MailboxServerEvent } from './server.js'
import { FetchSession } from './session.js'

/** The server's limits, with every default applied. */
export interface ResolvedInit {
  backend: MailboxBackend
  maxEnvelopeBytes: number
  maxDepositMailboxes: number
  defaultTtlMs: number
  maxTtlMs: number
  maxPipelinedDeposits: number
  frameTimeoutMs: number
  idleTimeoutMs: number
  maxWindow: number
  pageBytes: number
  heartbeatIntervalMs: number
  emit: (event: MailboxServerEvent) => void
}

/** What every stream of one mailbox server shares. */
export interface ExchangeContext {
  init: ResolvedInit
  log: Logger
  takeDepositToken(peer: string): boolean
  takeQueryToken(peer: string): boolean
  issueChallenge(connection: Connection, mailboxId: Uint8Array): Uint8Array
  /** Whether a fetch request proves ownership of its mailbox on this connection (nonce consumed). */
  authorise(connection: Connection, request: pb.FetchRequest): Promise<boolean>
  sessionOpened(delta: 1 | -1): void
}

const refusalStatus: Record<RefusalReason, number> = {
  'too-large': StatusCode.TOO_LARGE,
  'mailbox-full': StatusCode.MAILBOX_FULL,
  'too-many-mailboxes': StatusCode.TOO_MANY_MAILBOXES,
  'storage-error': StatusCode.STORAGE_ERROR,
  expired: StatusCode.EXPIRED,
}

const refusalName: Partial<Record<number, MailboxRefusal>> = {
  [StatusCode.TOO_LARGE]: 'too-large',
  [StatusCode.MALFORMED]: 'malformed',
  [StatusCode.UNKNOWN_VERSION]: 'unknown-version',
  [StatusCode.BAD_REQUEST]: 'bad-request',
  [StatusCode.RATE_LIMITED]: 'rate-limited',
}

/** One mailbox stream, from its first frame to its close. */
export class MailboxExchange {
  readonly #server: ExchangeContext
  readonly #init: ResolvedInit
  readonly #stream: Stream
  readonly #connection: Connection
  readonly #stopping: AbortSignal
  readonly #peer: string
  readonly #reader: FrameReader
  readonly #writer: FrameWriter
  readonly #pending = new Set<Promise<void>>()
  #results: pb.DepositResult[] = []
  #resultsScheduled = false
  #session: FetchSession | undefined

  constructor(server: ExchangeContext, stream: Stream, connection: Connection, stopping: AbortSignal) {
    this.#server = server
    this.#init = server.init
    this.#stream = stream
    this.#connection = connection
    this.#stopping = stopping
    this.#peer = connection.remotePeer.toString()
    this.#reader = new FrameReader(stream, {
      maxFrameBytes: MAX_STREAM_FRAME_BYTES,
      frameTimeoutMs: this.#init.frameTimeoutMs,
      maxQueuedFrames: MAX_QUEUED_FRAMES,
    })
    this.#writer = new FrameWriter(stream)
  }

  async run(): Promise<void> {
    try {
      for (;;) {
        const live = this.#session?.live === true
        let frame: Uint8Array | null
        try {
          frame = await this.#reader.next({
            signal: this.#stopping,
            idleTimeoutMs: live ? undefined : this.#init.idleTimeoutMs,
          })
        } catch (err) {
          await this.#onReadError(err)
          return
        }
        if (frame === null) {
          break
        }
        if (!(await this.#onFrame(frame))) {
          return
        }
      }
      await this.#finish()
    } finally {
      if (this.#session !== undefined) {
        this.#session.stop()
        this.#server.sessionOpened(-1)
        this.#init.emit({ type: 'session-closed' })
      }
    }
  }

  /** Finishes in-flight work, then half-closes: the client closed its side, went idle, or we stop. */
  async #finish(): Promise<void> {
    while (this.#pending.size > 0) {
      await Promise.allSettled([...this.#pending])
    }
    this.#flushResults()
    await this.#session?.drain()
    await this.#writer.close(STREAM_CLOSE_TIMEOUT_MS)
  }

  async #onReadError(err: unknown): Promise<void> {
    if (this.#stream.status !== 'open' && !(err instanceof ReadTimeoutError)) {
      // already refused and reset (a failed session), or reset by the remote
      return
    }
    if (err instanceof IdleTimeoutError || this.#stopping.aborted) {
      await this.#finish()
      return
    }
    if (err instanceof ReadTimeoutError) {
      this.#init.emit({ type: 'refused', reason: 'read-timeout' })
      return
    }
    if (err instanceof FrameTooLargeError || err instanceof MalformedFrameError) {
      await this.#refuse(statusForReadError(err), describeReadError(err))
      return
    }
    // reset or closed by the remote, or its connection dropped: nothing left to answer
  }

  /** Answers with a frame-level refusal, lets in-flight work finish, and ends the stream. */
  async #refuse(status: number, description: string): Promise<void> {
    const reason = refusalName[status]
    if (reason !== undefined) {
      this.#init.emit({ type: 'refused', reason })
    }
    while (this.#pending.size > 0) {
      await Promise.allSettled([...this.#pending])
    }
    this.#flushResults()
    this.#writer.write(this.#response({ status, description }))
    await this.#writer.closeWrite(STREAM_CLOSE_TIMEOUT_MS)
    // the frame stream cannot be trusted past a refusal: drop whatever the client still sends
    this.#stream.abort(new MalformedFrameError(description))
  }

  #response(body: Partial<pb.MailboxResponse>): Uint8Array {
    return MailboxResponse.encode({
      version: RELAY_PROTOCOL_VERSION,
      status: StatusCode.OK,
      description: '',
      heartbeat: false,
      ...body,
    })
  }

  /** Handles one frame; false when the exchange ended with a refusal. */
  async #onFrame(frame: Uint8Array): Promise<boolean> {
    let request: pb.MailboxRequest
    try {
      request = MailboxRequest.decode(frame)
    } catch (err) {
      await this.#refuse(statusForReadError(err), describeReadError(err))
      return false
    }
    if (request.version !== RELAY_PROTOCOL_VERSION) {
      await this.#refuse(StatusCode.UNKNOWN_VERSION, `protocol version ${request.version} is not spoken here`)
      return false
    }
    const session = this.#session
    if (request.ack !== undefined) {
      if (session === undefined) {
        await this.#refuse(StatusCode.BAD_REQUEST, 'ack outside a fetch session')
        return false
      }
      await session.ack(request.ack.seq, request.ack.envelopeIds)
      return true
    }
    if (session !== undefined) {
      await this.#refuse(StatusCode.BAD_REQUEST, 'a fetch session stream carries only acks')
      return false
    }
    if (request.deposit !== undefined) {
      await this.#deposit(request.deposit)
    } else if (request.challenge !== undefined) {
      this.#challenge(request.challenge)
    } else if (request.fetch !== undefined) {
      await this.#fetch(request.fetch)
    } else if (request.status !== undefined) {
      await this.#status(request.status)
    }
    return true
  }

  async #deposit(deposit: pb.DepositRequest): Promise<void> {
    const seq = deposit.seq
    if (!this.#server.takeDepositToken(this.#peer)) {
      this.#init.emit({ type: 'refused', reason: 'rate-limited' })
      this.#result(seq, StatusCode.RATE_LIMITED, 'over the per-peer deposit rate', 0, deposit, 0)
      return
    }
    if (deposit.payload.byteLength > this.#init.maxEnvelopeBytes) {
      this.#result(
        seq,
        StatusCode.TOO_LARGE,
        `payload over ${this.#init.maxEnvelopeBytes} bytes`,
        0,
        deposit,
        0,
      )
      return
    }
    const mailboxes = dedupe(deposit.mailboxIds)
    if (mailboxes.length > this.#init.maxDepositMailboxes) {
      this.#result(
        seq,
        StatusCode.TOO_MANY_MAILBOXES,
        `more than ${this.#init.maxDepositMailboxes} mailboxes`,
        0,
        deposit,
        0,
      )
      return
    }
    const ttlMs = deposit.ttlMs === 0 ? this.#init.defaultTtlMs : Math.min(deposit.ttlMs, this.#init.maxTtlMs)
    const started = performance.now()
    const work = this.#init.backend
      .deposit({ envelopeId: deposit.envelopeId, payload: deposit.payload, mailboxes, ttlMs })
      .then(
        (outcome) => {
          const [status, description, expiresAt] = describeOutcome(outcome)
          this.#result(seq, status, description, expiresAt, deposit, performance.now() - started)
        },
        (err: unknown) => {
          this.#server.log.error('mailbox deposit failed: %s', (err as Error)?.name)
          this.#result(seq, StatusCode.STORAGE_ERROR, 'the relay could not store the envelope', 0, deposit, 0)
        },
      )
      .finally(() => {
        this.#pending.delete(work)
      })
    this.#pending.add(work)
    while (this.#pending.size >= this.#init.maxPipelinedDeposits) {
      await Promise.race(this.#pending)
    }
  }

  #result(
    seq: number,
    status: number,
    description: string,
    expiresAt: number,
    deposit: pb.DepositRequest,
    durationMs: number,
  ): void {
    this.#init.emit({ type: 'deposit', status, bytes: deposit.payload.byteLength, durationMs })
    this.#results.push({ seq, status, description, expiresAt })
    if (!this.#resultsScheduled) {
      this.#resultsScheduled = true
      afterIo(() => {
        this.#flushResults()
      })
    }
  }

  /** Sends every result gathered since the last flush, coalesced into as few frames as the cap allows. */
  #flushResults(): void {
    this.#resultsScheduled = false
    while (this.#results.length > 0) {
      const results = this.#results.splice(0, MAX_COALESCED_RESULTS)
      this.#writer.write(this.#response({ deposit: { results } }))
    }
    this.#writer.flush()
  }

  #challenge(challenge: pb.ChallengeRequest): void {
    if (!this.#server.takeQueryToken(this.#peer)) {
      this.#init.emit({ type: 'refused', reason: 'rate-limited' })
      this.#writer.write(
        this.#response({ status: StatusCode.RATE_LIMITED, description: 'over the query rate' }),
      )
      return
    }
    const nonce = this.#server.issueChallenge(this.#connection, challenge.mailboxId)
    this.#writer.write(this.#response({ challenge: { nonce } }))
  }

  async #fetch(fetch: pb.FetchRequest): Promise<void> {
    const authorised = await this.#server.authorise(this.#connection, fetch)
    const window = Math.min(fetch.window === 0 ? MAILBOX_DEFAULT_WINDOW : fetch.window, this.#init.maxWindow)
    this.#session = new FetchSession({
      backend: this.#init.backend,
      writer: this.#writer,
      mailbox: authorised ? fetch.mailboxId : undefined,
      live: fetch.live,
      window,
      pageBytes: this.#init.pageBytes,
      heartbeatIntervalMs: this.#init.heartbeatIntervalMs,
      log: this.#server.log,
      emit: this.#init.emit,
      fail: (status, description) => {
        void this.#refuse(status, description)
      },
    })
    this.#server.sessionOpened(1)
    this.#init.emit({ type: 'session-opened', authorised, live: fetch.live })
    this.#session.start()
  }

  async #status(request: pb.StatusRequest): Promise<void> {
    if (!this.#server.takeQueryToken(this.#peer)) {
      this.#init.emit({ type: 'refused', reason: 'rate-limited' })
      this.#writer.write(
        this.#response({ status: StatusCode.RATE_LIMITED, description: 'over the query rate' }),
      )
      return
    }
    try {
      const statuses = await Promise.all(
        request.envelopeIds.map(async (envelopeId) => {
          const status = await this.#init.backend.status(envelopeId)
          return status === undefined
            ? { envelopeId, known: false, total: 0, pending: 0, expired: false }
            : { envelopeId, known: true, ...status }
        }),
      )
      this.#init.emit({ type: 'status', count: statuses.length })
      this.#writer.write(this.#response({ statusReply: { statuses } }))
    } catch (err) {
      this.#server.log.error('mailbox status failed: %s', (err as Error)?.name)
      this.#writer.write(
        this.#response({
          status: StatusCode.STORAGE_ERROR,
          description: 'the relay could not read the status',
        }),
      )
    }
  }
}

function describeOutcome(outcome: DepositOutcome): [number, string, number] {
  switch (outcome.status) {
    case 'stored':
      return [StatusCode.OK, '', outcome.expiresAt]
    case 'duplicate':
      return [StatusCode.DUPLICATE, 'already stored', outcome.expiresAt]
    default:
      return [refusalStatus[outcome.reason] ?? StatusCode.STORAGE_ERROR, outcome.reason, 0]
  }
}

function dedupe(ids: Uint8Array[]): Uint8Array[] {
  if (ids.length < 2) {
    return ids
  }
  const seen = new Set<string>()
  const out: Uint8Array[] = []
  for (const id of ids) {
    const key = String.fromCharCode(...id)
    if (!seen.has(key)) {
      seen.add(key)
      out.push(id)
    }
  }
  return out
}
