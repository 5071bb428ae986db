/**
 * Every error the storage package throws. Callers branch on `err.name` (or `instanceof`).
 * Refusals that are policy (a full mailbox, an oversized envelope) are returned as outcomes, not
 * thrown; these classes are for a store that cannot be used, a failed write, or a caller bug.
 */

/** Base class of every error this package throws. */
export class StorageError extends Error {
  override readonly name: string = 'StorageError'
}

/** Another process (or another handle in this process) holds the database directory's lock. */
export class StoreLockedError extends StorageError {
  override readonly name = 'StoreLockedError'
  constructor(
    message: string,
    readonly location: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

/** The database files, or a record in them, cannot be read: corrupt or truncated. */
export class StoreCorruptError extends StorageError {
  override readonly name = 'StoreCorruptError'
}

/** The database failed to open for another reason (missing directory, permissions, I/O). */
export class StoreOpenError extends StorageError {
  override readonly name = 'StoreOpenError'
}

/** The store was written by a newer format version than this code reads. Nothing was changed. */
export class StoreVersionError extends StorageError {
  override readonly name = 'StoreVersionError'
  constructor(
    message: string,
    readonly version: number,
  ) {
    super(message)
  }
}

/** The store is closed (or closing): no new request is accepted. */
export class StoreClosedError extends StorageError {
  override readonly name = 'StoreClosedError'
}

/**
 * A write (or the read that prepared it) failed: disk full, I/O error, a closed database. Nothing of
 * the failed batch was acknowledged; the store stays usable for the next request.
 */
export class StorageWriteError extends StorageError {
  override readonly name = 'StorageWriteError'
}

/** A read failed (I/O error, a closed database). Nothing was changed. */
export class StorageReadError extends StorageError {
  override readonly name = 'StorageReadError'
}

/** A store option is out of range. `key` names the offending option. */
export class InvalidConfigError extends StorageError {
  override readonly name = 'InvalidConfigError'
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message)
  }
}

/** The caller broke the interface contract (an ID of the wrong length, a non-numeric TTL). */
export class InvalidRequestError extends StorageError {
  override readonly name = 'InvalidRequestError'
}
