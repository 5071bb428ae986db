/**
 * Errors only the client stores throw. Everything else they throw is one of the package's shared
 * classes (../errors.ts): InvalidRequestError for a malformed argument, StorageWriteError for a failed
 * commit, StorageReadError for a failed read, StoreCorruptError, StoreClosedError, StoreVersionError.
 */
import { StorageError } from '../errors.js'

/** A unit of work was used after `commit()` or `discard()`. A bug in the caller. */
export class UnitClosedError extends StorageError {
  override readonly name = 'UnitClosedError'
}

/**
 * A group envelope was refused because MAX_HELD_PER_SENDER envelopes of that sender device are held
 * already. Nothing was added; the caller drops the envelope (and acks it: it can never be read).
 */
export class HeldLimitError extends StorageError {
  override readonly name = 'HeldLimitError'
  constructor(
    message: string,
    readonly limit: number,
  ) {
    super(message)
  }
}

/**
 * A unit was refused, writing nothing, because a batch committed before it failed while the unit was
 * being prepared or waited to be written: it may have read what that batch would have written. The
 * unit's work can be run again in a fresh unit.
 */
export class UnitStaleError extends StorageError {
  override readonly name = 'UnitStaleError'
}
