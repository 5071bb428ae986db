/**
 * The relay's mailbox service on PROTOCOL_MAILBOX. One stream carries either request/response traffic
 * (pipelined deposits, challenges, status queries) or, after a fetch request, one fetch session. It
 * owns the per-peer limits (deposit rate, query rate, streams), the challenge book, and every reply's
 * status code; storage is the injected MailboxBackend.
 *
 * Deposits on one stream run concurrently (the backend group-commits them) up to a pipeline limit,
 * and every result that completes in one I/O turn goes back in one reply frame.
 */

import type { pb } from '@ferry/wire'
import {
  equalBytes,
  MAX_COALESCED_RESULTS,
  MAX_DEPOSIT_MAILBOXES,
  MAX_ENVELOPE_BYTES,
  MAX_STREAM_FRAME_BYTES,
  MailboxRequest,
  MailboxResponse,
  PROTOCOL_MAILBOX,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import {
  CHALLENGE_TTL_MS,
  DEFAULT_DEPOSIT_TTL_MS,
  DEPOSIT_BURST_PER_PEER,
  DEPOSIT_RATE_PER_PEER_PER_SECOND,
  FRAME_READ_TIMEOUT_MS,
  MAILBOX_DEFAULT_WINDOW,
  MAILBOX_HEARTBEAT_INTERVAL_MS,
  MAILBOX_MAX_INBOUND_STREAMS,
  MAILBOX_MAX_OUTBOUND_STREAMS,
  MAILBOX_MAX_PIPELINED_DEPOSITS,
  MAILBOX_MAX_STREAMS_PER_PEER,
  MAILBOX_MAX_WINDOW,
  MAILBOX_PAGE_BYTES,
  MAX_CHALLENGES_PER_CONNECTION,
  MAX_DEPOSIT_TTL_MS,
  MAX_QUEUED_FRAMES,
  MAX_RATE_LIMITER_KEYS,
  QUERY_BURST_PER_PEER,
  QUERY_RATE_PER_PEER_PER_SECOND,
  STREAM_CLOSE_TIMEOUT_MS,
  STREAM_IDLE_TIMEOUT_MS,
} from '../constants.js'
import { FrameTooLargeError, IdleTimeoutError, MalformedFrameError, ReadTimeoutError } from '../errors.js'
import { FrameReader } from '../stream/frame-reader.js'
import { afterIo, FrameWriter } from '../stream/frame-writer.js'
import { RateLimiter } from '../stream/rate-limiter.js'
import { ProtocolService } from '../stream/service.js'
import { describeReadError, type ServerComponents, statusForReadError } from '../stream/types.js'
import { ChallengeBook, mailboxAuthPayload, mailboxIdFor, verifyEd25519 } from './auth.js'
import type { DepositOutcome, MailboxBackend, RefusalReason } from './backend.js'
import { FetchSession } from './session.js'

export interface MailboxServerInit {
  /** Where envelopes are stored. Required. */
  backend: MailboxBackend
  /** Largest payload accepted, in bytes. Default and ceiling: MAX_ENVELOPE_BYTES. */
  maxEnvelopeBytes?: number
  /** Mailboxes one deposit may list. Default and ceiling: MAX_DEPOSIT_MAILBOXES. */
  maxDepositMailboxes?: number
  /** TTL given to a deposit that asks for none (ttl 0). Default: DEFAULT_DEPOSIT_TTL_MS. */
  defaultTtlMs?: number
  /** Largest TTL granted; longer requests are capped. Default: MAX_DEPOSIT_TTL_MS. */
  maxTtlMs?: number
  /** Per-peer deposit bucket size. Default: DEPOSIT_BURST_PER_PEER. */
  depositBurstPerPeer?: number
  /** Per-peer deposit refill rate. Default: DEPOSIT_RATE_PER_PEER_PER_SECOND. */
  depositRatePerPeerPerSecond?: number
  /** Per-peer bucket for challenges and status queries. Default: QUERY_BURST_PER_PEER. */
  queryBurstPerPeer?: number
  /** Its refill rate. Default: QUERY_RATE_PER_PEER_PER_SECOND. */
  queryRatePerPeerPerSecond?: number
  /** Inbound mailbox streams per connection. Default: MAILBOX_MAX_INBOUND_STREAMS. */
  maxInboundStreams?: number
  /** Outbound mailbox streams per connection. Default: MAILBOX_MAX_OUTBOUND_STREAMS. */
  maxOutboundStreams?: number
  /** Mailbox streams per peer across its connections. Default: MAILBOX_MAX_STREAMS_PER_PEER. */
  maxStreamsPerPeer?: number
  /** Deposits in flight per stream. Default: MAILBOX_MAX_PIPELINED_DEPOSITS. */
  maxPipelinedDeposits?: number
  /** Time a started frame has to arrive whole. Default: FRAME_READ_TIMEOUT_MS. */
  frameTimeoutMs?: number
  /** Idle time after which a non-live stream is closed. Default: STREAM_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number
  /** Lifetime of a challenge nonce. Default: CHALLENGE_TTL_MS. */
  challengeTtlMs?: number
  /** Largest fetch window granted. Default: MAILBOX_MAX_WINDOW. */
  maxWindow?: number
  /** Bytes of envelopes per page. Default: MAILBOX_PAGE_BYTES. */
  pageBytes?: number
  /** Heartbeat interval of idle live sessions. Default: MAILBOX_HEARTBEAT_INTERVAL_MS. */
  heartbeatIntervalMs?: number
  /** Serve over limited (relayed) connections too. Default: false (devices dial relays directly). */
  runOnLimitedConnection?: boolean
  /** The clock for TTLs, challenges and rate limits, in ms. Default: Date.now. */
  now?: () => number
  /** Randomness for challenge nonces. Default: crypto.getRandomValues. */
  randomBytes?: (length: number) => Uint8Array
  /** Observes what the service does (for metrics). Events carry no peer or mailbox IDs. */
  onEvent?: (event: MailboxServerEvent) => void
}

export type MailboxRefusal =
  | 'rate-limited'
  | 'too-large'
  | 'malformed'
  | 'unknown-version'
  | 'bad-request'
  | 'stream-limit'
  | 'read-timeout'

export type MailboxServerEvent =
  /** A deposit was answered; `status` is its StatusCode, `durationMs` the durable-write latency. */
  | { type: 'deposit'; status: number; bytes: number; durationMs: number }
  | { type: 'session-opened'; authorised: boolean; live: boolean }
  | { type: 'session-closed' }
  | { type: 'envelopes-sent'; count: number; bytes: number }
  | { type: 'ack'; requested: number; acked: number; durationMs: number }
  | { type: 'status'; count: number }
  /** A request or stream refused by a limit or as malformed. */
  | { type: 'refused'; reason: MailboxRefusal }

export interface MailboxServerStats {
  openStreams: number
  sessions: number
}

interface ResolvedInit {
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

function defaultRandomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length))
}

export class MailboxServer extends ProtocolService {
  readonly #init: ResolvedInit
  readonly #depositLimiter: RateLimiter
  readonly #queryLimiter: RateLimiter
  readonly #challenges: ChallengeBook
  readonly #watched = new WeakSet<Connection>()
  #sessions = 0

  constructor(components: ServerComponents, init: MailboxServerInit) {
    const emit = init.onEvent ?? (() => {})
    super(
      components,
      {
        protocol: PROTOCOL_MAILBOX,
        maxInboundStreams: init.maxInboundStreams ?? MAILBOX_MAX_INBOUND_STREAMS,
        maxOutboundStreams: init.maxOutboundStreams ?? MAILBOX_MAX_OUTBOUND_STREAMS,
        maxStreamsPerPeer: init.maxStreamsPerPeer ?? MAILBOX_MAX_STREAMS_PER_PEER,
        runOnLimitedConnection: init.runOnLimitedConnection ?? false,
        onStreamRefused: () => {
          emit({ type: 'refused', reason: 'stream-limit' })
        },
      },
      'ferry:relay:mailbox',
    )
    const now = init.now ?? Date.now
    this.#init = {
      backend: init.backend,
      maxEnvelopeBytes: Math.min(init.maxEnvelopeBytes ?? MAX_ENVELOPE_BYTES, MAX_ENVELOPE_BYTES),
      maxDepositMailboxes: Math.min(init.maxDepositMailboxes ?? MAX_DEPOSIT_MAILBOXES, MAX_DEPOSIT_MAILBOXES),
      defaultTtlMs: init.defaultTtlMs ?? DEFAULT_DEPOSIT_TTL_MS,
      maxTtlMs: init.maxTtlMs ?? MAX_DEPOSIT_TTL_MS,
      maxPipelinedDeposits: init.maxPipelinedDeposits ?? MAILBOX_MAX_PIPELINED_DEPOSITS,
      frameTimeoutMs: init.frameTimeoutMs ?? FRAME_READ_TIMEOUT_MS,
      idleTimeoutMs: init.idleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS,
      maxWindow: Math.max(1, Math.min(init.maxWindow ?? MAILBOX_MAX_WINDOW, MAILBOX_MAX_WINDOW)),
      pageBytes: init.pageBytes ?? MAILBOX_PAGE_BYTES,
      heartbeatIntervalMs: init.heartbeatIntervalMs ?? MAILBOX_HEARTBEAT_INTERVAL_MS,
      emit,
    }
    this.#depositLimiter = new RateLimiter({
      burst: init.depositBurstPerPeer ?? DEPOSIT_BURST_PER_PEER,
      ratePerSecond: init.depositRatePerPeerPerSecond ?? DEPOSIT_RATE_PER_PEER_PER_SECOND,
      maxKeys: MAX_RATE_LIMITER_KEYS,
      now,
    })
    this.#queryLimiter = new RateLimiter({
      burst: init.queryBurstPerPeer ?? QUERY_BURST_PER_PEER,
      ratePerSecond: init.queryRatePerPeerPerSecond ?? QUERY_RATE_PER_PEER_PER_SECOND,
      maxKeys: MAX_RATE_LIMITER_KEYS,
      now,
    })
    this.#challenges = new ChallengeBook({
      ttlMs: init.challengeTtlMs ?? CHALLENGE_TTL_MS,
      maxPerConnection: MAX_CHALLENGES_PER_CONNECTION,
      now,
      randomBytes: init.randomBytes ?? defaultRandomBytes,
    })
  }

  readonly [Symbol.toStringTag] = '@ferry/transport/mailbox-server'

  /** Open streams and fetch sessions right now (for metrics and tests). */
  stats(): MailboxServerStats {
    return { openStreams: this.openStreams, sessions: this.#sessions }
  }

  protected async handleStream(stream: Stream, connection: Connection, stopping: AbortSignal): Promise<void> {
    await new MailboxExchange(this, stream, connection, stopping).run()
  }

  // ---- shared by the exchanges (module-internal) ----

  /** @internal */
  get resolved(): ResolvedInit {
    return this.#init
  }

  /** @internal */
  get relayPeerId(): PeerId {
    return this.components.peerId
  }

  /** @internal */
  takeDepositToken(peer: string): boolean {
    return this.#depositLimiter.take(peer)
  }

  /** @internal */
  takeQueryToken(peer: string): boolean {
    return this.#queryLimiter.take(peer)
  }

  /** @internal */
  issueChallenge(connection: Connection, mailboxId: Uint8Array): Uint8Array {
    if (!this.#watched.has(connection)) {
      this.#watched.add(connection)
      connection.addEventListener(
        'close',
        () => {
          this.#challenges.forget(connection.id)
        },
        { once: true },
      )
    }
    return this.#challenges.issue(connection.id, mailboxId)
  }

  /**
   * Whether `request` proves ownership of its mailbox on `connection`. The nonce is consumed whatever
   * the outcome. Every failure looks the same to the caller.
   */
  async authorise(connection: Connection, request: pb.FetchRequest): Promise<boolean> {
    if (!this.#challenges.take(connection.id, request.nonce, request.mailboxId)) {
      return false
    }
    const expected = await mailboxIdFor(request.publicKey, this.components.peerId)
    if (!equalBytes(expected, request.mailboxId)) {
      return false
    }
    const payload = mailboxAuthPayload(
      this.components.peerId,
      request.mailboxId,
      request.nonce,
      connection.remotePeer,
    )
    return verifyEd25519(request.publicKey, payload, request.signature)
  }

  /** @internal */
  sessionOpened(delta: 1 | -1): void {
    this.#sessions += delta
  }

  /** @internal */
  get logger() {
    return this.log
  }
}

/** One mailbox stream, from its first frame to its close. */
class MailboxExchange {
  readonly #server: MailboxServer
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

  constructor(server: MailboxServer, stream: Stream, connection: Connection, stopping: AbortSignal) {
    this.#server = server
    this.#init = server.resolved
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
          this.#server.logger.error('mailbox deposit failed: %s', (err as Error)?.name)
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
      log: this.#server.logger,
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
      this.#server.logger.error('mailbox status failed: %s', (err as Error)?.name)
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
