/**
 * The periodic expiry sweep: on the relay's own clock, every `intervalMs`, deletes payloads whose TTL
 * has passed and forgets old tombstones, in bounded atomic batches (the store's `sweepExpired`), a
 * bounded number of batches per tick so a mass expiry never starves deposits. The store decides what
 * is expired; this only schedules it.
 */
import type { MailboxStore } from '@ferry/storage'
import { MAX_SWEEP_BATCHES_PER_TICK } from './constants.js'
import type { RelayLogger } from './logger.js'

export interface SweepTotals {
  expired: number
  forgotten: number
  batches: number
}

export interface ExpirySweeperInit {
  store: Pick<MailboxStore, 'sweepExpired'>
  intervalMs: number
  log: RelayLogger
  /** Told after each tick that did work. */
  onSwept?: (totals: SweepTotals) => void
}

export class ExpirySweeper {
  readonly #init: ExpirySweeperInit
  #timer: ReturnType<typeof setTimeout> | undefined
  #running: Promise<SweepTotals> | undefined
  #stopped = true

  constructor(init: ExpirySweeperInit) {
    this.#init = init
  }

  start(): void {
    if (!this.#stopped) {
      return
    }
    this.#stopped = false
    this.#schedule()
  }

  /** Stops the timer and waits for a sweep in progress. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#running?.catch(() => {})
  }

  /** Runs one tick now (or joins the one running). */
  async sweepNow(): Promise<SweepTotals> {
    this.#running ??= this.#tick().finally(() => {
      this.#running = undefined
    })
    return this.#running
  }

  #schedule(): void {
    if (this.#stopped) {
      return
    }
    this.#timer = setTimeout(() => {
      void this.sweepNow()
        .catch((err: unknown) => {
          this.#init.log.warn('expiry sweep failed', { error: (err as Error)?.name ?? 'Error' })
        })
        .finally(() => this.#schedule())
    }, this.#init.intervalMs)
    this.#timer.unref?.()
  }

  async #tick(): Promise<SweepTotals> {
    const totals: SweepTotals = { expired: 0, forgotten: 0, batches: 0 }
    for (let i = 0; i < MAX_SWEEP_BATCHES_PER_TICK && !this.#stopped; i++) {
      const result = await this.#init.store.sweepExpired()
      totals.expired += result.expired
      totals.forgotten += result.forgotten
      totals.batches++
      if (!result.more) {
        break
      }
    }
    if (totals.expired > 0 || totals.forgotten > 0) {
      this.#init.log.info('expired envelopes deleted', {
        expired: totals.expired,
        forgotten: totals.forgotten,
      })
    }
    this.#init.onSwept?.(totals)
    return totals
  }
}
