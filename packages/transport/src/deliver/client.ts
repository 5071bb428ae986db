/**
 * The sending side of direct delivery: envelopes to one peer share a pooled stream, up to `pipeline`
 * in flight, over direct or limited (circuit-relayed) connections. `deliver` resolves only once the
 * receiver stored the envelope; a refusal is DeliveryRefusedError, a broken stream StreamEndedError
 * (in both cases the caller falls back to the recipient's relays).
 */

import {
  DeliverRequest,
  DeliverResponse,
  MAX_STREAM_FRAME_BYTES,
  PROTOCOL_DELIVER,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import type { AbortOptions, DialTarget } from '@libp2p/interface'
import { DELIVER_CLIENT_PIPELINE } from '../constants.js'
import { DeliveryRefusedError, ProtocolError } from '../errors.js'
import { ChannelPool, PipelinedChannel } from '../stream/pipelined-channel.js'
import type { ClientComponents } from '../stream/types.js'

export interface DeliverClientInit {
  /** Envelopes in flight per peer. Default: DELIVER_CLIENT_PIPELINE. */
  pipeline?: number
}

export interface OutgoingEnvelope {
  /** 16 bytes; the receiver deduplicates by the message inside, so a retry is harmless. */
  envelopeId: Uint8Array
  payload: Uint8Array
}

type Reply = { status: number; description: string }

function replies(frame: Uint8Array): Array<[number, Reply]> {
  let response: ReturnType<typeof DeliverResponse.decode>
  try {
    response = DeliverResponse.decode(frame)
  } catch (err) {
    throw new ProtocolError(`unreadable reply from the peer: ${(err as Error).message}`)
  }
  return [[response.seq, { status: response.status, description: response.description }]]
}

export class DeliverClient {
  readonly #pool: ChannelPool<Reply>

  constructor(components: ClientComponents, init: DeliverClientInit = {}) {
    const pipeline = init.pipeline ?? DELIVER_CLIENT_PIPELINE
    this.#pool = new ChannelPool(components, async (connection, options) => {
      const stream = await connection.newStream(PROTOCOL_DELIVER, {
        signal: options.signal,
        runOnLimitedConnection: true,
      })
      return new PipelinedChannel(stream, { pipeline, maxFrameBytes: MAX_STREAM_FRAME_BYTES, replies })
    })
  }

  /** Delivers one envelope to `peer`, resolving once the receiver has stored it durably. */
  async deliver(peer: DialTarget, envelope: OutgoingEnvelope, options: AbortOptions = {}): Promise<void> {
    const reply = await this.#pool.run(peer, options, async (channel) =>
      channel.request(
        (seq) =>
          DeliverRequest.encode({
            version: RELAY_PROTOCOL_VERSION,
            seq,
            envelopeId: envelope.envelopeId,
            payload: envelope.payload,
          }),
        options.signal,
      ),
    )
    if (reply.status !== StatusCode.OK) {
      throw new DeliveryRefusedError(reply.status, reply.description)
    }
  }

  /** Closes every pooled stream. */
  close(): void {
    this.#pool.close()
  }
}
