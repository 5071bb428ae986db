/**
 * The writes of units handed to the committer that are not durable yet, laid over committed data, as
 * the source new units of work read from. With it a device can prepare its next unit while the
 * previous one's batch is still being synced to disk (the reads of the next unit see the writes of
 * the one before, in commit order), instead of idling through every fsync.
 *
 * Owns: which not-yet-durable value of a key is the newest. Units are numbered in commit order; a
 * key's entry names the last unit that wrote it and is dropped once that unit's batch is durable (the
 * committed source answers from then on). When a batch fails, every write in flight is dropped at
 * once: the failed units wrote nothing, and the units queued behind them are refused by the committer
 * (they may have read what the failed ones wrote). Readers of committed data (queries for the UI)
 * never read this: nothing is shown before it is durable.
 */

import { byteKey, copyBytes } from '../binary.js'
import type { BinaryOperation } from '../database.js'
import { mergeEntries, type Pending } from './overlay.js'
import type { Entry, KeyRange, Source } from './source.js'

interface Written extends Pending {
  /** The number of the unit that wrote it last. */
  readonly seq: number
}

export class InFlight implements Source {
  readonly #base: Source
  readonly #written = new Map<string, Written>()

  constructor(base: Source) {
    this.#base = base
  }

  /** Unit `seq` (numbers grow in commit order) was handed to the committer with `ops`. */
  add(seq: number, ops: readonly BinaryOperation[]): void {
    for (const op of ops) {
      this.#written.set(byteKey(op.key), {
        key: op.key,
        value: op.type === 'put' ? op.value : undefined,
        seq,
      })
    }
  }

  /** The batch of `ops` is durable, and holds every unit up to `seq`. */
  landed(seq: number, ops: readonly BinaryOperation[]): void {
    for (const op of ops) {
      const id = byteKey(op.key)
      const written = this.#written.get(id)
      if (written !== undefined && written.seq <= seq) {
        this.#written.delete(id)
      }
    }
  }

  /** A batch failed: nothing in flight will be written. */
  clear(): void {
    this.#written.clear()
  }

  get size(): number {
    return this.#written.size
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const written = this.#written.get(byteKey(key))
    if (written !== undefined) {
      return written.value === undefined ? undefined : copyBytes(written.value)
    }
    return this.#base.get(key)
  }

  entries(range: KeyRange): AsyncGenerator<Entry> {
    if (this.#written.size === 0) {
      return this.#base.entries(range)
    }
    return mergeEntries(this.#base, this.#written.values(), range)
  }
}
