/**
 * Decoded session records kept between operations, so that `SessionCipher` does not decode the stored
 * record on every encrypt and decrypt. Besides the decode itself, a record decoded afresh holds fresh
 * key arrays, and the providers remember imported private keys per array: a cached record keeps its
 * ratchet secret, so each DH ratchet step imports no key twice.
 *
 * Owns: which decoded record may stand for which stored bytes. Must not know: what a record means.
 *
 * Rules that keep it exact:
 * - An entry is a record and the exact bytes it was last stored as (a private copy). It serves a load
 *   only when the store returns identical bytes: a store rolled back, restored, written by someone
 *   else, or a unit of work that was discarded, gives other bytes, and the record is decoded afresh.
 * - `take` removes the entry: the operation owns the record alone while it works on it, so two
 *   operations never share one object, and an operation that fails (having perhaps changed the record)
 *   simply never puts it back. Only `put`, after the store accepted the new bytes, returns it.
 * - Read-only uses `peek` and must not change or hand out what they read.
 * At most `capacity` records are held, least recently used dropped first.
 */
import { constantTimeEqual } from './bytes.js'
import { MAX_CACHED_SESSION_RECORDS } from './constants.js'
import { CryptoInputError } from './errors.js'
import type { SessionRecord } from './session-record.js'

interface Entry {
  readonly record: SessionRecord
  readonly bytes: Uint8Array
}

export interface SessionRecordCacheInit {
  /** Most records held; default MAX_CACHED_SESSION_RECORDS. 0 disables the cache. */
  readonly capacity?: number
}

export class SessionRecordCache {
  readonly #entries = new Map<string, Entry>()
  readonly #capacity: number

  constructor(init: SessionRecordCacheInit = {}) {
    const capacity = init.capacity ?? MAX_CACHED_SESSION_RECORDS
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new CryptoInputError('session record cache capacity must be a non-negative integer')
    }
    this.#capacity = capacity
  }

  /**
   * The record stored as exactly `stored`, removed from the cache (the caller owns it until it `put`s
   * it back), or undefined: then the caller decodes `stored` itself.
   */
  take(key: string, stored: Uint8Array | undefined): SessionRecord | undefined {
    const entry = this.#match(key, stored)
    if (entry !== undefined) {
      this.#entries.delete(key)
    }
    return entry?.record
  }

  /** Like `take`, but leaves the record in place: for reading only. */
  peek(key: string, stored: Uint8Array | undefined): SessionRecord | undefined {
    return this.#match(key, stored)?.record
  }

  /** `record` was just stored as `bytes`; the cache keeps its own copy of the bytes. */
  put(key: string, record: SessionRecord, bytes: Uint8Array): void {
    this.#entries.delete(key)
    if (this.#capacity === 0) {
      return
    }
    this.#entries.set(key, { record, bytes: bytes.slice() })
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) {
        this.#entries.delete(oldest.value)
      }
    }
  }

  delete(key: string): void {
    this.#entries.delete(key)
  }

  /** Forgets every record (the store was replaced, or the device is being locked). */
  clear(): void {
    this.#entries.clear()
  }

  get size(): number {
    return this.#entries.size
  }

  #match(key: string, stored: Uint8Array | undefined): Entry | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) {
      return undefined
    }
    if (stored === undefined || !constantTimeEqual(entry.bytes, stored)) {
      // the store holds something else now: this entry can never match again
      this.#entries.delete(key)
      return undefined
    }
    return entry
  }

  toString(): string {
    return `SessionRecordCache [${this.#entries.size} records, redacted]`
  }

  toJSON(): string {
    return this.toString()
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}
