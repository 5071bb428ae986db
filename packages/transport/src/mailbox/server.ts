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
import { equalBytes, MAX_DEPOSIT_MAILBOXES, MAX_ENVELOPE_BYTES, PROTOCOL_MAILBOX } from '@ferry/wire'
import type { Connection, Stream } from '@libp2p/interface'
import {
  CHALLENGE_TTL_MS,
  DEFAULT_DEPOSIT_TTL_MS,
  DEPOSIT_BURST_PER_PEER,
  DEPOSIT_RATE_PER_PEER_PER_SECOND,
  FRAME_READ_TIMEOUT_MS,
  MAILBOX_HEARTBEAT_INTERVAL_MS,
  MAILBOX_MAX_INBOUND_STREAMS,
  MAILBOX_MAX_OUTBOUND_STREAMS,
  MAILBOX_MAX_PIPELINED_DEPOSITS,
  MAILBOX_MAX_STREAMS_PER_PEER,
  MAILBOX_MAX_WINDOW,
  MAILBOX_PAGE_BYTES,
  MAX_CHALLENGES_PER_CONNECTION,
  MAX_DEPOSIT_TTL_MS,
  MAX_RATE_LIMITER_KEYS,
  QUERY_BURST_PER_PEER,
  QUERY_RATE_PER_PEER_PER_SECOND,
  STREAM_IDLE_TIMEOUT_MS,
} from '../constants.js'
import { RateLimiter } from '../stream/rate-limiter.js'
import { ProtocolService } from '../stream/service.js'
import type { ServerComponents } from '../stream/types.js'
import { ChallengeBook, mailboxAuthPayload, mailboxIdFor, verifyEd25519 } from './auth.js'
import type { MailboxBackend } from './backend.js'
import { type ExchangeContext, MailboxExchange, type ResolvedInit } from './exchange.js'

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
  /** `groups`: how many of the `count` are group envelopes (their payload's kind byte says so). */
  | { type: 'envelopes-sent'; count: number; groups: number; bytes: number }
  | { type: 'ack'; requested: number; acked: number; durationMs: number }
  | { type: 'status'; count: number }
  /** A request or stream refused by a limit or as malformed. */
  | { type: 'refused'; reason: MailboxRefusal }

export interface MailboxServerStats {
  openStreams: number
  sessions: number
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
  #exchangeContext: ExchangeContext | undefined

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
    this.#exchangeContext ??= this.#context()
    await new MailboxExchange(this.#exchangeContext, stream, connection, stopping).run()
  }

  #context(): ExchangeContext {
    return {
      init: this.#init,
      log: this.log,
      takeDepositToken: (peer) => this.#depositLimiter.take(peer),
      takeQueryToken: (peer) => this.#queryLimiter.take(peer),
      issueChallenge: (connection, mailboxId) => this.#issueChallenge(connection, mailboxId),
      authorise: async (connection, request) => this.#authorise(connection, request),
      sessionOpened: (delta) => {
        this.#sessions += delta
      },
    }
  }

  #issueChallenge(connection: Connection, mailboxId: Uint8Array): Uint8Array {
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
  async #authorise(connection: Connection, request: pb.FetchRequest): Promise<boolean> {
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
}
