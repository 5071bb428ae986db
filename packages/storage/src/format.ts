/**
 * The format-version key every store keeps in its keyspace: written when the store is created,
 * checked at every open, so that a store written by newer code is refused rather than misread.
 */
import { ByteReader, ByteWriter } from './binary.js'
import { type Database, isCorruption, type Keyspace, openDatabase } from './database.js'
import { StorageReadError, StorageWriteError, StoreCorruptError, StoreVersionError } from './errors.js'

/** The local key of the format version in every store's keyspace ('v'). */
export const FORMAT_TAG = Uint8Array.of(0x76)

export function encodeFormatVersion(version: number): Uint8Array {
  return new ByteWriter(4).u32(version).finish()
}

export function decodeFormatVersion(bytes: Uint8Array): number {
  const r = new ByteReader(bytes, 'format version')
  const version = r.u32()
  r.end()
  return version
}

/** A read at open: corruption → StoreCorruptError, anything else → StorageReadError. */
export function openReadError(err: unknown, what: string): Error {
  return isCorruption(err)
    ? new StoreCorruptError(`corrupt data while opening the ${what}`, { cause: err })
    : new StorageReadError(`cannot read the ${what} header`, { cause: err })
}

/**
 * Opens the database if needed, then checks the store's format version, writing it (durably) when the
 * store is new.
 */
export async function checkFormatVersion(
  db: Database,
  ks: Keyspace,
  version: number,
  what: string,
): Promise<void> {
  await openDatabase(db)
  let stored: Uint8Array | undefined
  try {
    stored = await ks.get(ks.key(FORMAT_TAG))
  } catch (err) {
    throw openReadError(err, what)
  }
  if (stored === undefined) {
    try {
      await ks.write([{ type: 'put', key: ks.key(FORMAT_TAG), value: encodeFormatVersion(version) }])
    } catch (err) {
      throw new StorageWriteError(`cannot initialise the ${what}`, { cause: err })
    }
    return
  }
  const found = decodeFormatVersion(stored)
  if (found !== version) {
    throw new StoreVersionError(
      `the ${what} has format version ${found}; this code reads version ${version}`,
      found,
    )
  }
}
