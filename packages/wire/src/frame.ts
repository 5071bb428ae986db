/**
 * Framing of every top-level wire object: one kind byte, one version byte, a varint body length, then
 * the protobuf body. The kind stops a group ciphertext being read as a pairwise one (or any object as
 * another); the version lets formats evolve; the length makes truncation and trailing bytes
 * detectable, and lets a hostile length be refused before anything is buffered.
 */
import { MAX_FRAME_BYTES, WIRE_VERSION } from './constants.js'
import {
  MalformedError,
  OversizedError,
  TruncatedError,
  UnknownVersionError,
  WrongTypeError,
} from './errors.js'
import { type Kind, kindName } from './kinds.js'

/** Longest varint accepted for a body length: 4 bytes reach 2^28, far above MAX_FRAME_BYTES. */
const MAX_LENGTH_VARINT_BYTES = 4

export function frame(kind: Kind, body: Uint8Array): Uint8Array {
  const length = body.byteLength
  const lengthBytes = length < 0x80 ? 1 : length < 0x4000 ? 2 : length < 0x200000 ? 3 : 4
  const out = new Uint8Array(2 + lengthBytes + length)
  out[0] = kind
  out[1] = WIRE_VERSION
  let n = length
  let i = 2
  while (n >= 0x80) {
    out[i++] = (n & 0x7f) | 0x80
    n >>>= 7
  }
  out[i++] = n
  out.set(body, i)
  return out
}

/**
 * Checks the frame header against the expected kind and the body-size cap, and returns the body.
 * Throws only WireError subclasses.
 */
export function unframe(
  bytes: Uint8Array,
  expected: Kind,
  maxBodyBytes: number = MAX_FRAME_BYTES,
): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new MalformedError('expected a Uint8Array')
  }
  if (bytes.byteLength < 3) {
    throw new TruncatedError(`${kindName(expected)}: frame shorter than its header`)
  }
  const kind = bytes[0]!
  if (kind !== expected) {
    throw new WrongTypeError(`expected ${kindName(expected)}, got ${kindName(kind)}`, expected, kind)
  }
  const version = bytes[1]!
  if (version !== WIRE_VERSION) {
    throw new UnknownVersionError(`${kindName(expected)}: unknown format version ${version}`, version)
  }
  let length = 0
  let shift = 0
  let i = 2
  for (;;) {
    if (i >= bytes.byteLength) {
      throw new TruncatedError(`${kindName(expected)}: frame ends inside its length`)
    }
    if (i - 2 >= MAX_LENGTH_VARINT_BYTES) {
      throw new OversizedError(
        `${kindName(expected)}: length varint longer than ${MAX_LENGTH_VARINT_BYTES} bytes`,
      )
    }
    const b = bytes[i++]!
    length += (b & 0x7f) * 2 ** shift
    shift += 7
    if ((b & 0x80) === 0) {
      if (b === 0 && i - 2 > 1) {
        throw new MalformedError(`${kindName(expected)}: non-minimal length varint`)
      }
      break
    }
  }
  const cap = Math.min(maxBodyBytes, MAX_FRAME_BYTES)
  if (length > cap) {
    throw new OversizedError(`${kindName(expected)}: body of ${length} bytes exceeds the ${cap}-byte limit`)
  }
  const end = i + length
  if (end > bytes.byteLength) {
    throw new TruncatedError(
      `${kindName(expected)}: body truncated (${bytes.byteLength - i} of ${length} bytes)`,
    )
  }
  if (end < bytes.byteLength) {
    throw new MalformedError(
      `${kindName(expected)}: ${bytes.byteLength - end} trailing bytes after the frame`,
    )
  }
  return bytes.subarray(i, end)
}
