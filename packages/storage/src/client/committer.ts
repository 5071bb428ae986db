/**
 * Writes committed units to the database: each unit's operations, its events under freshly assigned
 * cursors and the new last cursor, all in ONE atomic `db.batch(ops, { sync: true })`: everything or
 * nothing, on disk when the promise resolves.
 *
 * Units that commit while a write is in flight queue up and go together in the next batch (group
 * commit: one fsync serves many units). A failed batch fails every unit in it; none of them wrote
 * anything, and the store stays usable. Cursors are assigned when a batch is formed, in commit order,
 * and batches are written one at a time in that order, so events become visible in cursor order and
 * a reader resuming from a cursor never misses one. A cursor handed to a batch that then failed is
 * not handed out again while the store is open (cursors only grow, with gaps where a write failed);
 * after a restart, numbering resumes after the last cursor a committed batch wrote (the durable
 * counter, written in the same batch as the events). A failed batch's cursors were never stored
 * nor reported, so no reader can hold one.
 *
 * A unit's writes are readable by new units (through `inFlight`) from the moment it is handed over,
 * before they are durable, so the next unit can be prepared while a batch syncs. A unit therefore
 * names the `generation` it was made in: a failed batch starts a new generation, and every unit of an
 * older one (queued here, or still being prepared) is refused with UnitStaleError, writing nothing —
 * it may have read what the failed batch would have written.
 *
 * A failed batch is told to the database's recovery (../recovery.ts) before its units hear of it: on
 * an I/O error the recovery closes and opens the database, so the work they run again reads the
 * reopened database. The recovery closing the database starts a new generation too (`closing`): a
 * unit prepared before may have read what the open replaces. While the recovery refuses writes, a
 * batch is failed the same way without reaching the database, unless it was prepared while the
 * database was closed (its generation is still current) and the recovery opens it now.
 */
import { type BinaryOperation, type Database, isCorruption } from '../database.js'
import { StorageWriteError, StoreCorruptError } from '../errors.js'
import type { DatabaseRecovery } from '../recovery.js'
import { CLIENT_GROUP_COMMIT_BYTES, CLIENT_GROUP_COMMIT_UNITS } from './constants.js'
import { UnitStaleError } from './errors.js'
import type { InFlight } from './in-flight.js'
import type { ClientKeys } from './keys.js'
import type { ReadCache } from './read-cache.js'
import { encodeEvent, encodeNumber } from './records-log.js'
import type { EventDraft, StoredEvent } from './types.js'

interface Job {
  readonly seq: number
  readonly ops: readonly BinaryOperation[]
  readonly events: readonly EventDraft[]
  readonly bytes: number
  resolve(events: StoredEvent[]): void
  reject(err: Error): void
}

/** `sync` is understood by classic-level (fsync before resolving) and ignored by stores without a disk. */
const DURABLE = { keyEncoding: 'view', valueEncoding: 'view', sync: true } as { keyEncoding: 'view' }

function sizeOf(ops: readonly BinaryOperation[]): number {
  let n = 0
  for (const op of ops) {
    n += op.key.byteLength + (op.type === 'put' ? op.value.byteLength : 0)
  }
  return n
}

function stale(): UnitStaleError {
  return new UnitStaleError('an earlier unit this one may have read from failed: nothing was written')
}

export class Committer {
  readonly #db: Database
  readonly #recovery: DatabaseRecovery
  readonly #keys: ClientKeys
  #last: number
  readonly #queue: Job[] = []
  #writing: Promise<void> | undefined
  #seq = 0
  #generation = 0

  readonly #cache: ReadCache | undefined
  readonly #inFlight: InFlight | undefined

  /** `last`: the last cursor ever assigned (from the store's counter). */
  constructor(
    db: Database,
    recovery: DatabaseRecovery,
    keys: ClientKeys,
    last: number,
    cache?: ReadCache,
    inFlight?: InFlight,
  ) {
    this.#db = db
    this.#recovery = recovery
    this.#keys = keys
    this.#last = last
    this.#cache = cache
    this.#inFlight = inFlight
  }

  /** Grows whenever a batch fails; a unit made in an older generation can no longer commit. */
  get generation(): number {
    return this.#generation
  }

  /**
   * Writes the unit made in `generation`; resolves with its events and their cursors once the batch is
   * durable. Its writes are readable through `inFlight` from this call on.
   */
  commit(
    ops: readonly BinaryOperation[],
    events: readonly EventDraft[],
    generation: number = this.#generation,
  ): Promise<StoredEvent[]> {
    if (generation !== this.#generation) {
      return Promise.reject(stale())
    }
    if (ops.length === 0 && events.length === 0) {
      return Promise.resolve([])
    }
    return new Promise<StoredEvent[]>((resolve, reject) => {
      const seq = ++this.#seq
      this.#inFlight?.add(seq, ops)
      this.#queue.push({ seq, ops, events, bytes: sizeOf(ops), resolve, reject })
      this.#writing ??= this.#drain()
    })
  }

  /** Resolves once every commit made so far has been written or has failed. */
  async idle(): Promise<void> {
    while (this.#writing !== undefined) {
      await this.#writing
    }
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        let bytes = 0
        let count = 0
        while (
          count < this.#queue.length &&
          count < CLIENT_GROUP_COMMIT_UNITS &&
          (count === 0 || bytes + this.#queue[count]!.bytes <= CLIENT_GROUP_COMMIT_BYTES)
        ) {
          bytes += this.#queue[count]!.bytes
          count++
        }
        await this.#write(this.#queue.splice(0, count))
      }
    } finally {
      this.#writing = undefined
    }
  }

  async #write(group: readonly Job[]): Promise<void> {
    const ops: BinaryOperation[] = []
    const results: StoredEvent[][] = []
    let last = this.#last
    for (const job of group) {
      ops.push(...job.ops)
      const events: StoredEvent[] = []
      for (const draft of job.events) {
        const event = { cursor: ++last, type: draft.type, payload: draft.payload }
        ops.push({ type: 'put', key: this.#keys.event(event.cursor), value: encodeEvent(event) })
        events.push(event)
      }
      results.push(events)
    }
    if (last !== this.#last) {
      ops.push({
        type: 'put',
        key: this.#keys.eventCounter(),
        value: encodeNumber(last, 'the event counter'),
      })
    }
    // never handed out again, whatever happens to this batch
    this.#last = last
    const recovery = this.#recovery
    if (recovery.refusing) {
      const generation = this.#generation
      await recovery.ready()
      // refused unless the database was closed and is open now, with no close since this was prepared
      if (recovery.refusing || generation !== this.#generation) {
        this.#failed(group, recovery.refusal())
        return
      }
    }
    this.#cache?.writeStarted(ops)
    try {
      await this.#db.batch(ops, DURABLE)
    } catch (err) {
      this.#cache?.writeEnded(ops, false)
      // before the units hear of it: the work they run again reads the reopened database
      await recovery.writeFailed(err)
      this.#failed(group, err)
      return
    }
    if (recovery.state !== 'healthy') {
      recovery.writeSucceeded()
    }
    this.#cache?.writeEnded(ops, true)
    this.#inFlight?.landed(group[group.length - 1]!.seq, ops)
    group.forEach((job, i) => {
      job.resolve(results[i]!)
    })
  }

  /** The batch of `group` failed with `err`, or was refused: nothing of it was written. */
  #failed(group: readonly Job[], err: unknown): void {
    const error =
      err instanceof StorageWriteError
        ? err
        : isCorruption(err)
          ? new StoreCorruptError('the client store is corrupt: the unit was not written', { cause: err })
          : new StorageWriteError('writing the unit failed: nothing of it was stored', { cause: err })
    // what the queued units read may never be written: they go too, and new units start afresh
    const queued = this.#newGeneration()
    for (const job of group) {
      job.reject(error)
    }
    for (const job of queued) {
      job.reject(stale())
    }
  }

  /**
   * The database is being closed to be opened again (after a failed write, ../recovery.ts): units made
   * before may have read what the open replaces, so they are stale, as after a failed batch.
   */
  closing(): void {
    for (const job of this.#newGeneration()) {
      job.reject(stale())
    }
  }

  /** Starts a new generation; returns the queued jobs (of the old one), which the caller refuses. */
  #newGeneration(): Job[] {
    this.#generation++
    this.#inFlight?.clear()
    return this.#queue.splice(0)
  }
}
