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
 */
import { type BinaryOperation, type Database, isCorruption } from '../database.js'
import { StorageWriteError, StoreCorruptError } from '../errors.js'
import { CLIENT_GROUP_COMMIT_BYTES, CLIENT_GROUP_COMMIT_UNITS } from './constants.js'
import type { ClientKeys } from './keys.js'
import type { ReadCache } from './read-cache.js'
import { encodeEvent, encodeNumber } from './records-log.js'
import type { EventDraft, StoredEvent } from './types.js'

interface Job {
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

export class Committer {
  readonly #db: Database
  readonly #keys: ClientKeys
  #last: number
  readonly #queue: Job[] = []
  #writing: Promise<void> | undefined

  /** `last`: the last cursor ever assigned (from the store's counter). */
  readonly #cache: ReadCache | undefined

  constructor(db: Database, keys: ClientKeys, last: number, cache?: ReadCache) {
    this.#db = db
    this.#keys = keys
    this.#last = last
    this.#cache = cache
  }

  /** Writes the unit; resolves with its events and their cursors once the batch is durable. */
  commit(ops: readonly BinaryOperation[], events: readonly EventDraft[]): Promise<StoredEvent[]> {
    if (ops.length === 0 && events.length === 0) {
      return Promise.resolve([])
    }
    return new Promise<StoredEvent[]>((resolve, reject) => {
      this.#queue.push({ ops, events, bytes: sizeOf(ops), resolve, reject })
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
    this.#cache?.writeStarted(ops)
    try {
      await this.#db.batch(ops, DURABLE)
    } catch (err) {
      this.#cache?.writeEnded(ops, false)
      const error = isCorruption(err)
        ? new StoreCorruptError('the client store is corrupt: the unit was not written', { cause: err })
        : new StorageWriteError('writing the unit failed: nothing of it was stored', { cause: err })
      for (const job of group) {
        job.reject(error)
      }
      return
    }
    this.#cache?.writeEnded(ops, true)
    group.forEach((job, i) => {
      job.resolve(results[i]!)
    })
  }
}
