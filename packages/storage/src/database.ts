/**
 * The database handle the stores share: any abstract-level database (classic-level on a relay,
 * memory-level in tests, browser-level in browsers). Owns opening it with typed errors (a locked
 * directory, corrupt files), each store's keyspace (the binary key prefix of a sublevel of its own
 * name), binary reads, and the durable atomic batch. It knows nothing about mailboxes or keys.
 *
 * Every durable write goes through `Keyspace.write` or the client committer, both of which tell the
 * database's recovery (recovery.ts) when a write fails; reads try the reopen while it is closed.
 *
 * Reads and writes go to the root database with keys that already carry the sublevel prefix:
 * abstract-level's sublevel layer clones and re-encodes every operation (and its array batch does so
 * twice), which measured as the main per-deposit cost. The data is laid out exactly as the sublevel
 * `db.sublevel(name, { keyEncoding: 'view', valueEncoding: 'view' })` would see it.
 */
import type { AbstractLevel } from 'abstract-level'
import { concatBytes, copyBytes } from './binary.js'
import { locationOf, translateOpenError } from './level-errors.js'
import { type DatabaseRecovery, recoveryOf } from './recovery.js'

export { isCorruption, translateOpenError } from './level-errors.js'

/** Any abstract-level database, whatever its default encodings (the stores choose their own). */
// biome-ignore lint/suspicious/noExplicitAny: abstract-level's type parameters are invariant in practice; the stores only use binary keys and values.
export type Database = AbstractLevel<any, any, any>

/** One operation of an atomic batch, on a full key (prefix included). */
export type BinaryOperation =
  | { type: 'put'; key: Uint8Array; value: Uint8Array }
  | { type: 'del'; key: Uint8Array }

export interface KeyRange {
  gt?: Uint8Array
  gte?: Uint8Array
  lt?: Uint8Array
  lte?: Uint8Array
}

/**
 * Options passed with every operation. Frozen on purpose: abstract-level copies the options into each
 * operation with an object spread, and V8 copies a frozen object about ten times faster than a plain
 * one (measured 0.5-0.9 µs against 5-9 µs per chained-batch put), which was most of a deposit's cost.
 */
const VIEW = Object.freeze({ keyEncoding: 'view', valueEncoding: 'view' } as const)
const VIEW_KEYS = Object.freeze({ keyEncoding: 'view' } as const)
/** `sync` is understood by classic-level (fsync before resolving) and ignored by stores without a disk. */
const SYNC = Object.freeze({ sync: true }) as object
const EMPTY = new Uint8Array(0)

/** A store's slice of the database: keys under one sublevel prefix, binary in and out. */
export class Keyspace {
  readonly db: Database
  /** The sublevel prefix every key of this store starts with. */
  readonly prefix: Uint8Array
  /** The database's recovery from failed writes, shared with every other keyspace on it. */
  readonly recovery: DatabaseRecovery

  constructor(db: Database, name: string) {
    this.db = db
    this.recovery = recoveryOf(db)
    const sublevel = db.sublevel<Uint8Array, Uint8Array>(name, { keyEncoding: 'view', valueEncoding: 'view' })
    this.prefix = copyBytes(sublevel.prefixKey(EMPTY, 'view', false))
  }

  /** A full key: the prefix, then the parts, in one allocation. */
  key(...parts: readonly Uint8Array[]): Uint8Array {
    return concatBytes(this.prefix, ...parts)
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.recovery.poke()
    return this.db.get<Uint8Array, Uint8Array>(key, VIEW)
  }

  async getMany(keys: Uint8Array[]): Promise<Array<Uint8Array | undefined>> {
    this.recovery.poke()
    return keys.length === 0 ? [] : this.db.getMany<Uint8Array, Uint8Array>(keys, VIEW)
  }

  /** Whether each key exists, without reading the values (classic-level seeks; nothing is copied). */
  async hasMany(keys: Uint8Array[]): Promise<boolean[]> {
    this.recovery.poke()
    return keys.length === 0 ? [] : this.db.hasMany<Uint8Array>(keys, VIEW_KEYS)
  }

  /**
   * Entries in a range of full keys, in key order. `highWaterMarkBytes`: how many key and value bytes
   * one `nextv` reads ahead at most (classic-level; other stores ignore it).
   */
  iterator(range: KeyRange & { limit?: number; signal?: AbortSignal; highWaterMarkBytes?: number }) {
    this.recovery.poke()
    return this.db.iterator<Uint8Array, Uint8Array>({ ...range, ...VIEW })
  }

  /** Keys in a range of full keys, in key order. */
  keys(range: KeyRange & { limit?: number }) {
    this.recovery.poke()
    return this.db.keys<Uint8Array>({ ...range, ...VIEW_KEYS })
  }

  /**
   * Writes the operations as one atomic batch that is durable (fsync'd) when the promise resolves.
   * `sync` is understood by classic-level and ignored by stores without a disk. The chained batch
   * hands each operation to the database as it is added. A failed write is told to the database's
   * recovery (which may close and open the database before this rejects); while the recovery refuses
   * writes, this rejects with StorageWriteError without reaching the database.
   */
  async write(operations: readonly BinaryOperation[]): Promise<void> {
    if (operations.length === 0) {
      return
    }
    const recovery = this.recovery
    if (recovery.refusing) {
      await recovery.refuse()
    }
    const batch = this.db.batch()
    try {
      for (const op of operations) {
        if (op.type === 'put') {
          batch.put(op.key, op.value, VIEW)
        } else {
          batch.del(op.key, VIEW_KEYS)
        }
      }
    } catch (err) {
      await batch.close()
      throw err
    }
    try {
      // `write` closes the batch, also when it fails
      await batch.write(SYNC)
    } catch (err) {
      await recovery.writeFailed(err)
      throw err
    }
    if (recovery.state !== 'healthy') {
      recovery.writeSucceeded()
    }
  }
}

/**
 * Opens the database (a no-op if it is already open) and translates failures: a directory locked by
 * another process → StoreLockedError, corrupt files → StoreCorruptError, anything else →
 * StoreOpenError. Each message names the directory and what to do.
 */
export async function openDatabase(db: Database): Promise<void> {
  if (db.status === 'open') {
    return
  }
  try {
    await db.open()
  } catch (err) {
    throw translateOpenError(err, locationOf(db))
  }
}

/** The smallest key greater than every key that starts with `prefix` (for `lt` range bounds). */
export function upperBound(prefix: Uint8Array): Uint8Array {
  for (let i = prefix.byteLength - 1; i >= 0; i--) {
    if (prefix[i]! < 0xff) {
      const out = copyBytes(prefix, 0, i + 1)
      out[i]! += 1
      return out
    }
  }
  // all 0xff: nothing sorts after every extension of it but a longer all-0xff key
  return concatBytes(prefix, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))
}
