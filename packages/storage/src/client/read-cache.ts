/**
 * A read cache in front of the client store's committed data. A device's work reads the same few
 * records again and again (its account, the sessions and identities of the devices it talks to, the
 * message and outbox entries a receipt updates): without a cache each is a database read, and reads
 * queue behind the fsync of the batch being written. One process owns the store (the database locks
 * its directory; browsers hold a Web Lock), and every write goes through the committer, so the cache
 * can know every change.
 *
 * Owns: when a cached value may be trusted. A write drops its keys before it starts and puts the
 * written values in only once the batch is durable; a read remembers what it read only if no write of
 * that key started or ended while it ran, and none is in flight (the database orders each read before
 * or after each write, and this keeps the cache right whichever order their completions are seen in).
 * Writes of other keys do not matter, so reads are remembered while batches are being written. Absent keys are remembered
 * too (a dedup check of a new ID is then answered from memory the second time). Values are copied in
 * and out, so callers may keep or change what they get. Bounded by CLIENT_READ_CACHE_ENTRIES and
 * CLIENT_READ_CACHE_BYTES, least recently used first out; a value larger than
 * CLIENT_READ_CACHE_MAX_VALUE_BYTES is never cached. A few small ranges named at construction (the
 * contacts, listed to resolve a name on every send) are remembered whole, by the same rules: any write
 * under the prefix drops the list, and a list read while one was in flight is not kept. When the
 * database is closed and opened again after a failed write (../recovery.ts), it may hold what it did
 * not before (a batch whose fsync failed, replayed from the log): the cache forgets everything.
 */
import { copyBytes } from '../binary.js'
import type { BinaryOperation } from '../database.js'
import {
  CLIENT_READ_CACHE_BYTES,
  CLIENT_READ_CACHE_ENTRIES,
  CLIENT_READ_CACHE_MAX_VALUE_BYTES,
  CLIENT_READ_CACHE_TRACKED_WRITES,
} from './constants.js'
import type { Entry } from './source.js'

/** A key as a string with one character per byte (keys are short: a few dozen bytes). */
function idOf(key: Uint8Array): string {
  return String.fromCharCode.apply(null, key as unknown as number[])
}

interface RangeEntry {
  readonly prefix: Uint8Array
  entries: Entry[] | undefined
  /** Batches in flight that write under the prefix. */
  writing: number
  /** The epoch a write under the prefix last started or ended. */
  touchedAt: number
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  for (let i = 0; i < prefix.byteLength; i++) {
    if (key[i] !== prefix[i]) {
      return false
    }
  }
  return true
}

export class ReadCache {
  /** Key to value, or null for a key known to be absent; insertion order is recency. */
  readonly #entries = new Map<string, Uint8Array | null>()
  #bytes = 0
  /** Grows whenever a write starts or ends. */
  #epoch = 0
  /** Key to the epoch at which a write of it last started or ended (while reads are outstanding). */
  readonly #touched = new Map<string, number>()
  /** Keys of the writes in flight, with how many of them write each. */
  readonly #writing = new Map<string, number>()
  /** Reads started and not yet remembered (or given up). */
  #reading = 0
  /** Reads that started before this epoch are never remembered (`#touched` was cleared). */
  #floor = 0
  readonly stats = { hits: 0, misses: 0 }
  /** Ranges remembered whole, by their prefix. */
  readonly #ranges = new Map<string, RangeEntry>()

  /** `ranges`: prefixes whose entries may be remembered whole (small, often listed: the contacts). */
  constructor(ranges: readonly Uint8Array[] = []) {
    for (const prefix of ranges) {
      this.#ranges.set(idOf(prefix), {
        prefix: copyBytes(prefix),
        entries: undefined,
        writing: 0,
        touchedAt: -1,
      })
    }
  }

  /** The cached value (a copy), null for a known-absent key, undefined when not cached. */
  lookup(key: Uint8Array): Uint8Array | null | undefined {
    const id = idOf(key)
    const value = this.#entries.get(id)
    if (value === undefined) {
      this.stats.misses++
      return undefined
    }
    this.stats.hits++
    this.#entries.delete(id)
    this.#entries.set(id, value)
    return value === null ? null : copyBytes(value)
  }

  /** Call before reading the database; pass the result to `remember` (or `forget` if the read failed). */
  readStarted(): number {
    this.#reading++
    // a write that started or ended before this read has an earlier epoch than it
    return ++this.#epoch
  }

  remember(started: number, key: Uint8Array, value: Uint8Array | undefined): void {
    const id = idOf(key)
    const overlapped =
      started < this.#floor || this.#writing.has(id) || (this.#touched.get(id) ?? -1) >= started
    this.forget()
    if (!overlapped) {
      this.#set(id, value === undefined ? null : copyBytes(value))
    }
  }

  /** A read that `readStarted` and will not be remembered (it failed). */
  forget(): void {
    this.#reading--
    if (this.#reading === 0) {
      this.#touched.clear()
    }
  }

  /** Call before a batch goes to the database. */
  writeStarted(ops: readonly BinaryOperation[]): void {
    this.#epoch++
    // each key once per batch, as writeEnded takes it off once (a batch joins units that may write
    // the same key: a count per operation would never return to zero)
    for (const id of new Set(ops.map((op) => idOf(op.key)))) {
      this.#drop(id)
      this.#writing.set(id, (this.#writing.get(id) ?? 0) + 1)
      this.#touch(id)
    }
    this.#rangesWritten(ops, 1)
  }

  /**
   * Call once the batch is durable (`ok`) or has failed. The batch's values are kept as they are: the
   * committer hands over buffers nobody changes afterwards (lookups hand out copies).
   */
  writeEnded(ops: readonly BinaryOperation[], ok: boolean): void {
    // later operations on a key win, as in the batch itself
    const last = new Map<string, Uint8Array | null>()
    for (const op of ops) {
      last.set(idOf(op.key), op.type === 'put' ? op.value : null)
    }
    this.#epoch++
    for (const [id, value] of last) {
      if (ok) {
        this.#set(id, value)
      }
      const count = this.#writing.get(id) ?? 0
      if (count <= 1) {
        this.#writing.delete(id)
      } else {
        this.#writing.set(id, count - 1)
      }
      this.#touch(id)
    }
    this.#rangesWritten(ops, -1)
  }

  /**
   * The entries under `prefix` (one of the ranges given at construction), remembered whole, as copies;
   * undefined when not remembered.
   */
  lookupRange(prefix: Uint8Array): Entry[] | undefined {
    const range = this.#ranges.get(idOf(prefix))
    if (range?.entries === undefined) {
      return undefined
    }
    this.stats.hits++
    return range.entries.map(([key, value]) => [copyBytes(key), copyBytes(value)] as const)
  }

  /** True when the entries under `prefix` may be remembered whole (`rememberRange`). */
  remembersRange(prefix: Uint8Array): boolean {
    return this.#ranges.has(idOf(prefix))
  }

  /**
   * Like `remember`, for every entry under `prefix`, read in one go after `readStarted`. The cache keeps
   * `entries` as they are: pass copies nobody else holds.
   */
  rememberRange(started: number, prefix: Uint8Array, entries: readonly Entry[]): void {
    this.forget()
    const range = this.#ranges.get(idOf(prefix))
    if (range === undefined || started < this.#floor || range.writing > 0 || range.touchedAt >= started) {
      return
    }
    let bytes = 0
    for (const [key, value] of entries) {
      bytes += key.byteLength + value.byteLength
    }
    if (bytes <= CLIENT_READ_CACHE_MAX_VALUE_BYTES) {
      range.entries = [...entries]
    }
  }

  /**
   * Forgets every value and range (the database is being closed to be opened again, see the module
   * comment). Reads under way are not remembered; writes under way still end as usual (a batch the
   * close waits for is in the log the open replays).
   */
  invalidate(): void {
    this.#entries.clear()
    this.#bytes = 0
    for (const range of this.#ranges.values()) {
      range.entries = undefined
    }
    this.#floor = this.#epoch + 1
  }

  /** Every write of a key under a remembered range drops it, and counts as touching it. */
  #rangesWritten(ops: readonly BinaryOperation[], change: 1 | -1): void {
    for (const range of this.#ranges.values()) {
      const n = range.prefix.byteLength
      if (ops.some((op) => op.key.byteLength >= n && startsWith(op.key, range.prefix))) {
        range.entries = undefined
        range.writing += change
        range.touchedAt = this.#epoch
      }
    }
  }

  #touch(id: string): void {
    if (this.#reading === 0) {
      return // no read can have started before this epoch and still be remembered
    }
    if (this.#touched.size >= CLIENT_READ_CACHE_TRACKED_WRITES) {
      this.#touched.clear()
      this.#floor = this.#epoch + 1
      return
    }
    this.#touched.set(id, this.#epoch)
  }

  #set(id: string, value: Uint8Array | null): void {
    this.#drop(id)
    const size = value === null ? 0 : value.byteLength
    if (size > CLIENT_READ_CACHE_MAX_VALUE_BYTES) {
      return
    }
    this.#entries.set(id, value)
    this.#bytes += size + id.length
    while (this.#entries.size > CLIENT_READ_CACHE_ENTRIES || this.#bytes > CLIENT_READ_CACHE_BYTES) {
      const oldest = this.#entries.keys().next()
      if (oldest.done === true) {
        break
      }
      this.#drop(oldest.value)
    }
  }

  #drop(id: string): void {
    const value = this.#entries.get(id)
    if (value !== undefined) {
      this.#entries.delete(id)
      this.#bytes -= (value === null ? 0 : value.byteLength) + id.length
    }
  }
}
