/**
 * Every change to a device's state (sessions, pre-keys, messages, outbox, event log) runs here, one job
 * at a time, against a unit of work; the jobs waiting together are committed in one durable batch
 * (group commit), and each job's promise settles only after that batch is on disk.
 *
 * Why one queue: a job reads what the jobs before it wrote (the ratchet, the one-time pre-keys), so
 * they must not interleave; and one fsync per batch instead of per job is what makes receiving and
 * sending fast. A job must not do network I/O: it only turns inputs into state, so that it can be run
 * again. If a job throws, its unit is discarded (whatever it half-wrote goes with it), that job fails,
 * and the others of the batch run again in a fresh unit.
 */
import type { ClientStore, ClientUnit, StoredEvent } from '@ferry/storage'
import { STATE_BATCH_MAX } from './constants.js'

export type StateJob<T> = (unit: ClientUnit) => Promise<T>

export interface StateJobResult<T> {
  readonly value: T
  /** The events this job appended, with the cursors they got at commit. */
  readonly events: readonly StoredEvent[]
}

interface Waiting {
  readonly job: StateJob<unknown>
  resolve(result: StateJobResult<unknown>): void
  reject(err: unknown): void
}

export class StateQueue {
  readonly #store: ClientStore
  readonly #maxBatch: number
  #waiting: Waiting[] = []
  #draining: Promise<void> | undefined
  /** Called with every committed job's events, in commit order, before the jobs' promises settle. */
  readonly #onCommitted: (events: readonly StoredEvent[]) => void

  constructor(
    store: ClientStore,
    onCommitted: (events: readonly StoredEvent[]) => void,
    maxBatch: number = STATE_BATCH_MAX,
  ) {
    this.#store = store
    this.#onCommitted = onCommitted
    this.#maxBatch = maxBatch
  }

  run<T>(job: StateJob<T>): Promise<StateJobResult<T>> {
    return new Promise<StateJobResult<T>>((resolve, reject) => {
      this.#waiting.push({ job, resolve: resolve as Waiting['resolve'], reject })
      this.#draining ??= this.#drain()
    })
  }

  /** Resolves when every job queued so far has settled. */
  async idle(): Promise<void> {
    while (this.#draining !== undefined) {
      await this.#draining
    }
  }

  /**
   * Runs batches until nothing waits. `#draining` is cleared in the same synchronous step that sees
   * the queue empty: a job queued by the continuation of one that just settled (which runs before any
   * `finally` callback would) must start a new drain, not find a finished one still marked running.
   */
  async #drain(): Promise<void> {
    for (;;) {
      if (this.#waiting.length === 0) {
        this.#draining = undefined
        return
      }
      const batch = this.#waiting.splice(0, this.#maxBatch)
      try {
        await this.#runBatch(batch)
      } catch (err) {
        for (const waiting of batch) {
          waiting.reject(err)
        }
      }
    }
  }

  async #runBatch(batch: Waiting[]): Promise<void> {
    let remaining = batch
    while (remaining.length > 0) {
      const unit = this.#store.unit()
      const values: unknown[] = []
      const eventCounts: number[] = []
      let failed = -1
      let failure: unknown
      for (let i = 0; i < remaining.length; i++) {
        const before = unit.events.pending().length
        try {
          values.push(await remaining[i]!.job(unit))
        } catch (err) {
          failed = i
          failure = err
          break
        }
        eventCounts.push(unit.events.pending().length - before)
      }
      if (failed >= 0) {
        unit.discard()
        remaining[failed]!.reject(failure)
        remaining = remaining.filter((_, i) => i !== failed)
        continue
      }
      let events: readonly StoredEvent[]
      try {
        events = (await unit.commit()).events
      } catch (err) {
        unit.discard()
        for (const waiting of remaining) {
          waiting.reject(err)
        }
        return
      }
      this.#onCommitted(events)
      let offset = 0
      remaining.forEach((waiting, i) => {
        const count = eventCounts[i]!
        waiting.resolve({ value: values[i], events: events.slice(offset, offset + count) })
        offset += count
      })
      remaining = []
    }
  }
}
