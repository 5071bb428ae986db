/**
 * The receiving side of direct delivery on PROTOCOL_DELIVER: a peer sends sealed envelopes (pipelined
 * on one stream), the injected `onEnvelope` stores each durably, and only then is it acknowledged.
 * A store that fails is answered REJECTED: no ack, so the sender falls back to the relay. Runs on
 * limited (circuit-relayed) connections too: that is how a device behind NAT is reached.
 */

import type { pb } from '@ferry/wire'
import {
  DeliverRequest,
  DeliverResponse,
  MAX_ENVELOPE_BYTES,
  MAX_STREAM_FRAME_BYTES,
  PROTOCOL_DELIVER,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import {
  DELIVER_MAX_INBOUND_STREAMS,
  DELIVER_MAX_OUTBOUND_STREAMS,
  DELIVER_MAX_PIPELINED,
  DELIVER_MAX_STREAMS_PER_PEER,
  FRAME_READ_TIMEOUT_MS,
  MAX_QUEUED_FRAMES,
  STREAM_CLOSE_TIMEOUT_MS,
  STREAM_IDLE_TIMEOUT_MS,
} from '../constants.js'
import { FrameTooLargeError, IdleTimeoutError, MalformedFrameError, ReadTimeoutError } from '../errors.js'
import { FrameReader } from '../stream/frame-reader.js'
import { FrameWriter } from '../stream/frame-writer.js'
import { ProtocolService } from '../stream/service.js'
import { describeReadError, type ServerComponents, statusForReadError } from '../stream/types.js'

/** One envelope received directly from a peer. */
export interface IncomingEnvelope {
  envelopeId: Uint8Array
  payload: Uint8Array
  /** The sending peer (its libp2p PeerId; the sender's Ferry identity is inside the sealed envelope). */
  from: PeerId
  /** False when it came over a limited (circuit-relayed) connection. */
  direct: boolean
}

/**
 * Stores an envelope durably; resolves only once it is stored (the ack goes out then). Rejecting
 * refuses it: no ack. Calls for one stream start in arrival order and may overlap (up to the
 * pipeline limit) so the store can group-commit.
 */
export type EnvelopeHandler = (envelope: IncomingEnvelope, options: { signal: AbortSignal }) => Promise<void>

export interface DeliverServerInit {
  /** Where received envelopes go. Required. */
  onEnvelope: EnvelopeHandler
  /** Largest payload accepted. Default and ceiling: MAX_ENVELOPE_BYTES. */
  maxPayloadBytes?: number
  /** Inbound streams per connection. Default: DELIVER_MAX_INBOUND_STREAMS. */
  maxInboundStreams?: number
  /** Outbound streams per connection. Default: DELIVER_MAX_OUTBOUND_STREAMS. */
  maxOutboundStreams?: number
  /** Streams per peer across its connections. Default: DELIVER_MAX_STREAMS_PER_PEER. */
  maxStreamsPerPeer?: number
  /** Envelopes stored concurrently per stream. Default: DELIVER_MAX_PIPELINED. */
  maxPipelined?: number
  /** Default: FRAME_READ_TIMEOUT_MS. */
  frameTimeoutMs?: number
  /** Default: STREAM_IDLE_TIMEOUT_MS. */
  idleTimeoutMs?: number
}

function response(body: Partial<pb.DeliverResponse>): Uint8Array {
  return DeliverResponse.encode({
    version: RELAY_PROTOCOL_VERSION,
    seq: 0,
    status: StatusCode.OK,
    description: '',
    ...body,
  })
}

export class DeliverServer extends ProtocolService {
  readonly #init: DeliverServerInit

  constructor(components: ServerComponents, init: DeliverServerInit) {
    super(
      components,
      {
        protocol: PROTOCOL_DELIVER,
        maxInboundStreams: init.maxInboundStreams ?? DELIVER_MAX_INBOUND_STREAMS,
        maxOutboundStreams: init.maxOutboundStreams ?? DELIVER_MAX_OUTBOUND_STREAMS,
        maxStreamsPerPeer: init.maxStreamsPerPeer ?? DELIVER_MAX_STREAMS_PER_PEER,
        runOnLimitedConnection: true,
      },
      'ferry:deliver',
    )
    this.#init = init
  }

  readonly [Symbol.toStringTag] = '@ferry/transport/deliver-server'

  protected async handleStream(stream: Stream, connection: Connection, stopping: AbortSignal): Promise<void> {
    const reader = new FrameReader(stream, {
      maxFrameBytes: MAX_STREAM_FRAME_BYTES,
      frameTimeoutMs: this.#init.frameTimeoutMs ?? FRAME_READ_TIMEOUT_MS,
      maxQueuedFrames: MAX_QUEUED_FRAMES,
    })
    const writer = new FrameWriter(stream)
    const pending = new Set<Promise<void>>()
    const maxPipelined = this.#init.maxPipelined ?? DELIVER_MAX_PIPELINED
    const maxPayload = Math.min(this.#init.maxPayloadBytes ?? MAX_ENVELOPE_BYTES, MAX_ENVELOPE_BYTES)
    const refuse = async (status: number, description: string, err: Error): Promise<void> => {
      await Promise.allSettled([...pending])
      writer.write(response({ status, description }))
      await writer.closeWrite(STREAM_CLOSE_TIMEOUT_MS)
      stream.abort(err)
    }
    for (;;) {
      let frame: Uint8Array | null
      try {
        frame = await reader.next({
          signal: stopping,
          idleTimeoutMs: this.#init.idleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS,
        })
      } catch (err) {
        if (err instanceof IdleTimeoutError || stopping.aborted) {
          break
        }
        if (err instanceof FrameTooLargeError || err instanceof MalformedFrameError) {
          await refuse(statusForReadError(err), describeReadError(err), err)
        } else if (!(err instanceof ReadTimeoutError)) {
          this.log('deliver stream ended: %s', (err as Error)?.name)
        }
        return
      }
      if (frame === null) {
        break
      }
      let request: pb.DeliverRequest
      try {
        request = DeliverRequest.decode(frame)
      } catch (err) {
        await refuse(statusForReadError(err), describeReadError(err), err as Error)
        return
      }
      if (request.version !== RELAY_PROTOCOL_VERSION) {
        await refuse(
          StatusCode.UNKNOWN_VERSION,
          `version ${request.version}`,
          new MalformedFrameError('version'),
        )
        return
      }
      const seq = request.seq
      if (request.payload.byteLength > maxPayload) {
        writer.write(
          response({ seq, status: StatusCode.TOO_LARGE, description: `payload over ${maxPayload} bytes` }),
        )
        continue
      }
      const envelope: IncomingEnvelope = {
        envelopeId: request.envelopeId,
        payload: request.payload,
        from: connection.remotePeer,
        direct: connection.limits === undefined,
      }
      const work = this.#init
        .onEnvelope(envelope, { signal: stopping })
        .then(
          () => {
            writer.write(response({ seq }))
          },
          (err: unknown) => {
            this.log('envelope refused by its handler: %s', (err as Error)?.name)
            writer.write(
              response({ seq, status: StatusCode.REJECTED, description: 'the receiver could not store it' }),
            )
          },
        )
        .finally(() => {
          pending.delete(work)
        })
      pending.add(work)
      while (pending.size >= maxPipelined) {
        await Promise.race(pending)
      }
    }
    await Promise.allSettled([...pending])
    await writer.close(STREAM_CLOSE_TIMEOUT_MS)
  }
}
