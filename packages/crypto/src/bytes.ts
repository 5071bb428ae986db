/**
 * Byte helpers used across the crypto layers. No primitives here: only concatenation, encodings, and
 * a constant-time comparison for secrets.
 */

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) {
    length += part.byteLength
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

/**
 * Compares two byte strings in time that depends only on their lengths. Use for secrets and MACs.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  // the length is read once: a typed-array length read in the loop test keeps V8 from optimising the
  // loop (about 15 times slower on 600 bytes)
  const length = a.byteLength
  if (length !== b.byteLength) {
    return false
  }
  let diff = 0
  for (let i = 0; i < length; i++) {
    diff |= a[i]! ^ b[i]!
  }
  return diff === 0
}

/** Big-endian 32-bit unsigned integer. */
export function u32be(n: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n >>> 0, false)
  return out
}

/** Big-endian 64-bit unsigned integer from a safe integer. */
export function u64be(n: number): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false)
  return out
}

const encoder = new TextEncoder()

export function utf8(text: string): Uint8Array {
  return encoder.encode(text)
}

/** The character codes of the lower-case hex digits. */
const HEX_CODES = encoder.encode('0123456789abcdef')
/** Character codes turned into a string per `String.fromCharCode` call (under engines' argument limits). */
const CHAR_CODE_CHUNK = 8192

/**
 * A string with one UTF-16 code unit per entry of `codes` (each 0-255), made a chunk at a time: a
 * typed array is a valid argument list, so there is no iterator, no intermediate array, and no string
 * per character (growing a string by `+=` per byte allocated about thirty times the input's size).
 */
export function fromCharCodes(codes: Uint8Array): string {
  let out = ''
  for (let start = 0; start < codes.byteLength; start += CHAR_CODE_CHUNK) {
    out += Reflect.apply(String.fromCharCode, null, codes.subarray(start, start + CHAR_CODE_CHUNK))
  }
  return out
}

export function toHex(bytes: Uint8Array): string {
  const length = bytes.byteLength
  const codes = new Uint8Array(length * 2)
  for (let i = 0; i < length; i++) {
    const byte = bytes[i]!
    codes[2 * i] = HEX_CODES[byte >>> 4]!
    codes[2 * i + 1] = HEX_CODES[byte & 0x0f]!
  }
  return fromCharCodes(codes)
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0
  const length = bytes.byteLength
  for (let i = 0; i < length; i++) {
    acc |= bytes[i]!
  }
  return acc === 0
}
