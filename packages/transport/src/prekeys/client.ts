/**
 * The device side of the pre-key protocol: upload (a relay challenge signed by the device signing
 * key, through a signer the caller passes in, since that key lives with the crypto layer) and claim
 * (a framed PreKeyBundle, for the crypto layer to verify before any use).
 */

import type { pb } from '@ferry/wire'
import {
  MAX_STREAM_FRAME_BYTES,
  PROTOCOL_PREKEYS,
  PreKeyBundle,
  PreKeyRequest,
  PreKeyResponse,
  PreKeyUploadBody,
  RELAY_PROTOCOL_VERSION,
  StatusCode,
} from '@ferry/wire'
import type { AbortOptions, Connection, DialTarget, Stream } from '@libp2p/interface'
import { FRAME_READ_TIMEOUT_MS, MAX_QUEUED_FRAMES, STREAM_CLOSE_TIMEOUT_MS } from '../constants.js'
import { ProtocolError, RequestRefusedError, StreamEndedError } from '../errors.js'
import { FrameReader } from '../stream/frame-reader.js'
import { FrameWriter } from '../stream/frame-writer.js'
import type { ClientComponents } from '../stream/types.js'
import type { OneTimePreKey, PreKeyCounts } from './backend.js'
import { preKeyUploadPayload } from './server.js'

export interface PreKeyUploadInput {
  /** Framed Signed(DeviceCertificateBody). */
  certificate: Uint8Array
  /** Framed Signed(PreKeyBody), kind SIGNED_X25519. */
  signedPreKey: Uint8Array
  /** Framed Signed(PreKeyBody), kind KEM_LAST_RESORT. */
  kemLastResort: Uint8Array
  /** New one-time X25519 pre-keys (at most MAX_UPLOAD_ONE_TIME_PRE_KEYS per upload). */
  oneTimePreKeys: OneTimePreKey[]
  /** New framed Signed(PreKeyBody) records, kind KEM_ONE_TIME (at most MAX_UPLOAD_ONE_TIME_KEM_PRE_KEYS). */
  oneTimeKemPreKeys: Uint8Array[]
}

/** Signs with the device signing key (Ed25519) the certificate binds. */
export type DeviceSigner = (payload: Uint8Array) => Promise<Uint8Array>

class Exchange {
  readonly stream: Stream
  readonly #reader: FrameReader
  readonly #writer: FrameWriter

  constructor(stream: Stream) {
    this.stream = stream
    this.#reader = new FrameReader(stream, {
      maxFrameBytes: MAX_STREAM_FRAME_BYTES,
      frameTimeoutMs: FRAME_READ_TIMEOUT_MS,
      maxQueuedFrames: MAX_QUEUED_FRAMES,
    })
    this.#writer = new FrameWriter(stream)
  }

  async ask(body: Partial<pb.PreKeyRequest>, signal: AbortSignal | undefined): Promise<pb.PreKeyResponse> {
    this.#writer.write(PreKeyRequest.encode({ version: RELAY_PROTOCOL_VERSION, challenge: false, ...body }))
    this.#writer.flush()
    const frame = await this.#reader.next({ signal })
    if (frame === null) {
      throw new StreamEndedError('the relay closed the stream without a reply')
    }
    try {
      return PreKeyResponse.decode(frame)
    } catch (err) {
      throw new ProtocolError(`unreadable reply from the relay: ${(err as Error).message}`)
    }
  }

  async close(): Promise<void> {
    await this.#writer.close(STREAM_CLOSE_TIMEOUT_MS)
  }
}

export class PreKeyClient {
  readonly #components: ClientComponents

  constructor(components: ClientComponents) {
    this.#components = components
  }

  /**
   * Uploads pre-keys to `relay`, signing the relay's challenge over the exact upload bytes with
   * `sign`. Resolves with the one-time keys the relay now holds for this device. Throws
   * RequestRefusedError (RATE_LIMITED, INVALID_RECORD, UNAUTHORISED, TOO_MANY_KEYS, ...) on refusal.
   */
  async upload(
    relay: DialTarget,
    upload: PreKeyUploadInput,
    sign: DeviceSigner,
    options: AbortOptions = {},
  ): Promise<PreKeyCounts> {
    return this.#exchange(relay, options, async (exchange, connection) => {
      const challenge = await exchange.ask({ challenge: true }, options.signal)
      if (challenge.status !== StatusCode.OK || challenge.challenge === undefined) {
        throw refusal(challenge)
      }
      const nonce = challenge.challenge.nonce
      const body = PreKeyUploadBody.encode(upload)
      const signature = await sign(
        preKeyUploadPayload(connection.remotePeer, nonce, body, this.#components.peerId),
      )
      const reply = await exchange.ask({ upload: { body, nonce, signature } }, options.signal)
      if (reply.status !== StatusCode.OK || reply.counts === undefined) {
        throw refusal(reply)
      }
      return { oneTime: reply.counts.oneTime, oneTimeKem: reply.counts.oneTimeKem }
    })
  }

  /**
   * Claims a pre-key bundle for one device: the framed PreKeyBundle, or undefined when the relay holds
   * none for it. Verify it (certificate, signatures, device list) before use. Throws
   * RequestRefusedError (RATE_LIMITED, ...) on refusal.
   */
  async claim(
    relay: DialTarget,
    device: { accountKey: Uint8Array; deviceId: number },
    options: AbortOptions = {},
  ): Promise<Uint8Array | undefined> {
    return this.#exchange(relay, options, async (exchange) => {
      const reply = await exchange.ask(
        { claim: { accountKey: device.accountKey, deviceId: device.deviceId } },
        options.signal,
      )
      if (reply.status === StatusCode.NOT_FOUND) {
        return undefined
      }
      if (reply.status !== StatusCode.OK || reply.bundle === undefined) {
        throw refusal(reply)
      }
      try {
        PreKeyBundle.decode(reply.bundle)
      } catch (err) {
        throw new ProtocolError(`the relay sent an unreadable bundle: ${(err as Error).message}`)
      }
      return reply.bundle
    })
  }

  async #exchange<T>(
    relay: DialTarget,
    options: AbortOptions,
    run: (exchange: Exchange, connection: Connection) => Promise<T>,
  ): Promise<T> {
    const connection = await this.#components.dial(relay, options)
    const exchange = new Exchange(await connection.newStream(PROTOCOL_PREKEYS, { signal: options.signal }))
    try {
      const result = await run(exchange, connection)
      await exchange.close()
      return result
    } catch (err) {
      exchange.stream.abort(err as Error)
      throw err
    }
  }
}

function refusal(reply: pb.PreKeyResponse): Error {
  return reply.status === StatusCode.OK
    ? new ProtocolError('unexpected reply from the relay')
    : new RequestRefusedError(reply.status, reply.description)
}
