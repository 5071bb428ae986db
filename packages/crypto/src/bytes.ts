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

/** The two lower-case hex digits of every byte value. */
const HEX_DIGITS: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

export function toHex(bytes: Uint8Array): string {
  let out = ''
  const length = bytes.byteLength
  for (let i = 0; i < length; i++) {
    out += HEX_DIGITS[bytes[i]!]
  }
  return out
}

export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0
  const length = bytes.byteLength
  for (let i = 0; i < length; i++) {
    acc |= bytes[i]!
  }
  return acc === 0
}
