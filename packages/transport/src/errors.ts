/**
 * Named errors of the transport package. Callers branch on `err.name`. Network replies never carry
 * these: a remote sees a numeric status code (StatusCode in @ferry/wire); these are what local
 * callers see when a stream, a frame or a reply goes wrong.
 */
import { statusName } from '@ferry/wire'

/** Base class of every error this package throws. */
export class TransportError extends Error {
  override readonly name: string = 'TransportError'
}

/** A frame's length prefix exceeds the frame cap (refused before its body is buffered). */
export class FrameTooLargeError extends TransportError {
  override readonly name = 'FrameTooLargeError'
}

/** A frame's length prefix is not a valid minimal varint, or the stream ended inside a frame. */
export class MalformedFrameError extends TransportError {
  override readonly name = 'MalformedFrameError'
}

/** A frame did not arrive whole within the read timeout (a slow-loris stream); the stream is reset. */
export class ReadTimeoutError extends TransportError {
  override readonly name = 'ReadTimeoutError'
}

/** No new request arrived within the idle timeout; the stream is closed. */
export class IdleTimeoutError extends TransportError {
  override readonly name = 'IdleTimeoutError'
}

/** A peer opened more streams of one protocol than it may hold at once; the new stream is reset. */
export class StreamLimitError extends TransportError {
  override readonly name = 'StreamLimitError'
}

/** The remote peer broke the protocol: an undecodable or unexpected reply. */
export class ProtocolError extends TransportError {
  override readonly name = 'ProtocolError'
}

/** The stream or session ended (closed, reset, or its connection dropped) before a reply arrived. */
export class StreamEndedError extends TransportError {
  override readonly name = 'StreamEndedError'
}

/** A live fetch session heard nothing, not even a heartbeat, for too long. */
export class SessionSilentError extends TransportError {
  override readonly name = 'SessionSilentError'
}

/** The service is stopping; the stream is being closed. */
export class ServiceStoppingError extends TransportError {
  override readonly name = 'ServiceStoppingError'
}

/** A key of the wrong type (a mailbox key must be Ed25519) or a relay PeerId that does not match. */
export class InvalidKeyError extends TransportError {
  override readonly name = 'InvalidKeyError'
}

/**
 * The remote answered with a refusal status. `code` is the numeric StatusCode, `status` its name
 * (`RATE_LIMITED`, `MAILBOX_FULL`, ...); `description` is the remote's short reason.
 */
export class RequestRefusedError extends TransportError {
  override readonly name: string = 'RequestRefusedError'
  readonly status: string
  constructor(
    readonly code: number,
    readonly description: string,
  ) {
    super(`${statusName(code)}${description === '' ? '' : `: ${description}`}`)
    this.status = statusName(code)
  }
}

/** A direct delivery the receiver did not acknowledge (its store failed, or it refused the frame). */
export class DeliveryRefusedError extends RequestRefusedError {
  override readonly name = 'DeliveryRefusedError'
}
