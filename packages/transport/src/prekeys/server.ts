/**
 * The relay's pre-key service on PROTOCOL_PREKEYS. Uploads are authenticated by the device itself:
 * the device signs a relay challenge (bound to the relay, this connection and the exact upload bytes)
 * with the device signing key its certificate binds; the injected verifier checks the certificate
 * and the signed records. Claims hand each one-time key out once; they are rate-limited per requester
 * (refused past the limit) and per target (past it, bundles carry only the signed and last-resort
 * keys, so no crowd of requesters can drain a device's one-time keys).
 */

import type { pb } from '@ferry/wire'
import {
  MAX_STREAM_FRAME_BYTES,
  PROTOCOL_PREKEYS,
  PreKeyBody,
  PreKeyBundle,
  PreKeyRequest,
  PreKeyResponse,
  PreKeyUploadBody,
  RELAY_PROTOCOL_VERSION,
  Signed,
  StatusCode,
} from '@ferry/wire'
import type { Connection, Stream } from '@libp2p/interface'
import {
  CHALLENGE_TTL_MS,
  FRAME_READ_TIMEOUT_MS,
  MAX_CHALLENGES_PER_CONNECTION,
  MAX_QUEUED_FRAMES,
  MAX_RATE_LIMITER_KEYS,
  PREKEY_CLAIM_BURST_PER_REQUESTER,
  PREKEY_CLAIM_RATE_PER_REQUESTER_PER_SECOND,
  PREKEY_ONE_TIME_CLAIM_BURST_PER_TARGET,
  PREKEY_ONE_TIME_CLAIM_RATE_PER_TARGET_PER_SECOND,
  PREKEY_UPLOAD_BURST_PER_PEER,
  PREKEY_UPLOAD_RATE_PER_PEER_PER_SECOND,
  PREKEYS_MAX_INBOUND_STREAMS,
  PREKEYS_MAX_STREAMS_PER_PEER,
  STREAM_IDLE_TIMEOUT_MS,
} from '../constants.js'
import { ChallengeBook, challengePayload, PREKEY_UPLOAD_CONTEXT, verifyEd25519 } from '../mailbox/auth.js'
import { RateLimiter } from '../stream/rate-limiter.js'
import { runRequestLoop } from '../stream/request-loop.js'
import { ProtocolService } from '../stream/service.js'
import { describeReadError, type ServerComponents, statusForReadError } from '../stream/types.js'
import {
  deviceKey,
  type OneTimeKemPreKey,
  type PreKeyBackend,
  type PreKeyUpload,
  type PreKeyUploadVerifier,
} from './backend.js'

/** The scope pre-key upload challenges are issued for (they name no mailbox). */
const UPLOAD_SCOPE = new TextEncoder().encode('prekey-upload')

export interface PreKeyServerInit {
  /** Where pre-keys are stored. Required. */
  backend: Pick<PreKeyBackend, 'upload' | 'claim'>
  /** Checks an upload's certificate and signed records. Required. */
  verifyUpload: PreKeyUploadVerifier
  /** Claims per requester: bucket size. Default: PREKEY_CLAIM_BURST_PER_REQUESTER. */
  claimBurstPerRequester?: number
  /** Claims per requester: refill rate. Default: PREKEY_CLAIM_RATE_PER_REQUESTER_PER_SECOND. */
  claimRatePerRequesterPerSecond?: number
  /** One-time-key claims per target: bucket size. Default: PREKEY_ONE_TIME_CLAIM_BURST_PER_TARGET. */
  oneTimeClaimBurstPerTarget?: number
  /** One-time-key claims per target: refill rate. Default: PREKEY_ONE_TIME_CLAIM_RATE_PER_TARGET_PER_SECOND. */
  oneTimeClaimRatePerTargetPerSecond?: number
  /** Uploads per peer: bucket size. Default: PREKEY_UPLOAD_BURST_PER_PEER. */
  uploadBurstPerPeer?: number
  /** Uploads per peer: refill rate. Default: PREKEY_UPLOAD_RATE_PER_PEER_PER_SECOND. */
  uploadRatePerPeerPerSecond?: number
  /** Inbound streams per connection. Default: PREKEYS_MAX_INBOUND_STREAMS. */
  maxInboundStreams?: number
  /** Streams per peer across its connections. Default: PREKEYS_MAX_STREAMS_PER_PEER. */
  maxStreamsPerPeer?: number
  /** Default: FRAME_READ_TIMEOUT_MS. */
  frameTimeoutMs?: number
  /** Default: STREAM_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number
  /** Default: CHALLENGE_TTL_MS. */
  challengeTtlMs?: number
  /** The clock, in ms. Default: Date.now. */
  now?: () => number
  /** Randomness for challenge nonces. Default: crypto.getRandomValues. */
  randomBytes?: (length: number) => Uint8Array
  /** Observes what the service does (for metrics). Events carry no peer or device IDs. */
  onEvent?: (event: PreKeyServerEvent) => void
}

export type PreKeyServerEvent =
  | { type: 'upload'; status: number; oneTime: number; oneTimeKem: number }
  /** A claim answered; `oneTime` tells whether a one-time key was asked for (false past the target limit). */
  | { type: 'claim'; status: number; oneTime: boolean }
  | { type: 'refused'; status: number | 'read-timeout' | 'stream-limit' }

function hex(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) {
    out += byte.toString(16).padStart(2, '0')
  }
  return out
}

function response(body: Partial<pb.PreKeyResponse>): Uint8Array {
  return PreKeyResponse.encode({
    version: RELAY_PROTOCOL_VERSION,
    status: StatusCode.OK,
    description: '',
    ...body,
  })
}

/** The bytes a device signs to upload pre-keys: the relay's challenge bound to the upload body. */
export function preKeyUploadPayload(
  relay: Parameters<typeof challengePayload>[1],
  nonce: Uint8Array,
  body: Uint8Array,
  client: Parameters<typeof challengePayload>[3],
): Uint8Array {
  return challengePayload(PREKEY_UPLOAD_CONTEXT, relay, [nonce, body], client)
}

export class PreKeyServer extends ProtocolService {
  readonly #init: PreKeyServerInit
  readonly #emit: (event: PreKeyServerEvent) => void
  readonly #claims: RateLimiter
  readonly #oneTime: RateLimiter
  readonly #uploads: RateLimiter
  readonly #challenges: ChallengeBook
  readonly #watched = new WeakSet<Connection>()

  constructor(components: ServerComponents, init: PreKeyServerInit) {
    const emit = init.onEvent ?? (() => {})
    super(
      components,
      {
        protocol: PROTOCOL_PREKEYS,
        maxInboundStreams: init.maxInboundStreams ?? PREKEYS_MAX_INBOUND_STREAMS,
        maxOutboundStreams: PREKEYS_MAX_INBOUND_STREAMS,
        maxStreamsPerPeer: init.maxStreamsPerPeer ?? PREKEYS_MAX_STREAMS_PER_PEER,
        runOnLimitedConnection: false,
        onStreamRefused: () => {
          emit({ type: 'refused', status: 'stream-limit' })
        },
      },
      'ferry:relay:prekeys',
    )
    this.#init = init
    this.#emit = emit
    const now = init.now ?? Date.now
    this.#claims = new RateLimiter({
      burst: init.claimBurstPerRequester ?? PREKEY_CLAIM_BURST_PER_REQUESTER,
      ratePerSecond: init.claimRatePerRequesterPerSecond ?? PREKEY_CLAIM_RATE_PER_REQUESTER_PER_SECOND,
      maxKeys: MAX_RATE_LIMITER_KEYS,
      now,
    })
    this.#oneTime = new RateLimiter({
      burst: init.oneTimeClaimBurstPerTarget ?? PREKEY_ONE_TIME_CLAIM_BURST_PER_TARGET,
      ratePerSecond:
        init.oneTimeClaimRatePerTargetPerSecond ?? PREKEY_ONE_TIME_CLAIM_RATE_PER_TARGET_PER_SECOND,
      maxKeys: MAX_RATE_LIMITER_KEYS,
      now,
    })
    this.#uploads = new RateLimiter({
      burst: init.uploadBurstPerPeer ?? PREKEY_UPLOAD_BURST_PER_PEER,
      ratePerSecond: init.uploadRatePerPeerPerSecond ?? PREKEY_UPLOAD_RATE_PER_PEER_PER_SECOND,
      maxKeys: MAX_RATE_LIMITER_KEYS,
      now,
    })
    this.#challenges = new ChallengeBook({
      ttlMs: init.challengeTtlMs ?? CHALLENGE_TTL_MS,
      maxPerConnection: MAX_CHALLENGES_PER_CONNECTION,
      now,
      randomBytes:
        init.randomBytes ?? ((length) => globalThis.crypto.getRandomValues(new Uint8Array(length))),
    })
  }

  readonly [Symbol.toStringTag] = '@ferry/transport/prekey-server'

  protected async handleStream(stream: Stream, connection: Connection, stopping: AbortSignal): Promise<void> {
    await runRequestLoop({
      stream,
      stopping,
      maxFrameBytes: MAX_STREAM_FRAME_BYTES,
      frameTimeoutMs: this.#init.frameTimeoutMs ?? FRAME_READ_TIMEOUT_MS,
      idleTimeoutMs: this.#init.idleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS,
      maxQueuedFrames: MAX_QUEUED_FRAMES,
      handle: async (frame) => this.#handle(frame, connection),
      refusal: (status, description) => response({ status, description }),
      onRefused: (status) => {
        this.#emit({ type: 'refused', status })
      },
    })
  }

  async #handle(frame: Uint8Array, connection: Connection): Promise<{ reply: Uint8Array; fatal?: boolean }> {
    let request: pb.PreKeyRequest
    try {
      request = PreKeyRequest.decode(frame)
    } catch (err) {
      const status = statusForReadError(err)
      this.#emit({ type: 'refused', status })
      return { reply: response({ status, description: describeReadError(err) }), fatal: true }
    }
    if (request.version !== RELAY_PROTOCOL_VERSION) {
      this.#emit({ type: 'refused', status: StatusCode.UNKNOWN_VERSION })
      return {
        reply: response({ status: StatusCode.UNKNOWN_VERSION, description: `version ${request.version}` }),
        fatal: true,
      }
    }
    if (request.challenge) {
      return { reply: response({ challenge: { nonce: this.#issue(connection) } }) }
    }
    if (request.upload !== undefined) {
      return { reply: await this.#upload(request.upload, connection) }
    }
    return { reply: await this.#claim(request.claim as pb.PreKeyClaim, connection) }
  }

  #issue(connection: Connection): Uint8Array {
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
    return this.#challenges.issue(connection.id, UPLOAD_SCOPE)
  }

  async #upload(upload: pb.PreKeyUpload, connection: Connection): Promise<Uint8Array> {
    const refuse = (status: number, description: string): Uint8Array => {
      this.#emit({ type: 'upload', status, oneTime: 0, oneTimeKem: 0 })
      return response({ status, description })
    }
    if (!this.#uploads.take(connection.remotePeer.toString())) {
      return refuse(StatusCode.RATE_LIMITED, 'over the per-peer upload rate')
    }
    // the nonce is spent by this attempt, whatever its outcome
    const fresh = this.#challenges.take(connection.id, upload.nonce, UPLOAD_SCOPE)
    let body: pb.PreKeyUploadBody
    try {
      body = PreKeyUploadBody.decode(upload.body)
    } catch (err) {
      return refuse(statusForReadError(err), describeReadError(err))
    }
    const kemKeys = parseKemRecords(body.oneTimeKemPreKeys)
    if (kemKeys === undefined) {
      return refuse(StatusCode.INVALID_RECORD, 'a one-time KEM pre-key record does not parse')
    }
    const content: PreKeyUpload = {
      certificate: body.certificate,
      signedPreKey: body.signedPreKey,
      kemLastResort: body.kemLastResort,
      oneTimePreKeys: body.oneTimePreKeys,
      oneTimeKemPreKeys: kemKeys,
    }
    const uploader = await this.#init.verifyUpload(content).catch(() => undefined)
    if (uploader === undefined) {
      return refuse(StatusCode.INVALID_RECORD, 'the certificate or a signed pre-key does not verify')
    }
    const payload = preKeyUploadPayload(
      this.components.peerId,
      upload.nonce,
      upload.body,
      connection.remotePeer,
    )
    if (!fresh || !(await verifyEd25519(uploader.signingKey, payload, upload.signature))) {
      return refuse(StatusCode.UNAUTHORISED, 'the challenge signature does not verify')
    }
    try {
      const outcome = await this.#init.backend.upload(
        deviceKey(uploader.accountKey, uploader.deviceId),
        content,
      )
      if (outcome.status === 'refused') {
        return refuse(StatusCode.TOO_MANY_KEYS, 'over the per-device pre-key quota')
      }
      this.#emit({
        type: 'upload',
        status: StatusCode.OK,
        oneTime: outcome.oneTime,
        oneTimeKem: outcome.oneTimeKem,
      })
      return response({ counts: { oneTime: outcome.oneTime, oneTimeKem: outcome.oneTimeKem } })
    } catch (err) {
      this.log.error('pre-key upload failed: %s', (err as Error)?.name)
      return refuse(StatusCode.STORAGE_ERROR, 'the relay could not store the pre-keys')
    }
  }

  async #claim(claim: pb.PreKeyClaim, connection: Connection): Promise<Uint8Array> {
    if (!this.#claims.take(connection.remotePeer.toString())) {
      this.#emit({ type: 'claim', status: StatusCode.RATE_LIMITED, oneTime: false })
      return response({ status: StatusCode.RATE_LIMITED, description: 'over the per-requester claim rate' })
    }
    const target = deviceKey(claim.accountKey, claim.deviceId)
    const oneTime = this.#oneTime.take(hex(target))
    try {
      const bundle = await this.#init.backend.claim(target, { oneTime })
      if (bundle === undefined) {
        this.#emit({ type: 'claim', status: StatusCode.NOT_FOUND, oneTime })
        return response({ status: StatusCode.NOT_FOUND, description: 'no pre-keys for that device' })
      }
      const encoded = PreKeyBundle.encode({
        deviceCertificate: bundle.deviceCertificate,
        signedPreKey: bundle.signedPreKey,
        kemPreKey: bundle.kemPreKey,
        oneTimePreKey: bundle.oneTimePreKey,
      })
      this.#emit({ type: 'claim', status: StatusCode.OK, oneTime })
      return response({ bundle: encoded })
    } catch (err) {
      this.log.error('pre-key claim failed: %s', (err as Error)?.name)
      this.#emit({ type: 'claim', status: StatusCode.STORAGE_ERROR, oneTime })
      return response({
        status: StatusCode.STORAGE_ERROR,
        description: 'the relay could not read the pre-keys',
      })
    }
  }
}

/** The IDs of one-time KEM records (their signatures are the verifier's to check), or undefined. */
function parseKemRecords(records: Uint8Array[]): OneTimeKemPreKey[] | undefined {
  const out: OneTimeKemPreKey[] = []
  for (const record of records) {
    try {
      const body = PreKeyBody.decode(Signed.decode(record).body)
      if (body.kind !== 'KEM_ONE_TIME') {
        return undefined
      }
      out.push({ id: body.id, record })
    } catch {
      return undefined
    }
  }
  return out
}
