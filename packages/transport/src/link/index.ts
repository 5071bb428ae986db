/**
 * `/ferry/link/1`: linking a new device to an account. The new device sends one request frame and
 * the primary answers with one response frame; what they mean (and how they are proven with the
 * pairing secret) is the messenger's business. Both directions run over limited (circuit-relayed)
 * connections, since the primary is usually reached through its relay.
 */
import { LinkRequest, LinkResponse, MAX_STREAM_FRAME_BYTES, PROTOCOL_LINK } from '@ferry/wire'
import type { AbortOptions, Connection, DialTarget, PeerId, Stream } from '@libp2p/interface'
import {
  FRAME_READ_TIMEOUT_MS,
  LINK_MAX_INBOUND_STREAMS,
  LINK_MAX_STREAMS_PER_PEER,
  MAX_QUEUED_FRAMES,
  STREAM_CLOSE_TIMEOUT_MS,
} from '../constants.js'
import { ProtocolError, StreamEndedError } from '../errors.js'
import { FrameReader } from '../stream/frame-reader.js'
import { FrameWriter } from '../stream/frame-writer.js'
import { ProtocolService } from '../stream/service.js'
import type { ClientComponents, ServerComponents } from '../stream/types.js'

/** Answers one link request (framed LinkRequest) with a framed LinkResponse. */
export type LinkHandler = (
  request: Uint8Array,
  peers: { readonly requester: PeerId; readonly primary: PeerId },
  options: { signal: AbortSignal },
) => Promise<Uint8Array>

export interface LinkServerInit {
  onRequest: LinkHandler
}

export class LinkServer extends ProtocolService {
  readonly #init: LinkServerInit

  constructor(components: ServerComponents, init: LinkServerInit) {
    super(
      components,
      {
        protocol: PROTOCOL_LINK,
        maxInboundStreams: LINK_MAX_INBOUND_STREAMS,
        maxOutboundStreams: 1,
        maxStreamsPerPeer: LINK_MAX_STREAMS_PER_PEER,
        runOnLimitedConnection: true,
      },
      'ferry:link',
    )
    this.#init = init
  }

  readonly [Symbol.toStringTag] = '@ferry/transport/link-server'

  protected async handleStream(stream: Stream, connection: Connection, stopping: AbortSignal): Promise<void> {
    const reader = new FrameReader(stream, {
      maxFrameBytes: MAX_STREAM_FRAME_BYTES,
      frameTimeoutMs: FRAME_READ_TIMEOUT_MS,
      maxQueuedFrames: MAX_QUEUED_FRAMES,
    })
    const writer = new FrameWriter(stream)
    const frame = await reader.next({ signal: stopping })
    if (frame === null) {
      return
    }
    LinkRequest.decode(frame) // malformed requests end here, unanswered
    const reply = await this.#init.onRequest(
      frame,
      { requester: connection.remotePeer, primary: this.components.peerId },
      { signal: stopping },
    )
    writer.write(reply)
    await writer.close(STREAM_CLOSE_TIMEOUT_MS)
  }
}

export function linkServer(init: LinkServerInit): (components: ServerComponents) => LinkServer {
  return (components) => new LinkServer(components, init)
}

export class LinkClient {
  readonly #components: ClientComponents

  constructor(components: ClientComponents) {
    this.#components = components
  }

  /** Sends a framed LinkRequest to the primary and returns its framed LinkResponse. */
  async request(primary: DialTarget, request: Uint8Array, options: AbortOptions = {}): Promise<Uint8Array> {
    const connection = await this.#components.dial(primary, options)
    const stream = await connection.newStream(PROTOCOL_LINK, {
      signal: options.signal,
      runOnLimitedConnection: true,
    })
    const reader = new FrameReader(stream, {
      maxFrameBytes: MAX_STREAM_FRAME_BYTES,
      frameTimeoutMs: FRAME_READ_TIMEOUT_MS,
      maxQueuedFrames: MAX_QUEUED_FRAMES,
    })
    const writer = new FrameWriter(stream)
    try {
      writer.write(request)
      writer.flush()
      // the primary may wait for its user to approve: the caller's signal bounds the wait
      const frame = await reader.next({ signal: options.signal })
      if (frame === null) {
        throw new StreamEndedError('the primary closed the stream without an answer')
      }
      try {
        LinkResponse.decode(frame)
      } catch (err) {
        throw new ProtocolError(`an unreadable answer: ${(err as Error).message}`)
      }
      await writer.close(STREAM_CLOSE_TIMEOUT_MS)
      return frame
    } catch (err) {
      stream.abort(err as Error)
      throw err
    }
  }
}
