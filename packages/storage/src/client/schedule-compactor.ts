/**
 * Keeps the outbox schedule index cheap to scan. The courier reads it from its start on every pass
 * (the due entries, then the next one), and every entry that leaves the schedule leaves a deletion
 * marker at that start, which LevelDB keeps, and every scan steps over, until a compaction reaches the
 * bottom level. After every SCHEDULE_COMPACT_AFTER_DELETES markers written to the range, the range is
 * compacted (`compactRange`, run by LevelDB in its own thread; one at a time). Databases without
 * `compactRange` (memory-level, browser-level) are left as they are.
 *
 * Owns: counting the markers and starting compactions. Must not know: what the schedule holds.
 */
import type { BinaryOperation, Database } from '../database.js'
import { SCHEDULE_COMPACT_AFTER_DELETES } from './constants.js'

interface Compactable {
  compactRange(start: Uint8Array, end: Uint8Array, options: { keyEncoding: 'view' }): Promise<void>
}

function compactable(db: Database): (Database & Compactable) | undefined {
  const supports = db.supports as { additionalMethods?: Record<string, boolean> } | undefined
  return supports?.additionalMethods?.compactRange === true ? (db as Database & Compactable) : undefined
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.byteLength < prefix.byteLength) {
    return false
  }
  for (let i = 0; i < prefix.byteLength; i++) {
    if (key[i] !== prefix[i]) {
      return false
    }
  }
  return true
}

export interface ScheduleCompactorStats {
  /** Compactions of the schedule range started. */
  readonly compactions: number
  /** Deletion markers written since the last one started. */
  readonly pendingDeletes: number
}

export class ScheduleCompactor {
  readonly #db: (Database & Compactable) | undefined
  readonly #start: Uint8Array
  readonly #end: Uint8Array
  readonly #after: number
  #deletes = 0
  #compactions = 0
  #running: Promise<void> | undefined

  /** `start` (inclusive) to `end` (exclusive): the full keys of the schedule index. */
  constructor(db: Database, start: Uint8Array, end: Uint8Array, after = SCHEDULE_COMPACT_AFTER_DELETES) {
    this.#db = compactable(db)
    this.#start = start
    this.#end = end
    this.#after = after
  }

  /** Told every batch written: counts its deletions in the range, and compacts once there are enough. */
  written(ops: readonly BinaryOperation[]): void {
    if (this.#db === undefined) {
      return
    }
    for (const op of ops) {
      if (op.type === 'del' && startsWith(op.key, this.#start)) {
        this.#deletes++
      }
    }
    if (this.#deletes < this.#after || this.#running !== undefined) {
      return
    }
    this.#deletes = 0
    this.#compactions++
    // a failed compaction (the database closing to reopen, say) only leaves the markers for the next
    this.#running = this.#db
      .compactRange(this.#start, this.#end, { keyEncoding: 'view' })
      .catch(() => {})
      .finally(() => {
        this.#running = undefined
      })
  }

  /** Resolves once no compaction runs (before the database closes). */
  async idle(): Promise<void> {
    await this.#running
  }

  stats(): ScheduleCompactorStats {
    return { compactions: this.#compactions, pendingDeletes: this.#deletes }
  }
}
