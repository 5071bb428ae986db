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
 *
 * A job may leave work to the end of its batch (`atEnd`): it runs once, in the batch's unit, after the
 * last job and before the commit, for what several jobs ask for alike (one delivery receipt to a sender
 * for all of its messages in the batch). If such work fails, the batch runs again without it: each job
 * then does its part itself, and a failure is its own again.
 *
 * Pipelined: once a batch's unit is handed to the store, the next batch is prepared while the first
 * is still being synced (its unit reads the writes of the batches before it, see the store's
 * in-flight layer), up to STATE_PIPELINE_DEPTH batches. Batches still settle one after another, in
 * order, each only once durable. When a batch's write fails, the batches prepared behind it are
 * refused by the store (UnitStaleError: they may have read what was never written); their jobs run
 * again, first and in their order, once everything in flight has settled.
 */
import {
  type ClientStore,
  type ClientUnit,
  type CommitResult,
  type StoredEvent,
  UnitStaleError,
} from '@ferry/storage'
import { STATE_BATCH_MAX, STATE_PIPELINE_DEPTH } from './constants.js'

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
  readonly #depth: number
  #waiting: Waiting[] = []
  #draining: Promise<void> | undefined
  /** Wakes the drain loop waiting for a job or for a batch in flight to settle. */
  #wake: (() => void) | undefined
  /** Every batch handed to the store so far has settled when this settles; it never rejects. */
  #settled: Promise<void> = Promise.resolve()
  /** Batches handed to the store (and failed jobs waiting for them) not settled yet. */
  #inFlight = 0
  /** A write failed: run no new batch until everything in flight settled. */
  #failed = false
  /** The unit whose jobs run now, the work left to the end of its batch, and whether that is allowed. */
  #current: { unit: ClientUnit; finishers: Finisher[]; allowed: boolean } | undefined
  /** Jobs refused because a batch before theirs failed, in their order, to run again. */
  readonly #refused: Waiting[] = []
  /** Called with every committed job's events, in commit order, before the jobs' promises settle. */
  readonly #onCommitted: (events: readonly StoredEvent[]) => void

  constructor(
    store: ClientStore,
    onCommitted: (events: readonly StoredEvent[]) => void,
    maxBatch: number = STATE_BATCH_MAX,
    depth: number = STATE_PIPELINE_DEPTH,
  ) {
    this.#store = store
    this.#onCommitted = onCommitted
    this.#maxBatch = maxBatch
    this.#depth = depth
  }

  run<T>(job: StateJob<T>): Promise<StateJobResult<T>> {
    return new Promise<StateJobResult<T>>((resolve, reject) => {
      this.#waiting.push({ job, resolve: resolve as Waiting['resolve'], reject })
      this.#draining ??= this.#drain()
      this.#wakeUp()
    })
  }

  /**
   * Inside a job of this queue: runs `finish` in `unit` after the last job of the batch, before its
   * commit, once. Returns false when it will not (the unit is not this queue's, or work left to the end
   * of this batch failed before): then the job does the work itself, now.
   */
  atEnd(unit: ClientUnit, finish: Finisher): boolean {
    const current = this.#current
    if (current === undefined || current.unit !== unit || !current.allowed) {
      return false
    }
    current.finishers.push(finish)
    return true
  }

  /** Resolves when every job queued so far has settled. */
  async idle(): Promise<void> {
    while (this.#draining !== undefined) {
      await this.#draining
    }
  }

  /**
   * Runs batches until nothing waits and nothing is in flight. `#draining` is cleared in the same
   * synchronous step that sees that: a job queued by the continuation of one that just settled (which
   * runs before any `finally` callback would) must start a new drain, not find a finished one still
   * marked running.
   */
  async #drain(): Promise<void> {
    for (;;) {
      if (this.#failed) {
        // a write failed: let everything in flight settle, then run the refused jobs again, first
        await this.#settled
        this.#failed = false
        this.#waiting.unshift(...this.#refused.splice(0))
        continue
      }
      if (this.#waiting.length === 0 && this.#inFlight === 0) {
        this.#draining = undefined
        return
      }
      if (this.#waiting.length === 0 || this.#inFlight >= this.#depth) {
        await new Promise<void>((resolve) => {
          this.#wake = resolve
        })
        continue
      }
      await this.#runBatch(this.#waiting.splice(0, this.#maxBatch))
    }
  }

  #wakeUp(): void {
    const wake = this.#wake
    this.#wake = undefined
    wake?.()
  }

  /** Runs the batch's jobs in a unit and hands the unit to the store (or gives the jobs their errors). */
  async #runBatch(batch: Waiting[]): Promise<void> {
    let remaining = batch
    let finishing = true
    while (remaining.length > 0) {
      let unit: ClientUnit
      try {
        unit = this.#store.unit()
      } catch (err) {
        for (const waiting of remaining) {
          waiting.reject(err)
        }
        return
      }
      const current = { unit, finishers: [] as Finisher[], allowed: finishing }
      this.#current = current
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
      this.#current = undefined
      let finished = true
      if (failed < 0 && current.finishers.length > 0) {
        const before = unit.events.pending().length
        try {
          for (const finish of current.finishers) {
            await finish(unit)
          }
        } catch {
          finished = false
        }
        // events the finishing work appended go with the batch's last job
        eventCounts[eventCounts.length - 1]! += unit.events.pending().length - before
      }
      if (unit.stale) {
        // a batch before this one failed while these jobs read: what they found may never be written.
        // They are refused in turn, after the batches before them, so they run again in their order.
        unit.discard()
        const refused = remaining
        this.#after(Promise.resolve({ error: new UnitStaleError('an earlier batch failed') }), () =>
          this.#refuse(refused),
        )
        return
      }
      if (!finished) {
        // run the batch again with each job doing its own part, so a failure is the job's own
        unit.discard()
        finishing = false
        continue
      }
      if (failed >= 0) {
        unit.discard()
        const waiting = remaining[failed]!
        const read = unit
        // the failure is final only if what the job read becomes durable
        this.#after(Promise.resolve({ error: failure }), () => {
          if (read.stale) {
            this.#refuse([waiting])
          } else {
            waiting.reject(failure)
          }
        })
        remaining = remaining.filter((_, i) => i !== failed)
        continue
      }
      // the unit's writes are readable by the next unit from here on, durable or not
      const outcome = unit.commit().then(
        (result): Outcome => ({ result }),
        (error: unknown): Outcome => ({ error }),
      )
      const handed = remaining
      this.#after(outcome, (done) => {
        if ('result' in done) {
          const { events } = done.result
          try {
            this.#onCommitted(events)
          } catch (err) {
            for (const waiting of handed) {
              waiting.reject(err)
            }
            return
          }
          let offset = 0
          handed.forEach((waiting, i) => {
            const count = eventCounts[i]!
            waiting.resolve({ value: values[i], events: events.slice(offset, offset + count) })
            offset += count
          })
        } else if (done.error instanceof UnitStaleError) {
          this.#refuse(handed)
        } else {
          this.#failed = true
          for (const waiting of handed) {
            waiting.reject(done.error)
          }
        }
      })
      return
    }
  }

  /** Runs `settle` with the outcome of `work` once it is known and everything before it settled. */
  #after(work: Promise<Outcome>, settle: (done: Outcome) => void): void {
    this.#inFlight++
    const previous = this.#settled
    this.#settled = (async () => {
      const done = await work
      await previous
      this.#inFlight--
      settle(done)
      this.#wakeUp()
    })()
  }

  /** Jobs to run again once everything in flight settled, after those refused before them. */
  #refuse(batch: readonly Waiting[]): void {
    this.#refused.push(...batch)
    this.#failed = true
  }
}

/** Work left to the end of a batch (see `atEnd`). */
export type Finisher = (unit: ClientUnit) => Promise<void>

type Outcome = { readonly result: CommitResult } | { readonly error: unknown }
