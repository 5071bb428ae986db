/**
 * What a level error means: the codes abstract-level and classic-level put on their errors (and on
 * their causes), read once here for the database handle and its recovery. Owns the translation of a
 * failed open into the package's typed errors.
 */
import { type StorageError, StoreCorruptError, StoreLockedError, StoreOpenError } from './errors.js'

/** The `code` of a level error, or of its cause (open errors wrap the real one). */
export function levelCodes(err: unknown): string[] {
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

/** The directory of a database that has one (classic-level), for messages. */
export function locationOf(db: object): string | undefined {
  const location = (db as { location?: unknown }).location
  return typeof location === 'string' ? location : undefined
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

/** True when a write failed in the file system (disk full, I/O error), not on corrupt data. */
export function isIoError(err: unknown): boolean {
  const codes = levelCodes(err)
  return codes.includes('LEVEL_IO_ERROR') && !codes.includes('LEVEL_CORRUPTION')
}

/** True when the operation found the database closed (or closing). */
export function isNotOpen(err: unknown): boolean {
  return levelCodes(err).includes('LEVEL_DATABASE_NOT_OPEN')
}
