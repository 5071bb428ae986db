/**
 * Where the client views read from and write to. A `Source` answers point reads and ordered range
 * reads; the database source reads committed data, and a unit's overlay (overlay.ts) reads through its
 * own pending writes first. Read failures become typed errors here, once for every view.
 */
import { copyBytes } from '../binary.js'
import type { Keyspace } from '../database.js'
import { isCorruption, upperBound } from '../database.js'
import { StorageReadError, StoreCorruptError } from '../errors.js'
import type { ReadCache } from './read-cache.js'

/** A range of full keys. Give exactly one lower bound (gt or gte) and one upper bound (lt or lte). */
export interface KeyRange {
  readonly gt?: Uint8Array
  readonly gte?: Uint8Array
  readonly lt?: Uint8Array
  readonly lte?: Uint8Array
  /** Newest (largest key) first. */
  readonly reverse?: boolean
}

export type Entry = readonly [key: Uint8Array, value: Uint8Array]

export interface Source {
  get(key: Uint8Array): Promise<Uint8Array | undefined>
  /** Entries in the range in key order (or reverse); stop iterating early to stop reading. */
  entries(range: KeyRange): AsyncGenerator<Entry>
}

export interface Sink {
  put(key: Uint8Array, value: Uint8Array): void
  del(key: Uint8Array): void
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!
    if (d !== 0) {
      return d
    }
  }
  return a.byteLength - b.byteLength
}

export function inRange(key: Uint8Array, range: KeyRange): boolean {
  return (
    (range.gt === undefined || compareBytes(key, range.gt) > 0) &&
    (range.gte === undefined || compareBytes(key, range.gte) >= 0) &&
    (range.lt === undefined || compareBytes(key, range.lt) < 0) &&
    (range.lte === undefined || compareBytes(key, range.lte) <= 0)
  )
}

/** The prefix when `range` is every key under a prefix the cache remembers whole, in key order. */
function wholeRange(range: KeyRange, cache: ReadCache): Uint8Array | undefined {
  const { gte, lt } = range
  if (gte === undefined || lt === undefined || range.reverse === true || !cache.remembersRange(gte)) {
    return undefined
  }
  const end = upperBound(gte)
  return compareBytes(end, lt) === 0 ? gte : undefined
}

export function readError(err: unknown): Error {
  if (err instanceof StoreCorruptError || err instanceof StorageReadError) {
    return err
  }
  return isCorruption(err)
    ? new StoreCorruptError('the client store holds corrupt data', { cause: err })
    : new StorageReadError('reading the client store failed', { cause: err })
}

/** Binary keys and values, for `getSync`. */
const SYNC_READ = Object.freeze({ keyEncoding: 'view', valueEncoding: 'view' }) as { keyEncoding: 'view' }

/** Committed data, from the database (through the read cache when one is given). */
export class DatabaseSource implements Source {
  readonly #ks: Keyspace
  readonly #assertOpen: () => void
  readonly #cache: ReadCache | undefined
  /**
   * Point reads use the database's synchronous read while it has one: a read of a small store is
   * answered from memory or the page cache in a few microseconds, and an asynchronous one costs more
   * than that on this thread alone, then waits in the thread pool behind the fsyncs of batches being
   * written. Measured with .artifacts/tput.mjs (two devices in one process): about 10% less CPU per
   * message.
   */
  #sync = true

  constructor(ks: Keyspace, assertOpen: () => void, cache?: ReadCache) {
    this.#ks = ks
    this.#assertOpen = assertOpen
    this.#cache = cache
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.#assertOpen()
    this.#ks.recovery.poke()
    const cached = this.#cache?.lookup(key)
    if (cached !== undefined) {
      return cached === null ? undefined : cached
    }
    const started = this.#cache?.readStarted()
    let value: Uint8Array | undefined
    try {
      // not open: being opened again after a failed write (an asynchronous read waits for it), or closed
      const open = this.#ks.db.status === 'open'
      value = this.#sync && open ? this.#getSync(key) : undefined
      if (!this.#sync || !open) {
        value = await this.#ks.get(key)
      }
    } catch (err) {
      this.#cache?.forget()
      throw readError(err)
    }
    if (started !== undefined) {
      this.#cache?.remember(started, key, value)
    }
    return value
  }

  /**
   * A read answered on the calling thread (classic-level's `getSync`: no thread-pool round trip, no
   * implicit snapshot taken apart). A database without it turns `#sync` off (the caller then reads
   * asynchronously).
   */
  #getSync(key: Uint8Array): Uint8Array | undefined {
    try {
      return this.#ks.db.getSync<Uint8Array, Uint8Array>(key, SYNC_READ)
    } catch (err) {
      if ((err as { code?: unknown }).code === 'LEVEL_NOT_SUPPORTED') {
        this.#sync = false
        return undefined
      }
      throw err
    }
  }

  async *entries(range: KeyRange): AsyncGenerator<Entry> {
    this.#assertOpen()
    const cache = this.#cache
    const whole = cache === undefined ? undefined : wholeRange(range, cache)
    if (cache === undefined || whole === undefined) {
      yield* this.#read(range)
      return
    }
    const cached = cache.lookupRange(whole)
    if (cached !== undefined) {
      yield* cached
      return
    }
    const started = cache.readStarted()
    const read: Entry[] = []
    let complete = false
    try {
      for await (const entry of this.#read(range)) {
        read.push([copyBytes(entry[0]), copyBytes(entry[1])])
        yield entry
      }
      complete = true
    } finally {
      // only a range read to its end is whole
      if (complete) {
        cache.rememberRange(started, whole, read)
      } else {
        cache.forget()
      }
    }
  }

  async *#read(range: KeyRange): AsyncGenerator<Entry> {
    this.#ks.recovery.poke()
    const { reverse, ...bounds } = range
    const iterator = this.#ks.db.iterator<Uint8Array, Uint8Array>({
      ...bounds,
      reverse: reverse === true,
      keyEncoding: 'view',
      valueEncoding: 'view',
    })
    try {
      while (true) {
        let entry: [Uint8Array, Uint8Array] | undefined
        try {
          entry = await iterator.next()
        } catch (err) {
          throw readError(err)
        }
        if (entry === undefined) {
          return
        }
        yield entry
      }
    } finally {
      await iterator.close().catch(() => {})
    }
  }
}
