/**
 * Building blocks of the client's stored formats: a growable writer for records whose size is not
 * known up front (it checks every field against its bound, so a record that could not be read back is
 * never written), and string and list reads on top of the package's bounds-checked ByteReader.
 */
import { type ByteReader, ByteWriter, concatBytes } from '../binary.js'
import { InvalidRequestError, StoreCorruptError } from '../errors.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export class RecordWriter {
  readonly #chunks: Uint8Array[] = []

  u8(n: number): this {
    this.#chunks.push(Uint8Array.of(n))
    return this
  }

  bool(b: boolean): this {
    return this.u8(b ? 1 : 0)
  }

  u32(n: number): this {
    this.#chunks.push(new ByteWriter(4).u32(n).finish())
    return this
  }

  u64(n: number, what: string): this {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new InvalidRequestError(`${what} must be a non-negative safe integer`)
    }
    this.#chunks.push(new ByteWriter(8).u64(n).finish())
    return this
  }

  /** Bytes of a length fixed by the format (no prefix). */
  fixed(b: Uint8Array, length: number, what: string): this {
    if (!(b instanceof Uint8Array) || b.byteLength !== length) {
      throw new InvalidRequestError(`${what} must be ${length} bytes`)
    }
    this.#chunks.push(b.slice())
    return this
  }

  /** A u32 length, then the bytes (copied). */
  blob(b: Uint8Array, max: number, what: string): this {
    if (!(b instanceof Uint8Array) || b.byteLength > max) {
      throw new InvalidRequestError(`${what} must be at most ${max} bytes`)
    }
    this.u32(b.byteLength)
    this.#chunks.push(b.slice())
    return this
  }

  string(s: string, maxBytes: number, what: string): this {
    if (typeof s !== 'string') {
      throw new InvalidRequestError(`${what} must be a string`)
    }
    return this.blob(encoder.encode(s), maxBytes, what)
  }

  strings(list: readonly string[], maxCount: number, maxBytes: number, what: string): this {
    if (!Array.isArray(list) || list.length > maxCount) {
      throw new InvalidRequestError(`${what}: at most ${maxCount} entries`)
    }
    this.u32(list.length)
    for (const s of list) {
      this.string(s, maxBytes, what)
    }
    return this
  }

  /** A presence byte, then the value when present. */
  optional<T>(value: T | undefined, write: (w: this, v: T) => void): this {
    if (value === undefined) {
      return this.u8(0)
    }
    this.u8(1)
    write(this, value)
    return this
  }

  finish(): Uint8Array {
    return concatBytes(...this.#chunks)
  }
}

export function readBool(r: ByteReader): boolean {
  const b = r.u8()
  if (b > 1) {
    throw r.corrupt('a flag is neither 0 nor 1')
  }
  return b === 1
}

export function readString(r: ByteReader, maxBytes: number): string {
  const bytes = r.blob(maxBytes)
  try {
    return decoder.decode(bytes)
  } catch (err) {
    throw new StoreCorruptError('a stored string is not UTF-8', { cause: err })
  }
}

export function readStrings(r: ByteReader, maxCount: number, maxBytes: number): string[] {
  const count = r.u32()
  if (count > maxCount) {
    throw r.corrupt('a list is longer than its bound')
  }
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    out.push(readString(r, maxBytes))
  }
  return out
}

/** A u32 count within `max`, for the caller to read that many entries. */
export function readCount(r: ByteReader, max: number): number {
  const count = r.u32()
  if (count > max) {
    throw r.corrupt('a list is longer than its bound')
  }
  return count
}

export function readOptional<T>(r: ByteReader, read: () => T): T | undefined {
  return readBool(r) ? read() : undefined
}

/** Checks a list length before writing it entry by entry. */
export function checkCount(list: readonly unknown[], max: number, what: string): void {
  if (!Array.isArray(list) || list.length > max) {
    throw new InvalidRequestError(`${what}: at most ${max} entries`)
  }
}
