/**
 * The device side of the mailbox protocol: deposits (pipelined on one pooled stream per relay
 * connection, up to `pipeline` in flight), status queries, and fetch sessions opened with a
 * challenge signed by the mailbox key. Refusals come back as values (deposits) or
 * RequestRefusedError; a broken stream as StreamEndedError. Every call takes an AbortSignal.
 */

import type { pb } from '@ferry/wire'
import {
  MAX_STATUS_IDS,
  MAX_STREAM_FRAME_BYTES,
  MailboxRequest,
  MailboxResponse,
  PROTOCOL_MAILBOX,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
  statusName,
  type WireError,
} from '@ferry/wire'
import type { AbortOptions, Connection, DialTarget, PeerId, PrivateKey, Stream } from '@libp2p/interface'
import {
  DEFAULT_DEPOSIT_TTL_MS,
  FRAME_READ_TIMEOUT_MS,
  MAILBOX_CLIENT_PIPELINE,
  MAILBOX_DEFAULT_WINDOW,
  MAILBOX_SESSION_SILENCE_MS,
  MAX_QUEUED_FRAMES,
  STREAM_CLOSE_TIMEOUT_MS,
} from '../constants.js'
import { ProtocolError, RequestRefusedError, StreamEndedError } from '../errors.js'
import { FrameReader } from '../stream/frame-reader.js'
import { FrameWriter } from '../stream/frame-writer.js'
import { ChannelPool, PipelinedChannel } from '../stream/pipelined-channel.js'
import type { ClientComponents } from '../stream/types.js'
import { mailboxAuthPayload, mailboxIdFor, mailboxPublicKey } from './auth.js'
import { MailboxSession } from './client-session.js'

export interface MailboxClientInit {
  /** Deposits kept in flight per relay connection. Default: MAILBOX_CLIENT_PIPELINE. */
  pipeline?: number
  /** Silence after which a live fetch session is declared dead. Default: MAILBOX_SESSION_SILENCE_MS. */
  silenceMs?: number
  /** Open mailbox streams over limited (relayed) connections. Default: false. */
  runOnLimitedConnection?: boolean
}

export interface Deposit {
  /** 16 random bytes; re-depositing the same ID stores the envelope once. */
  envelopeId: Uint8Array
  payload: Uint8Array
  /** The mailboxes (on this relay) that must each fetch and ack it. */
  mailboxIds: Uint8Array[]
  /** Requested time to live; the relay caps it. Default: DEFAULT_DEPOSIT_TTL_MS. */
  ttlMs?: number
}

export type DepositResult =
  /** Durable on the relay (`duplicate`: it already held this envelope ID). Relay clock, ms. */
  | { status: 'stored' | 'duplicate'; expiresAt: number }
  /** Refused; `code` is the StatusCode, `reason` its name (`MAILBOX_FULL`, `RATE_LIMITED`, ...). */
  | { status: 'refused'; code: number; reason: string; description: string }

export interface RelayEnvelopeStatus {
  /** Mailboxes listed at deposit. */
  total: number
  /** Mailboxes that have not acked it yet. */
  pending: number
  /** Removed by its TTL before every mailbox acked. */
  expired: boolean
}

/** Options of `fetch`. Its `signal` bounds the handshake and, if it aborts later, ends the session. */
export interface FetchOptions extends AbortOptions {
  /** Keep the session open and receive new envelopes as they are deposited. Default: true. */
  live?: boolean
  /** Envelopes the relay may send before they are acked. Default: MAILBOX_DEFAULT_WINDOW. */
  window?: number
}

function resultOf(result: pb.DepositResult): DepositResult {
  if (result.status === StatusCode.OK || result.status === StatusCode.DUPLICATE) {
    return { status: result.status === StatusCode.OK ? 'stored' : 'duplicate', expiresAt: result.expiresAt }
  }
  return {
    status: 'refused',
    code: result.status,
    reason: statusName(result.status),
    description: result.description,
  }
}

/** Reads a deposit reply frame; a frame without results ends the channel. */
function depositReplies(frame: Uint8Array): Array<[number, DepositResult]> {
  const response = decodeResponse(frame)
  if (response.deposit === undefined) {
    throw response.status === StatusCode.OK
      ? new ProtocolError('unexpected reply on a deposit stream')
      : new RequestRefusedError(response.status, response.description)
  }
  return response.deposit.results.map((result) => [result.seq, resultOf(result)])
}

function readerFor(stream: Stream): FrameReader {
  return new FrameReader(stream, {
    maxFrameBytes: MAX_STREAM_FRAME_BYTES,
    frameTimeoutMs: FRAME_READ_TIMEOUT_MS,
    maxQueuedFrames: MAX_QUEUED_FRAMES,
  })
}

function decodeResponse(frame: Uint8Array): pb.MailboxResponse {
  try {
    return MailboxResponse.decode(frame)
  } catch (err) {
    throw new ProtocolError(`unreadable reply from the relay: ${(err as WireError).message}`)
  }
}

export class MailboxClient {
  readonly #components: ClientComponents
  readonly #pipeline: number
  readonly #silenceMs: number
  readonly #runOnLimitedConnection: boolean
  readonly #deposits: ChannelPool<DepositResult>

  constructor(components: ClientComponents, init: MailboxClientInit = {}) {
    this.#components = components
    this.#pipeline = Math.max(1, init.pipeline ?? MAILBOX_CLIENT_PIPELINE)
    this.#silenceMs = init.silenceMs ?? MAILBOX_SESSION_SILENCE_MS
    this.#runOnLimitedConnection = init.runOnLimitedConnection ?? false
    this.#deposits = new ChannelPool(components, async (connection, options) => {
      const stream = await this.#open(connection, options)
      return new PipelinedChannel(stream, {
        pipeline: this.#pipeline,
        maxFrameBytes: MAX_STREAM_FRAME_BYTES,
        replies: depositReplies,
      })
    })
  }

  /**
   * Deposits one envelope on `relay`, resolving once the relay stored it durably (or refused it).
   * Concurrent calls to the same relay share one stream, up to `pipeline` in flight. Throws
   * StreamEndedError when the stream broke before the relay answered (the deposit may or may not be
   * stored: deposits are idempotent, so retry with the same envelope ID).
   */
  async deposit(relay: DialTarget, deposit: Deposit, options: AbortOptions = {}): Promise<DepositResult> {
    // a relay closes idle streams: one closed under a deposit is retried once (deposits are idempotent)
    return this.#deposits.run(relay, options, async (channel) =>
      channel.request(
        (seq) =>
          MailboxRequest.encode({
            version: RELAY_PROTOCOL_VERSION,
            deposit: {
              seq,
              envelopeId: deposit.envelopeId,
              payload: deposit.payload,
              mailboxIds: deposit.mailboxIds,
              ttlMs: deposit.ttlMs ?? DEFAULT_DEPOSIT_TTL_MS,
            },
          }),
        options.signal,
      ),
    )
  }

  /** Deposits several envelopes, pipelined; results in the same order. */
  async depositMany(
    relay: DialTarget,
    deposits: Deposit[],
    options: AbortOptions = {},
  ): Promise<DepositResult[]> {
    return Promise.all(deposits.map(async (deposit) => this.deposit(relay, deposit, options)))
  }

  /**
   * How many mailboxes of each envelope are still pending on `relay` (no authentication: anyone with
   * an envelope ID may ask). `undefined` for an envelope the relay does not know (or has forgotten).
   */
  async status(
    relay: DialTarget,
    envelopeIds: Uint8Array[],
    options: AbortOptions = {},
  ): Promise<Array<RelayEnvelopeStatus | undefined>> {
    const out: Array<RelayEnvelopeStatus | undefined> = []
    for (let i = 0; i < envelopeIds.length; i += MAX_STATUS_IDS) {
      const chunk = envelopeIds.slice(i, i + MAX_STATUS_IDS)
      const response = await this.#request(relay, { status: { envelopeIds: chunk } }, options)
      const statuses = response.statusReply?.statuses
      if (statuses === undefined || statuses.length !== chunk.length) {
        throw new ProtocolError('status reply does not match the request')
      }
      for (const s of statuses) {
        out.push(s.known ? { total: s.total, pending: s.pending, expired: s.expired } : undefined)
      }
    }
    return out
  }

  /**
   * Opens a fetch session on the mailbox of `mailboxKey` (an Ed25519 key used for nothing else) at
   * `relay`: asks for a challenge, signs it, and returns the session. A relay answers a wrong key
   * exactly as it answers an empty mailbox, so this never reveals an authentication failure.
   */
  async fetch(
    relay: DialTarget,
    mailboxKey: PrivateKey,
    options: FetchOptions = {},
  ): Promise<MailboxSession> {
    const publicKey = mailboxPublicKey(mailboxKey)
    const connection = await this.#components.dial(relay, options)
    const mailboxId = await mailboxIdFor(publicKey, connection.remotePeer)
    const stream = await this.#open(connection, options)
    const reader = readerFor(stream)
    const writer = new FrameWriter(stream)
    const live = options.live ?? true
    try {
      writer.write(MailboxRequest.encode({ version: RELAY_PROTOCOL_VERSION, challenge: { mailboxId } }))
      const frame = await reader.next({ signal: options.signal })
      if (frame === null) {
        throw new StreamEndedError('the relay closed the stream before its challenge')
      }
      const response = decodeResponse(frame)
      if (response.status !== StatusCode.OK) {
        throw new RequestRefusedError(response.status, response.description)
      }
      if (response.challenge === undefined) {
        throw new ProtocolError('expected a challenge')
      }
      const nonce = response.challenge.nonce
      const payload = mailboxAuthPayload(connection.remotePeer, mailboxId, nonce, this.#components.peerId)
      const signature = await mailboxKey.sign(payload)
      writer.write(
        MailboxRequest.encode({
          version: RELAY_PROTOCOL_VERSION,
          fetch: {
            mailboxId,
            publicKey,
            nonce,
            signature,
            live,
            window: options.window ?? MAILBOX_DEFAULT_WINDOW,
          },
        }),
      )
      writer.flush()
    } catch (err) {
      stream.abort(err as Error)
      throw err
    }
    return new MailboxSession({
      stream,
      reader,
      writer,
      relay: connection.remotePeer,
      mailboxId,
      live,
      silenceMs: this.#silenceMs,
      signal: options.signal,
    })
  }

  /** The mailbox ID of `mailboxKey` on the relay `relay`. */
  async mailboxId(mailboxKey: PrivateKey, relay: PeerId): Promise<Uint8Array> {
    return mailboxIdFor(mailboxPublicKey(mailboxKey), relay)
  }

  /** Closes every pooled deposit stream. */
  close(): void {
    this.#deposits.close()
  }

  async #open(connection: Connection, options: AbortOptions): Promise<Stream> {
    return connection.newStream(PROTOCOL_MAILBOX, {
      signal: options.signal,
      runOnLimitedConnection: this.#runOnLimitedConnection,
    })
  }

  /** One request, one reply, on a fresh stream. */
  async #request(
    relay: DialTarget,
    body: Partial<pb.MailboxRequest>,
    options: AbortOptions,
  ): Promise<pb.MailboxResponse> {
    const connection = await this.#components.dial(relay, options)
    const stream = await this.#open(connection, options)
    const reader = readerFor(stream)
    const writer = new FrameWriter(stream)
    try {
      writer.write(MailboxRequest.encode({ version: RELAY_PROTOCOL_VERSION, ...body }))
      writer.flush()
      const frame = await reader.next({ signal: options.signal })
      if (frame === null) {
        throw new StreamEndedError('the relay closed the stream without a reply')
      }
      const response = decodeResponse(frame)
      if (response.status !== StatusCode.OK) {
        throw new RequestRefusedError(response.status, response.description)
      }
      await writer.close(STREAM_CLOSE_TIMEOUT_MS)
      return response
    } catch (err) {
      stream.abort(err as Error)
      throw err
    }
  }
}
