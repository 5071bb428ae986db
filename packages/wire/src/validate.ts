/**
 * Field checks shared by the codecs. Each throws a typed WireError naming the field.
 */
import { LimitExceededError, MalformedError, OversizedError } from './errors.js'

export function exactLength(value: Uint8Array, length: number, field: string): void {
  if (value.byteLength !== length) {
    throw new MalformedError(`${field}: expected ${length} bytes, got ${value.byteLength}`)
  }
}

export function optionalExactLength(value: Uint8Array | undefined, length: number, field: string): void {
  if (value !== undefined) {
    exactLength(value, length, field)
  }
}

export function lengthBetween(value: Uint8Array, min: number, max: number, field: string): void {
  if (value.byteLength < min) {
    throw new MalformedError(`${field}: expected at least ${min} bytes, got ${value.byteLength}`)
  }
  if (value.byteLength > max) {
    throw new OversizedError(`${field}: ${value.byteLength} bytes exceeds ${max}`)
  }
}

export function maxEntries(values: readonly unknown[], max: number, field: string): void {
  if (values.length > max) {
    throw new LimitExceededError(`${field}: ${values.length} entries exceeds ${max}`)
  }
}

const encoder = new TextEncoder()

/** In a `u` regex a surrogate pair is one code point, so this matches only a lone surrogate. */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * A string field: well-formed Unicode (protons would write a lone surrogate as invalid UTF-8 and read
 * it back, so both directions refuse it) of at most `max` UTF-8 bytes.
 */
export function maxUtf8(value: string, max: number, field: string): void {
  if (LONE_SURROGATE.test(value)) {
    throw new MalformedError(`${field}: not well-formed Unicode (lone surrogate)`)
  }
  // a UTF-8 encoding is at most 3 bytes per UTF-16 unit: skip the encode when that bound already fits
  if (value.length * 3 > max && encoder.encode(value).byteLength > max) {
    throw new OversizedError(`${field}: longer than ${max} UTF-8 bytes`)
  }
}

export function positive(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new MalformedError(`${field}: expected a positive integer`)
  }
}

/** A uint32 field (ids, counters): the varint writer would silently wrap anything else. */
export function uint32(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new MalformedError(`${field}: expected an unsigned 32-bit integer`)
  }
}

export function safeInteger(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MalformedError(`${field}: expected a non-negative safe integer`)
  }
}

export function specified(value: string, field: string): void {
  if (value.endsWith('_UNSPECIFIED')) {
    throw new MalformedError(`${field}: unspecified`)
  }
}
