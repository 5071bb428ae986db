/**
 * Hand-written protobuf for hostile-input tests: bytes that protons would never produce (over-long
 * varints, duplicate fields, start groups, floods of repeated entries), and a splitter of a message
 * into its top-level fields.
 */

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const

/** Minimal varint of a non-negative integer (bigint for values past 2^53). */
export function varint(value: number | bigint): Uint8Array {
  let n = BigInt(value)
  const out: number[] = []
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80)
    n >>= 7n
  }
  out.push(Number(n))
  return Uint8Array.from(out)
}

export function tag(field: number, wireType: number): Uint8Array {
  return varint((field << 3) | wireType)
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.byteLength
  }
  return out
}

export function bytesField(field: number, value: Uint8Array): Uint8Array {
  return concat(tag(field, WireType.LengthDelimited), varint(value.byteLength), value)
}

export function varintField(field: number, value: number | bigint): Uint8Array {
  return concat(tag(field, WireType.Varint), varint(value))
}

/** A frame header by hand: kind, version, and any length bytes (minimal or not). */
export function header(kind: number, version: number, length: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(kind, version), length)
}

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0
  let shift = 0
  let i = at
  for (;;) {
    const b = bytes[i++]
    if (b === undefined) {
      throw new Error('test fixture: varint runs past the end')
    }
    value += (b & 0x7f) * 2 ** shift
    shift += 7
    if ((b & 0x80) === 0) {
      return [value, i]
    }
  }
}

export interface Field {
  number: number
  /** The whole field: tag, length if any, value. */
  bytes: Uint8Array
}

/** Splits a (valid, protons-written) message into its top-level fields, in order. */
export function splitFields(body: Uint8Array): Field[] {
  const fields: Field[] = []
  let at = 0
  while (at < body.byteLength) {
    const start = at
    const [key, afterTag] = readVarint(body, at)
    const wireType = key & 7
    if (wireType === WireType.Varint) {
      at = readVarint(body, afterTag)[1]
    } else if (wireType === WireType.LengthDelimited) {
      const [length, afterLength] = readVarint(body, afterTag)
      at = afterLength + length
    } else if (wireType === WireType.Fixed32 || wireType === WireType.Fixed64) {
      at = afterTag + (wireType === WireType.Fixed32 ? 4 : 8)
    } else {
      throw new Error(`test fixture: wire type ${wireType} is not written by these schemas`)
    }
    fields.push({ number: key >>> 3, bytes: body.subarray(start, at) })
  }
  return fields
}
