/**
 * The format-version key every store keeps in its sublevel: written when the store is created,
 * checked at every open, so that a store written by newer code is refused rather than misread.
 */
import { ByteReader, ByteWriter } from './binary.js'
import { type BinaryLevel, type Database, durableBatch, isCorruption, openDatabase } from './database.js'
import { StorageReadError, StorageWriteError, StoreCorruptError, StoreVersionError } from './errors.js'

/** The key of the format version in every store's sublevel ('v'). */
export const FORMAT_KEY = Uint8Array.of(0x76)

export function encodeFormatVersion(version: number): Uint8Array {
  return new ByteWriter(4).u32(version).finish()
}

export function decodeFormatVersion(bytes: Uint8Array): number {
  const r = new ByteReader(bytes, 'format version')
  const version = r.u32()
  r.end()
  return version
}

/**
 * Opens the database if needed, then checks the store's format version, writing it (durably) when the
 * store is new.
 * Returns true when the store was created by this call.
 */
export async function checkFormatVersion(
  db: Database,
  level: BinaryLevel,
  version: number,
  what: string,
): Promise<boolean> {
  await openDatabase(db)
  let stored: Uint8Array | undefined
  try {
    stored = await level.get(FORMAT_KEY)
  } catch (err) {
    throw isCorruption(err)
      ? new StoreCorruptError(`corrupt data while opening the ${what}`, { cause: err })
      : new StorageReadError(`cannot read the ${what} header`, { cause: err })
  }
  if (stored === undefined) {
    try {
      await durableBatch(level, [{ type: 'put', key: FORMAT_KEY, value: encodeFormatVersion(version) }])
    } catch (err) {
      throw new StorageWriteError(`cannot initialise the ${what}`, { cause: err })
    }
    return true
  }
  const found = decodeFormatVersion(stored)
  if (found !== version) {
    throw new StoreVersionError(
      `the ${what} has format version ${found}; this code reads version ${version}`,
      found,
    )
  }
  return false
}
