/**
 * Recovery of a database from a failed durable write, without a restart. One recovery per database
 * object (every store on it shares it: the relay's three stores, the client store's committer). Owns
 * the database's write health, when it is closed and opened again, and the rate of those attempts.
 *
 * Why a reopen. LevelDB (classic-level) cannot be trusted to continue after a write failed in the file
 * system, measured on a small tmpfs:
 * - when a memtable flush or compaction fails (disk full), LevelDB keeps a "background error" and
 *   fails every later write, also once space is free again, until the database is opened again;
 * - when an append to the log fails (disk full), later writes succeed, but they are appended behind a
 *   torn record, and the next open drops them: 50 of 50 writes acknowledged after such a failure were
 *   gone after close and open.
 * Opening again starts a new log after replaying the old one (a torn tail is dropped whole), so no
 * write may be acknowledged between a failed write and the next open.
 *
 * Told the free space (`freeBytes`, as the relay does), the recovery does not close a database on a
 * disk with fewer than REOPEN_MIN_FREE_BYTES free: opening would fail there and leave it closed, so it
 * stays open and `tainted` (reads served, writes refused) until space is freed.
 *
 * States. `healthy`: writes go straight through. A write that fails with an I/O error (not corruption)
 * makes the database `tainted`, and the recovery closes and opens it at once, before that write's
 * caller hears of the failure, unless the last attempt was under `reopenIntervalMs` ago with no write
 * succeeding since (a disk that is still full is not made to replay the log over and over). Opened:
 * `reopened` (as healthy; the first write that succeeds makes it `healthy`). Opening failed (the disk
 * is still full, say): `down`, the database closed. While `tainted` or `down`, a write first tries
 * the reopen again (once the interval has passed), then is refused without reaching the database
 * unless it may go to the reopened one (below); reads work while `tainted` and fail with the stores'
 * typed errors while `down`, where they too try the reopen (the read that does waits for the open:
 * abstract-level defers operations while opening).
 *
 * A write prepared from what the database held before it was closed is not written after it is opened
 * again: a batch whose fsync failed may still be in the log, and the open replays it. Keyspace.write
 * refuses the write that found the database refusing even when its attempt reopened it; the mailbox
 * writer prepares its next batch after the reopen (mailbox/writer.ts); the client store's units made
 * before a close are stale (client/committer.ts), told through `onClose`, so a unit made while the
 * database was closed may be written once it is open again.
 *
 * The normal path costs two field reads per write: nothing is awaited or allocated unless one fails.
 */
import { DEFAULT_REOPEN_INTERVAL_MS, REOPEN_MIN_FREE_BYTES } from './constants.js'
import type { Database } from './database.js'
import { InvalidConfigError, StorageWriteError, StoreOpenError } from './errors.js'
import { isIoError, isNotOpen, locationOf, translateOpenError } from './level-errors.js'

export interface RecoveryInit {
  /** Monotonic clock in ms for the rate of reopen attempts. Default `performance.now`. */
  now?: () => number
  /**
   * Least time between two reopen attempts with no successful write between them. Default
   * DEFAULT_REOPEN_INTERVAL_MS (5 s). 0 tries at every failed write.
   */
  reopenIntervalMs?: number
  /**
   * The free bytes on the database's disk (undefined when unknown). When given, a reopen is not tried
   * while fewer than REOPEN_MIN_FREE_BYTES are free: the database stays open for reads (writes stay
   * refused) instead of being closed on a disk that is still full. Default: not known.
   */
  freeBytes?: () => Promise<number | undefined>
}

export type RecoveryState = 'healthy' | 'reopened' | 'tainted' | 'down'

export interface RecoveryStats {
  /** Writes reach the database while `healthy` or `reopened`; they are refused while `tainted` or `down`. */
  state: RecoveryState
  /** Reopens that succeeded, and attempts that did not (the database could not be opened). */
  reopens: number
  failedReopens: number
  /** Why the last attempt failed (a StoreOpenError, StoreLockedError or StoreCorruptError). */
  lastReopenError: Error | undefined
}

const RESOLVED: Promise<void> = Promise.resolve()
const monotonic = (): number => performance.now()

export class DatabaseRecovery {
  readonly #db: Database
  #now: () => number = monotonic
  #intervalMs = DEFAULT_REOPEN_INTERVAL_MS
  #freeBytes: (() => Promise<number | undefined>) | undefined
  #state: RecoveryState = 'healthy'
  /** When the last reopen was attempted (by `#now`). */
  #lastAttemptAt = Number.NEGATIVE_INFINITY
  #reopening: Promise<void> | undefined
  /** True while this recovery closes or opens the database (its events are not the owner's). */
  #ours = false
  /** The owner is closing the database: never open it again. */
  #closed = false
  /** The failed write that tainted the database, as the cause of the refusals that follow. */
  #failure: unknown
  #reopens = 0
  #failedReopens = 0
  #lastReopenError: Error | undefined
  readonly #listeners = new Set<() => void>()

  constructor(db: Database, init?: RecoveryInit) {
    this.#db = db
    if (init !== undefined) {
      this.configure(init)
    }
    // the owner opened the database again (a new log): whatever a failed write left is gone
    db.on('open', () => {
      if (!this.#ours) {
        this.#reset()
      }
    })
  }

  /** Replaces the settings (an option left out takes its default). */
  configure(init: RecoveryInit): void {
    const interval = init.reopenIntervalMs ?? DEFAULT_REOPEN_INTERVAL_MS
    if (!(interval >= 0) || !Number.isFinite(interval)) {
      throw new InvalidConfigError(
        'reopenIntervalMs must be a finite number of ms, 0 or more',
        'reopenIntervalMs',
      )
    }
    this.#intervalMs = interval
    this.#now = init.now ?? monotonic
    this.#freeBytes = init.freeBytes
  }

  get state(): RecoveryState {
    return this.#state
  }

  /** True while writes are refused (`tainted` or `down`). */
  get refusing(): boolean {
    return this.#state === 'tainted' || this.#state === 'down'
  }

  /** Grows with every reopen that succeeded. */
  get reopens(): number {
    return this.#reopens
  }

  stats(): RecoveryStats {
    return {
      state: this.#state,
      reopens: this.#reopens,
      failedReopens: this.#failedReopens,
      lastReopenError: this.#lastReopenError,
    }
  }

  /**
   * Called with no arguments when the recovery is about to close the open database (to open it
   * again): what was read from it may be replaced by what the open replays.
   */
  onClose(listener: () => void): () => void {
    const wrapped = (): void => listener()
    this.#listeners.add(wrapped)
    return () => this.#listeners.delete(wrapped)
  }

  /**
   * A write is about to be made while `refusing`: tries the reopen (if the interval allows), then
   * throws StorageWriteError. The write was prepared before any reopen this starts, so it is refused
   * either way; the next one goes to the reopened database.
   */
  async refuse(): Promise<never> {
    await this.#attempt(false)
    throw this.refusal()
  }

  /** The error a write refused while `refusing` fails with. */
  refusal(): StorageWriteError {
    return new StorageWriteError(
      'the database is recovering from a failed write (it is closed and opened again): nothing was written',
      { cause: this.#failure },
    )
  }

  /** A durable write failed with `err`: taints the database on an I/O error and tries the reopen. Never throws. */
  writeFailed(err: unknown): Promise<void> {
    if (this.#closed) {
      return RESOLVED
    }
    if (this.#reopening !== undefined) {
      // in flight when the reopen began: the reopen under way settles it
      return this.#reopening
    }
    if (isIoError(err)) {
      const after = this.#state
      this.#state = 'tainted'
      this.#failure = err
      // a write succeeded since the last attempt: this is a new incident, not a disk still full
      return this.#attempt(after === 'healthy')
    }
    if (this.#state === 'down' && isNotOpen(err)) {
      return this.#attempt(false)
    }
    return RESOLVED
  }

  /** A durable write succeeded while the state was not `healthy`. */
  writeSucceeded(): void {
    if (this.#state === 'reopened') {
      this.#state = 'healthy'
    }
  }

  /** A read while `down`: tries the reopen if the interval allows (the read then waits for the open). */
  poke(): void {
    if (this.#state === 'down') {
      void this.#attempt(false)
    }
  }

  /**
   * Before preparing a write from the database after a failure: tries the reopen when writes are
   * refused and the interval allows, and waits for one under way. Never throws.
   */
  ready(): Promise<void> {
    return this.refusing || this.#reopening !== undefined ? this.#attempt(false) : RESOLVED
  }

  /** The owner is closing the database: no reopen starts from now on; waits for one under way. */
  async close(): Promise<void> {
    this.#closed = true
    await this.#reopening
  }

  /** Starts a reopen unless one is under way, the owner closed, or (unless `immediate`) too soon. */
  #attempt(immediate: boolean): Promise<void> {
    if (this.#reopening !== undefined) {
      return this.#reopening
    }
    if (this.#closed) {
      return RESOLVED
    }
    const at = this.#now()
    if (!immediate && at - this.#lastAttemptAt < this.#intervalMs) {
      return RESOLVED
    }
    this.#lastAttemptAt = at
    this.#reopening = this.#reopen().finally(() => {
      this.#reopening = undefined
    })
    return this.#reopening
  }

  async #reopen(): Promise<void> {
    const db = this.#db
    if (db.status === 'open' && (await this.#diskStillFull())) {
      // opening would fail and leave the database closed: it stays open for reads, writes refused
      this.#failedReopens++
      this.#lastReopenError = new StoreOpenError(
        `not reopened: fewer than ${REOPEN_MIN_FREE_BYTES} bytes free on the database's disk`,
      )
      return
    }
    this.#ours = true
    try {
      // writes arriving meanwhile are refused, not queued behind the close
      this.#state = 'down'
      if (db.status !== 'closed') {
        for (const listener of this.#listeners) {
          listener()
        }
        try {
          await db.close()
        } catch (err) {
          // still open (abstract-level reverts a failed close): the failure stands
          this.#state = 'tainted'
          this.#failedReopens++
          this.#lastReopenError = err instanceof Error ? err : new Error('closing the database failed')
          return
        }
      }
      if (this.#closed) {
        return
      }
      try {
        await db.open()
      } catch (err) {
        this.#state = 'down'
        this.#failedReopens++
        this.#lastReopenError = translateOpenError(err, locationOf(db))
        return
      }
      this.#state = 'reopened'
      this.#reopens++
    } finally {
      this.#ours = false
    }
  }

  /** True when the free space is known and below REOPEN_MIN_FREE_BYTES. */
  async #diskStillFull(): Promise<boolean> {
    if (this.#freeBytes === undefined) {
      return false
    }
    const free = await this.#freeBytes().catch(() => undefined)
    return free !== undefined && free < REOPEN_MIN_FREE_BYTES
  }

  #reset(): void {
    this.#state = 'healthy'
    this.#closed = false
    this.#failure = undefined
  }

  /** Picks the recovery up again for a store opened on a database its owner closed and opened. */
  revive(): void {
    if (this.#closed && this.#db.status === 'open') {
      this.#reset()
    }
  }
}

const recoveries = new WeakMap<Database, DatabaseRecovery>()

/**
 * The recovery of `db`, made on first use. `init` (the owner's settings) replaces the settings it had.
 */
export function recoveryOf(db: Database, init?: RecoveryInit): DatabaseRecovery {
  let recovery = recoveries.get(db)
  if (recovery === undefined) {
    recovery = new DatabaseRecovery(db, init)
    recoveries.set(db, recovery)
  } else {
    if (init !== undefined) {
      recovery.configure(init)
    }
    recovery.revive()
  }
  return recovery
}
