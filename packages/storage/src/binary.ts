/**
 * Byte helpers for the stored formats: a fixed-layout writer and a bounds-checked reader (a short or
 * over-long record is reported as corruption, never read past), concatenation, and key helpers.
 * Platform-neutral: Uint8Array and DataView only, so the same code runs on browser-level.
 */
import { MAX_SCRATCH_BYTES, SCRATCH_SLAB_BYTES } from './constants.js'
import { StoreCorruptError } from './errors.js'

const TWO_32 = 2 ** 32

let slab = new Uint8Array(SCRATCH_SLAB_BYTES)
let slabOffset = 0

/**
 * Bytes for a short-lived buffer that goes into a write batch (the database copies it): a view into
 * a shared slab. Never for bytes handed back to callers or kept: a view keeps its whole slab alive.
 */
export function scratchBytes(n: number): Uint8Array {
  if (n > MAX_SCRATCH_BYTES) {
    return new Uint8Array(n)
  }
  if (slabOffset + n > SCRATCH_SLAB_BYTES) {
    slab = new Uint8Array(SCRATCH_SLAB_BYTES)
    slabOffset = 0
  }
  const out = slab.subarray(slabOffset, slabOffset + n)
  slabOffset += n
  return out
}

/** `concatBytes` into scratch bytes (see `scratchBytes`): for keys and records bound for a batch. */
export function concatScratch(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) {
    length += part.byteLength
  }
  const out = scratchBytes(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

/**
 * Writes a record of known size, big-endian. Writes bytes directly rather than through a DataView:
 * asking a small (on-heap) typed array for its `.buffer` makes V8 move it off the heap, which cost more
 * than the rest of encoding a record.
 */
export class ByteWriter {
  readonly #bytes: Uint8Array
  #offset = 0

  /** `scratch`: the record only goes into a write batch (see `scratchBytes`). */
  constructor(size: number, scratch = false) {
    this.#bytes = scratch ? scratchBytes(size) : new Uint8Array(size)
  }

  u8(n: number): this {
    this.#bytes[this.#offset++] = n
    return this
  }

  u16(n: number): this {
    const b = this.#bytes
    b[this.#offset++] = n >>> 8
    b[this.#offset++] = n
    return this
  }

  u32(n: number): this {
    const b = this.#bytes
    b[this.#offset++] = n >>> 24
    b[this.#offset++] = n >>> 16
    b[this.#offset++] = n >>> 8
    b[this.#offset++] = n
    return this
  }

  /** A non-negative safe integer as 64 bits. */
  u64(n: number): this {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new RangeError('u64 field needs a non-negative safe integer')
    }
    return this.u32(Math.floor(n / TWO_32)).u32(n >>> 0)
  }

  bytes(b: Uint8Array): this {
    this.#bytes.set(b, this.#offset)
    this.#offset += b.byteLength
    return this
  }

  /** A u32 length followed by the bytes. */
  blob(b: Uint8Array): this {
    return this.u32(b.byteLength).bytes(b)
  }

  finish(): Uint8Array {
    if (this.#offset !== this.#bytes.byteLength) {
      throw new RangeError(`record layout wrote ${this.#offset} of ${this.#bytes.byteLength} bytes`)
    }
    return this.#bytes
  }
}

/** Reads a record written by ByteWriter; any mismatch is a StoreCorruptError naming the record. */
export class ByteReader {
  readonly #bytes: Uint8Array
  readonly #what: string
  #offset = 0

  constructor(bytes: Uint8Array, what: string) {
    this.#bytes = bytes
    this.#what = what
  }

  #need(n: number): void {
    if (this.#offset + n > this.#bytes.byteLength) {
      throw new StoreCorruptError(`stored ${this.#what} record is truncated`)
    }
  }

  u8(): number {
    this.#need(1)
    return this.#bytes[this.#offset++]!
  }

  u16(): number {
    this.#need(2)
    const b = this.#bytes
    const n = (b[this.#offset]! << 8) | b[this.#offset + 1]!
    this.#offset += 2
    return n
  }

  u32(): number {
    this.#need(4)
    const b = this.#bytes
    const o = this.#offset
    const n = b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!)
    this.#offset += 4
    return n
  }

  u64(): number {
    const high = this.u32()
    const n = high * TWO_32 + this.u32()
    if (!Number.isSafeInteger(n)) {
      throw new StoreCorruptError(`stored ${this.#what} record holds an out-of-range integer`)
    }
    return n
  }

  /** A copy of the next n bytes (never a view into a buffer the database may reuse). */
  bytes(n: number): Uint8Array {
    this.#need(n)
    const out = copyBytes(this.#bytes, this.#offset, this.#offset + n)
    this.#offset += n
    return out
  }

  /** The next n bytes as a plain view into the record (no copy), for large fields read once. */
  view(n: number): Uint8Array {
    this.#need(n)
    const out = plainBytes(this.#bytes.subarray(this.#offset, this.#offset + n))
    this.#offset += n
    return out
  }

  blob(max: number): Uint8Array {
    const n = this.u32()
    if (n > max) {
      throw new StoreCorruptError(`stored ${this.#what} record holds an oversized field`)
    }
    return this.bytes(n)
  }

  /** Checks the version byte. */
  version(expected: number): void {
    const v = this.u8()
    if (v !== expected) {
      throw new StoreCorruptError(`stored ${this.#what} record has unknown version ${v}`)
    }
  }

  /** An error describing this record as corrupt, for the caller to throw. */
  corrupt(what: string): StoreCorruptError {
    return new StoreCorruptError(`stored ${this.#what} record: ${what}`)
  }

  end(): void {
    if (this.#offset !== this.#bytes.byteLength) {
      throw new StoreCorruptError(`stored ${this.#what} record has trailing bytes`)
    }
  }
}

/**
 * A plain Uint8Array copy of bytes[start, end). (`Buffer#slice` would return a view into the
 * database's buffer, and a Buffer rather than a Uint8Array.)
 */
export function copyBytes(bytes: Uint8Array, start = 0, end = bytes.byteLength): Uint8Array {
  const out = new Uint8Array(end - start)
  if (start === 0 && end === bytes.byteLength) {
    out.set(bytes)
  } else if (end - start > 64) {
    out.set(bytes.subarray(start, end))
  } else {
    // short ranges byte by byte: `subarray` of a small on-heap array would move it off the heap
    for (let i = start; i < end; i++) {
      out[i - start] = bytes[i]!
    }
  }
  return out
}

/** The same bytes as a plain Uint8Array (no copy): databases may hand out Buffer subclasses. */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
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

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) {
    return false
  }
  for (let i = 0; i < a.byteLength; i++) {
    if (a[i] !== b[i]) {
      return false
    }
  }
  return true
}

/** A string with one char per byte: a cheap Map key for binary keys (not for display). */
export function byteKey(bytes: Uint8Array): string {
  // one call instead of a concatenation per byte (keys here are at most ~100 bytes)
  return String.fromCharCode.apply(null, bytes as unknown as number[])
}

/** The big-endian 64-bit encoding of a non-negative safe integer. */
export function u64Bytes(n: number): Uint8Array {
  return new ByteWriter(8).u64(n).finish()
}

/** Reads a big-endian 64-bit integer at `offset` of a key. */
export function readU64(bytes: Uint8Array, offset: number, what: string): number {
  return new ByteReader(bytes.subarray(offset, offset + 8), what).u64()
}
