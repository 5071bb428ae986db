/**
 * The relay's device-list service on PROTOCOL_DEVICE_LIST: stores the newest valid signed device list
 * per account and serves it. The injected verifier checks signatures; the backend keeps only newer
 * versions. A relay can withhold a list but never forge one: clients verify what they get.
 */

import type { pb } from '@ferry/wire'
import {
  DeviceListRequest,
  DeviceListResponse,
  MAX_STREAM_FRAME_BYTES,
  PROTOCOL_DEVICE_LIST,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import type { Connection, Stream } from '@libp2p/interface'
import {
  DEVICE_LIST_BURST_PER_PEER,
  DEVICE_LIST_MAX_INBOUND_STREAMS,
  DEVICE_LIST_MAX_STREAMS_PER_PEER,
  DEVICE_LIST_RATE_PER_PEER_PER_SECOND,
  FRAME_READ_TIMEOUT_MS,
  MAX_QUEUED_FRAMES,
  MAX_RATE_LIMITER_KEYS,
  STREAM_IDLE_TIMEOUT_MS,
} from '../constants.js'
import { RateLimiter } from '../stream/rate-limiter.js'
import { runRequestLoop } from '../stream/request-loop.js'
import { ProtocolService } from '../stream/service.js'
import { describeReadError, type ServerComponents, statusForReadError } from '../stream/types.js'
import type { DeviceListBackend, DeviceListVerifier } from './backend.js'

export interface DeviceListServerInit {
  /** Where lists are stored. Required. */
  backend: DeviceListBackend
  /** Checks a list's signatures. Required. */
  verifyDeviceList: DeviceListVerifier
  /** Requests per peer: bucket size. Default: DEVICE_LIST_BURST_PER_PEER. */
  burstPerPeer?: number
  /** Requests per peer: refill rate. Default: DEVICE_LIST_RATE_PER_PEER_PER_SECOND. */
  ratePerPeerPerSecond?: number
  /** Inbound streams per connection. Default: DEVICE_LIST_MAX_INBOUND_STREAMS. */
  maxInboundStreams?: number
  /** Streams per peer across its connections. Default: DEVICE_LIST_MAX_STREAMS_PER_PEER. */
  maxStreamsPerPeer?: number
  /** Default: FRAME_READ_TIMEOUT_MS. */
  frameTimeoutMs?: number
  /** Default: STREAM_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number
  /** The clock, in ms. Default: Date.now. */
  now?: () => number
  /** Observes what the service does (for metrics). Events carry no account IDs. */
  onEvent?: (event: DeviceListServerEvent) => void
}

export type DeviceListServerEvent =
  | { type: 'put'; status: number }
  | { type: 'get'; status: number }
  | { type: 'refused'; status: number | 'read-timeout' | 'stream-limit' }

function response(body: Partial<pb.DeviceListResponse>): Uint8Array {
  return DeviceListResponse.encode({
    version: RELAY_PROTOCOL_VERSION,
    status: StatusCode.OK,
    description: '',
    ...body,
  })
}

export class DeviceListServer extends ProtocolService {
  readonly #init: DeviceListServerInit
  readonly #emit: (event: DeviceListServerEvent) => void
  readonly #limiter: RateLimiter

  constructor(components: ServerComponents, init: DeviceListServerInit) {
    const emit = init.onEvent ?? (() => {})
    super(
      components,
      {
        protocol: PROTOCOL_DEVICE_LIST,
        maxInboundStreams: init.maxInboundStreams ?? DEVICE_LIST_MAX_INBOUND_STREAMS,
        maxOutboundStreams: DEVICE_LIST_MAX_INBOUND_STREAMS,
        maxStreamsPerPeer: init.maxStreamsPerPeer ?? DEVICE_LIST_MAX_STREAMS_PER_PEER,
        runOnLimitedConnection: false,
        onStreamRefused: () => {
          emit({ type: 'refused', status: 'stream-limit' })
        },
      },
      'ferry:relay:device-lists',
    )
    this.#init = init
    this.#emit = emit
    this.#limiter = new RateLimiter({
      burst: init.burstPerPeer ?? DEVICE_LIST_BURST_PER_PEER,
      ratePerSecond: init.ratePerPeerPerSecond ?? DEVICE_LIST_RATE_PER_PEER_PER_SECOND,
      maxKeys: MAX_RATE_LIMITER_KEYS,
      now: init.now ?? Date.now,
    })
  }

  readonly [Symbol.toStringTag] = '@ferry/transport/device-list-server'

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
    let request: pb.DeviceListRequest
    try {
      request = DeviceListRequest.decode(frame)
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
    const type = request.put !== undefined ? 'put' : 'get'
    const answer = (status: number, body: Partial<pb.DeviceListResponse> = {}): { reply: Uint8Array } => {
      this.#emit({ type, status })
      return { reply: response({ status, ...body }) }
    }
    if (!this.#limiter.take(connection.remotePeer.toString())) {
      return answer(StatusCode.RATE_LIMITED, { description: 'over the per-peer request rate' })
    }
    try {
      if (request.put !== undefined) {
        const verified = await this.#init.verifyDeviceList(request.put).catch(() => undefined)
        if (verified === undefined) {
          return answer(StatusCode.INVALID_RECORD, { description: 'the device list does not verify' })
        }
        const outcome = await this.#init.backend.put(verified.accountKey, verified.listVersion, request.put)
        return outcome === 'stored'
          ? answer(StatusCode.OK)
          : answer(StatusCode.STALE, { description: 'not newer than the stored list' })
      }
      const record = await this.#init.backend.get(request.get as Uint8Array)
      return record === undefined
        ? answer(StatusCode.NOT_FOUND, { description: 'no list for that account' })
        : answer(StatusCode.OK, { record })
    } catch (err) {
      this.log.error('device-list request failed: %s', (err as Error)?.name)
      return answer(StatusCode.STORAGE_ERROR, { description: 'the relay could not access the device list' })
    }
  }
}
