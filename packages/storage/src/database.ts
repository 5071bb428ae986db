/**
 * The database handle the stores share: any abstract-level database (classic-level on a relay,
 * memory-level in tests, browser-level in browsers). Owns opening it with typed errors (a locked
 * directory, corrupt files), the binary sublevels the stores write into, and the durable batch.
 * It knows nothing about mailboxes or keys.
 */
import type { AbstractBatchOperation, AbstractLevel, AbstractSublevel } from 'abstract-level'
import { type StorageError, StoreCorruptError, StoreLockedError, StoreOpenError } from './errors.js'

/** Any abstract-level database, whatever its default encodings (the stores choose their own). */
// biome-ignore lint/suspicious/noExplicitAny: abstract-level's type parameters are invariant in practice; the stores only use binary sublevels of it.
export type Database = AbstractLevel<any, any, any>

/** A sublevel with binary keys and values. */
export type BinaryLevel = AbstractSublevel<Database, unknown, Uint8Array, Uint8Array>

/** One operation of an atomic batch on a binary sublevel. */
export type BinaryOperation = AbstractBatchOperation<BinaryLevel, Uint8Array, Uint8Array>

export function binarySublevel(db: Database, name: string): BinaryLevel {
  return db.sublevel<Uint8Array, Uint8Array>(name, { keyEncoding: 'view', valueEncoding: 'view' })
}

/**
 * Writes the operations as one atomic batch that is durable (fsync'd) when the promise resolves.
 * `sync` is understood by classic-level (and ignored by stores without a disk).
 */
export async function durableBatch(level: BinaryLevel, operations: BinaryOperation[]): Promise<void> {
  // `sync` is not in abstract-level's option type; the key encoding (the sublevel's own) makes it fit
  await level.batch(operations, { keyEncoding: 'view', sync: true } as { keyEncoding: 'view' })
}

/** The `code` of a level error, or of its cause (open errors wrap the real one). */
function levelCodes(err: unknown): string[] {
  const codes: string[] = []
  let current: unknown = err
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') {
      codes.push(code)
    }
    current = (current as { cause?: unknown }).cause
  }
  return codes
}

function locationOf(db: Database): string | undefined {
  const location = (db as { location?: unknown }).location
  return typeof location === 'string' ? location : undefined
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

export function translateOpenError(err: unknown, location: string | undefined): StorageError {
  const where = location ?? 'the database'
  const codes = levelCodes(err)
  if (codes.includes('LEVEL_LOCKED')) {
    return new StoreLockedError(
      `another process is using ${where}: stop it, or choose another data directory`,
      location,
      { cause: err },
    )
  }
  if (codes.includes('LEVEL_CORRUPTION')) {
    return new StoreCorruptError(`the database files in ${where} are corrupt: restore them from a backup`, {
      cause: err,
    })
  }
  return new StoreOpenError(`cannot open ${where}`, { cause: err })
}

/** True when a read or write failed because the data on disk is corrupt. */
export function isCorruption(err: unknown): boolean {
  return levelCodes(err).includes('LEVEL_CORRUPTION')
}
