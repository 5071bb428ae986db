/**
 * Typed errors for decoding untrusted bytes. Callers branch on `err.name` (or `instanceof`); every
 * decoder in this package throws only these, whatever the input.
 */

/** Base class of every error this package throws. */
export class WireError extends Error {
  override readonly name: string = 'WireError'
}

/** The input ends before the frame or one of its fields does. */
export class TruncatedError extends WireError {
  override readonly name = 'TruncatedError'
}

/** The input, a declared length, or a field is larger than its named limit. */
export class OversizedError extends WireError {
  override readonly name = 'OversizedError'
}

/** A repeated field has more entries than its named limit. */
export class LimitExceededError extends WireError {
  override readonly name = 'LimitExceededError'
}

/** The frame names a format version this code does not speak. */
export class UnknownVersionError extends WireError {
  override readonly name = 'UnknownVersionError'
  constructor(
    message: string,
    readonly version: number,
  ) {
    super(message)
  }
}

/** The frame holds a different kind of object than the one asked for. */
export class WrongTypeError extends WireError {
  override readonly name = 'WrongTypeError'
  constructor(
    message: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(message)
  }
}

/** The bytes parse but are not a valid, canonical encoding of the object (bad field, trailing bytes). */
export class MalformedError extends WireError {
  override readonly name = 'MalformedError'
}
