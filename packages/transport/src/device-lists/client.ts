/**
 * The device side of the device-list protocol: publish a signed list to a relay, fetch an account's
 * newest list (for the caller to verify: a relay can withhold or replay an old list, never forge one).
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
import type { AbortOptions, DialTarget } from '@libp2p/interface'
import { FRAME_READ_TIMEOUT_MS, MAX_QUEUED_FRAMES, STREAM_CLOSE_TIMEOUT_MS } from '../constants.js'
import { ProtocolError, RequestRefusedError, StreamEndedError } from '../errors.js'
import { FrameReader } from '../stream/frame-reader.js'
import { FrameWriter } from '../stream/frame-writer.js'
import type { ClientComponents } from '../stream/types.js'

export class DeviceListClient {
  readonly #components: ClientComponents

  constructor(components: ClientComponents) {
    this.#components = components
  }

  /**
   * Stores a framed Signed(DeviceListBody) on `relay`: 'stored', or 'stale' when the relay holds the
   * same or a newer version. Throws RequestRefusedError (INVALID_RECORD, RATE_LIMITED, ...) otherwise.
   */
  async put(relay: DialTarget, record: Uint8Array, options: AbortOptions = {}): Promise<'stored' | 'stale'> {
    const reply = await this.#ask(relay, { put: record }, options)
    if (reply.status === StatusCode.OK) {
      return 'stored'
    }
    if (reply.status === StatusCode.STALE) {
      return 'stale'
    }
    throw new RequestRefusedError(reply.status, reply.description)
  }

  /** The newest list `relay` holds for the account (framed Signed(DeviceListBody)), or undefined. */
  async get(
    relay: DialTarget,
    accountKey: Uint8Array,
    options: AbortOptions = {},
  ): Promise<Uint8Array | undefined> {
    const reply = await this.#ask(relay, { get: accountKey }, options)
    if (reply.status === StatusCode.NOT_FOUND) {
      return undefined
    }
    if (reply.status !== StatusCode.OK || reply.record === undefined) {
      throw reply.status === StatusCode.OK
        ? new ProtocolError('a device-list reply without the list')
        : new RequestRefusedError(reply.status, reply.description)
    }
    return reply.record
  }

  async #ask(
    relay: DialTarget,
    body: Partial<pb.DeviceListRequest>,
    options: AbortOptions,
  ): Promise<pb.DeviceListResponse> {
    const connection = await this.#components.dial(relay, options)
    const stream = await connection.newStream(PROTOCOL_DEVICE_LIST, { signal: options.signal })
    const reader = new FrameReader(stream, {
      maxFrameBytes: MAX_STREAM_FRAME_BYTES,
      frameTimeoutMs: FRAME_READ_TIMEOUT_MS,
      maxQueuedFrames: MAX_QUEUED_FRAMES,
    })
    const writer = new FrameWriter(stream)
    try {
      writer.write(DeviceListRequest.encode({ version: RELAY_PROTOCOL_VERSION, ...body }))
      writer.flush()
      const frame = await reader.next({ signal: options.signal })
      if (frame === null) {
        throw new StreamEndedError('the relay closed the stream without a reply')
      }
      let reply: pb.DeviceListResponse
      try {
        reply = DeviceListResponse.decode(frame)
      } catch (err) {
        throw new ProtocolError(`unreadable reply from the relay: ${(err as Error).message}`)
      }
      await writer.close(STREAM_CLOSE_TIMEOUT_MS)
      return reply
    } catch (err) {
      stream.abort(err as Error)
      throw err
    }
  }
}
