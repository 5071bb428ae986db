/**
 * Builds safe codecs from protons-generated ones: frame check, size cap, repeated-field limits,
 * canonical re-encoding, and per-type field validation. `decode` throws only WireError subclasses.
 */
import type { DecodeOptions } from 'protons-runtime'
import { MAX_FRAME_BYTES } from './constants.js'
import { LimitExceededError, MalformedError, OversizedError, TruncatedError, WireError } from './errors.js'
import { frame, unframe } from './frame.js'
import { type Kind, kindName } from './kinds.js'

export interface WireCodec<T> {
  /** The frame kind this codec reads and writes. */
  readonly kind: Kind
  /** Largest body (after the frame header) this codec accepts. */
  readonly maxBodyBytes: number
  /** Validates and frames a value. Throws a WireError when the value breaks a limit. */
  encode(value: T): Uint8Array
  /** Decodes untrusted bytes. Throws only WireError subclasses. */
  decode(bytes: Uint8Array): T
}

export interface ProtonsMessage<T> {
  encode(value: Partial<T>): Uint8Array
  decode(bytes: Uint8Array, options?: DecodeOptions<T>): T
}

export interface CodecSpec<T> {
  kind: Kind
  /** The protons-generated message namespace (its `encode` and `decode`). */
  codec: ProtonsMessage<T>
  maxBodyBytes: number
  /** protons runtime limits on repeated fields, applied while decoding. */
  limits?: DecodeOptions<T>['limits']
  /** Field-level checks; throw MalformedError / OversizedError / LimitExceededError. */
  validate: (value: T) => void
}

export function defineCodec<T>(spec: CodecSpec<T>): WireCodec<T> {
  const name = kindName(spec.kind)
  const maxBodyBytes = Math.min(spec.maxBodyBytes, MAX_FRAME_BYTES)
  const options: DecodeOptions<T> | undefined = spec.limits == null ? undefined : { limits: spec.limits }
  return {
    kind: spec.kind,
    maxBodyBytes,
    encode(value: T): Uint8Array {
      let body: Uint8Array
      try {
        spec.validate(value)
        body = spec.codec.encode(value)
      } catch (err) {
        // protons throws plain Errors (an enum value it does not know, say): callers get typed ones
        throw translate(err, name)
      }
      if (body.byteLength > maxBodyBytes) {
        throw new OversizedError(`${name}: encoding of ${body.byteLength} bytes exceeds ${maxBodyBytes}`)
      }
      return frame(spec.kind, body)
    },
    decode(bytes: Uint8Array): T {
      const body = unframe(bytes, spec.kind, maxBodyBytes)
      let value: T
      let again: Uint8Array
      try {
        value = spec.codec.decode(body, options)
        again = spec.codec.encode(value)
      } catch (err) {
        throw translate(err, name)
      }
      if (!equalBytes(again, body)) {
        throw new MalformedError(`${name}: not a canonical encoding (unknown, duplicate or reordered fields)`)
      }
      try {
        spec.validate(value)
      } catch (err) {
        throw translate(err, name)
      }
      return value
    },
  }
}

function translate(err: unknown, name: string): WireError {
  if (err instanceof WireError) {
    return err
  }
  const e = err as { name?: unknown; message?: unknown }
  const message = typeof e?.message === 'string' ? e.message : String(err)
  if (e?.name === 'MaxLengthError' || e?.name === 'MaxSizeError') {
    return new LimitExceededError(`${name}: ${message}`)
  }
  if (err instanceof RangeError && /call stack/i.test(message)) {
    return new LimitExceededError(`${name}: nesting too deep`)
  }
  if (/index out of range|premature end|truncated/i.test(message)) {
    return new TruncatedError(`${name}: ${message}`)
  }
  return new MalformedError(`${name}: ${message}`)
}

/** Byte equality (not constant-time: for encodings, never for secrets). Compares four bytes a step. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  const length = a.byteLength
  if (length !== b.byteLength) {
    return false
  }
  const left = new DataView(a.buffer, a.byteOffset, length)
  const right = new DataView(b.buffer, b.byteOffset, length)
  let i = 0
  for (; i + 4 <= length; i += 4) {
    if (left.getUint32(i) !== right.getUint32(i)) {
      return false
    }
  }
  for (; i < length; i++) {
    if (left.getUint8(i) !== right.getUint8(i)) {
      return false
    }
  }
  return true
}
