/**
 * The mailbox store's writer: the queue of deposits, acks and sweeps, and group commit. One batch is
 * being written (`sync: true`) at a time; while it is, the next is read and applied on top of it, and
 * takes in every request that arrives until the write lands. Owns the state that changes with writes
 * (global counters, per-mailbox usage, write counters) and commits it only once a batch is durable.
 *
 * After a failed batch the next one is prepared afresh from the database, once the database's
 * recovery (../recovery.ts) has reopened it if it will: the global record is read again, and when a
 * batch of this writer failed before a reopen (an fsync that failed may leave it in the log, and the
 * reopen replays it) the usage counters are rebuilt from the queues, as at open.
 */
import { MAX_GROUP_COMMIT_BYTES, MAX_GROUP_COMMIT_REQUESTS } from '../constants.js'
import type { Keyspace } from '../database.js'
import { StorageWriteError, StoreCorruptError } from '../errors.js'
import { WriteSet } from '../write-set.js'
import type { MailboxKeys } from './keys.js'
import type { MailboxStats, SweepResult } from './options.js'
import { type DueEntry, loadGroup, loadSweep, rebuildUsage } from './prepare.js'
import { decodeGlobalState, type GlobalState, type Usage } from './records.js'
import {
  type MailboxPolicy,
  MailboxTransaction,
  type StoredDeposit,
  UsageOverlay,
  type ValidDeposit,
} from './transaction.js'
import type { DepositOutcome, MailboxId, RefusalReason } from './types.js'

type Pending<T> = { resolve: (value: T) => void; reject: (err: unknown) => void }

type DepositRequestEntry = {
  kind: 'deposit'
  deposit: ValidDeposit
  detach: () => void
} & Pending<DepositOutcome>
type AckRequestEntry = {
  kind: 'ack'
  mailbox: MailboxId
  ids: Uint8Array[]
  detach: () => void
} & Pending<number>
type SweepRequestEntry = { kind: 'sweep'; now: number; limit: number } & Pending<SweepResult>
type Request = DepositRequestEntry | AckRequestEntry | SweepRequestEntry

/** A group read and applied, waiting for (or under) its durable write. */
interface PreparedGroup {
  group: Array<DepositRequestEntry | AckRequestEntry>
  ws: WriteSet
  tx: MailboxTransaction
  results: Array<{ ok: true; value: DepositOutcome | number } | { ok: false; error: unknown }>
  /** Payload bytes of its deposits. */
  bytes: number
}

export interface MailboxWriterInit {
  ks: Keyspace
  keys: MailboxKeys
  policy: MailboxPolicy
  now: () => number
  global: GlobalState
  /** Usage of every mailbox holding something, keyed by `byteKey(mailbox)` (the writer keeps it). */
  usage: Map<string, Usage>
  /** Counters the writer adds to. */
  stats: MailboxStats
  /** Called with the deposits of a batch once it is durable. */
  onStored: (stored: readonly StoredDeposit[]) => void
}

export class MailboxWriter {
  readonly #ks: Keyspace
  readonly #keys: MailboxKeys
  readonly #policy: MailboxPolicy
  readonly #now: () => number
  readonly #stats: MailboxStats
  readonly #onStored: (stored: readonly StoredDeposit[]) => void
  readonly #queue: Request[] = []
  /** Resolved at the next enqueue (the writer waits on them while a batch is in flight). */
  readonly #wakers: Array<() => void> = []
  #usage: Map<string, Usage>
  #global: GlobalState
  #globalStale = false
  /** A batch of this writer failed in the database since the usage counters were last rebuilt. */
  #uncertain = false
  /** The recovery's reopen count when this writer last read the database afresh. */
  #seenReopens: number
  #writing: Promise<void> | undefined

  constructor(init: MailboxWriterInit) {
    this.#ks = init.ks
    this.#keys = init.keys
    this.#policy = init.policy
    this.#now = init.now
    this.#global = init.global
    this.#usage = init.usage
    this.#stats = init.stats
    this.#onStored = init.onStored
    this.#seenReopens = init.ks.recovery.reopens
  }

  /** Committed usage of a mailbox, by `byteKey(mailbox)`. */
  usageOf(id: string): Usage | undefined {
    return this.#usage.get(id)
  }

  /** Mailboxes holding something. */
  get mailboxes(): number {
    return this.#usage.size
  }

  deposit(deposit: ValidDeposit, signal: AbortSignal | undefined): Promise<DepositOutcome> {
    return new Promise<DepositOutcome>((resolve, reject) => {
      const entry: DepositRequestEntry = { kind: 'deposit', deposit, resolve, reject, detach: () => {} }
      entry.detach = this.#abortWhileQueued(entry, signal)
      this.#enqueue(entry)
    })
  }

  ack(mailbox: MailboxId, ids: Uint8Array[], signal: AbortSignal | undefined): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      const entry: AckRequestEntry = { kind: 'ack', mailbox, ids, resolve, reject, detach: () => {} }
      entry.detach = this.#abortWhileQueued(entry, signal)
      this.#enqueue(entry)
    })
  }

  sweep(now: number, limit: number): Promise<SweepResult> {
    return new Promise<SweepResult>((resolve, reject) => {
      this.#enqueue({ kind: 'sweep', now, limit, resolve, reject })
    })
  }

  /** A refusal answered without a write (counted like the others). */
  refused(reason: RefusalReason): DepositOutcome {
    this.#stats.refusals[reason]++
    return { status: 'refused', reason }
  }

  /** Resolves once every queued and in-flight batch is written. */
  async idle(): Promise<void> {
    while (this.#writing !== undefined) {
      await this.#writing
    }
  }

  /** A request aborted while it still waits in the queue is dropped; once in a batch it completes. */
  #abortWhileQueued(entry: Request, signal: AbortSignal | undefined): () => void {
    if (signal === undefined) {
      return () => {}
    }
    const onAbort = (): void => {
      const i = this.#queue.indexOf(entry)
      if (i >= 0) {
        this.#queue.splice(i, 1)
        entry.reject(signal.reason)
      }
    }
    signal.addEventListener('abort', onAbort, { once: true })
    return () => signal.removeEventListener('abort', onAbort)
  }

  #enqueue(entry: Request): void {
    this.#queue.push(entry)
    if (this.#writing === undefined) {
      this.#writing = this.#drain()
    }
    for (const wake of this.#wakers.splice(0)) {
      wake()
    }
  }

  /**
   * Writes batch after batch until the queue is empty. One batch is being written at a time; while it
   * is, the next one is read and applied on top of it (its overlay, counters and sequence), absorbing
   * requests as they arrive until the write lands, so that a batch's reads and bookkeeping overlap the
   * fsync of the one before. If the batch being written fails, the one prepared on top of it is dropped
   * and its requests go back to the head of the queue. Sweeps run alone, with nothing in flight.
   */
  async #drain(): Promise<void> {
    // let requests issued in the same tick join the first batch
    await Promise.resolve()
    let inFlight: { batch: PreparedGroup; written: Promise<boolean> } | undefined
    try {
      for (;;) {
        if (inFlight === undefined) {
          if (this.#queue.length === 0) {
            break
          }
          if (this.#queue[0]!.kind === 'sweep') {
            await this.#commitSweep(this.#queue.shift() as SweepRequestEntry)
            continue
          }
          const first = await this.#prepareGroup(this.#takeGroup(0, 0), undefined, undefined)
          if (first !== undefined) {
            inFlight = { batch: first, written: this.#writeGroup(first) }
          }
          continue
        }
        const parent = inFlight.batch
        let landed: boolean | undefined
        const written = inFlight.written.then((ok) => {
          landed = ok
        })
        let next: PreparedGroup | undefined
        // until the batch lands, take in what is queued and wait for more; not while the database is
        // being recovered from a failed write (the batch in flight failed: what comes next is
        // prepared after the reopen). Once it has landed the next batch is written at once: taking in
        // requests until the queue is empty would hold it back for as long as they keep arriving
        // faster than one preparation takes (up to MAX_GROUP_COMMIT_REQUESTS of them)
        for (;;) {
          if (landed !== undefined) {
            break
          }
          const taken = next?.group.length ?? 0
          if (
            taken < MAX_GROUP_COMMIT_REQUESTS &&
            this.#queue.length > 0 &&
            this.#queue[0]!.kind !== 'sweep' &&
            !this.#ks.recovery.refusing
          ) {
            next = await this.#prepareGroup(this.#takeGroup(taken, next?.bytes ?? 0), parent, next)
            continue
          }
          await Promise.race([written, new Promise<void>((wake) => this.#wakers.push(wake))])
        }
        if (!landed) {
          // prepared on top of a batch that did not land: prepare it again from the database
          if (next !== undefined) {
            this.#queue.unshift(...next.group)
          }
          inFlight = undefined
          continue
        }
        inFlight = next === undefined ? undefined : { batch: next, written: this.#writeGroup(next) }
      }
    } finally {
      this.#writing = undefined
    }
  }

  /**
   * Queued deposits and acks (up to the first sweep) to add to a group that already holds `taken`
   * requests and `bytes` payload bytes, within the group limits. At least one request.
   */
  #takeGroup(taken: number, bytes: number): Array<DepositRequestEntry | AckRequestEntry> {
    let count = 0
    while (count < this.#queue.length && taken + count < MAX_GROUP_COMMIT_REQUESTS) {
      const next = this.#queue[count]!
      if (next.kind === 'sweep') {
        break
      }
      const size = next.kind === 'deposit' ? next.deposit.payload.byteLength : 0
      if (taken + count > 0 && bytes + size > MAX_GROUP_COMMIT_BYTES) {
        break
      }
      bytes += size
      count++
    }
    const group = this.#queue.splice(0, count) as Array<DepositRequestEntry | AckRequestEntry>
    for (const entry of group) {
      entry.detach()
    }
    return group
  }

  /**
   * Re-reads the global state after a failed batch (which may or may not have reached the disk) or a
   * reopen, once the database's recovery reopened it if it will; rebuilds the usage counters when a
   * batch that failed may have come back with the reopen.
   */
  async #refreshGlobal(): Promise<void> {
    const recovery = this.#ks.recovery
    if (recovery.reopens !== this.#seenReopens) {
      this.#globalStale = true
    }
    if (!this.#globalStale) {
      return
    }
    await recovery.ready()
    const reopens = recovery.reopens
    const bytes = await this.#ks.get(this.#keys.global())
    if (bytes === undefined) {
      throw new StoreCorruptError('the mailbox store lost its global state record')
    }
    const global = decodeGlobalState(bytes)
    if (this.#uncertain && reopens !== this.#seenReopens) {
      this.#usage = await rebuildUsage(this.#ks, this.#keys)
      this.#uncertain = false
    }
    this.#seenReopens = reopens
    this.#global = global
    this.#stats.storedEnvelopes = global.envelopes
    this.#stats.storedBytes = global.bytes
    this.#stats.mailboxes = this.#usage.size
    this.#globalStale = false
  }

  #transaction(ws: WriteSet, now: number, parent?: PreparedGroup): MailboxTransaction {
    return new MailboxTransaction({
      ws,
      keys: this.#keys,
      policy: this.#policy,
      now,
      global: parent?.tx.global ?? this.#global,
      usage: new UsageOverlay(parent?.tx.usage ?? this.#usage),
    })
  }

  /**
   * Reads what the requests need and applies them, on top of `parent` (the batch being written) when
   * there is one, appending to `into` when given. When the reads fail, these requests are answered
   * with the failure and `into` is returned unchanged.
   */
  async #prepareGroup(
    entries: Array<DepositRequestEntry | AckRequestEntry>,
    parent: PreparedGroup | undefined,
    into: PreparedGroup | undefined,
  ): Promise<PreparedGroup | undefined> {
    const ws = into?.ws ?? new WriteSet(this.#ks, parent?.ws)
    try {
      if (parent === undefined && into === undefined) {
        await this.#refreshGlobal()
      }
      await loadGroup(ws, this.#keys, entries)
    } catch (err) {
      if (parent !== undefined && this.#ks.recovery.refusing) {
        // the database is being closed under the batch in flight, which failed: prepared again after
        this.#queue.unshift(...entries)
        return into
      }
      this.#failGroup(entries, err)
      return into
    }
    const batch: PreparedGroup = into ?? {
      group: [],
      ws,
      tx: this.#transaction(ws, this.#now(), parent),
      results: [],
      bytes: 0,
    }
    const tx = batch.tx
    for (const entry of entries) {
      try {
        batch.results.push({
          ok: true,
          value: tx.atomically(() =>
            entry.kind === 'deposit' ? tx.deposit(entry.deposit) : tx.ack(entry.mailbox, entry.ids),
          ),
        })
      } catch (error) {
        batch.results.push({ ok: false, error })
      }
      batch.group.push(entry)
      batch.bytes += entry.kind === 'deposit' ? entry.deposit.payload.byteLength : 0
    }
    return batch
  }

  /** Writes a prepared group durably, then answers its requests. True when it landed. */
  async #writeGroup(batch: PreparedGroup): Promise<boolean> {
    try {
      batch.tx.finish()
      await this.#write(batch.ws, batch.tx)
    } catch (err) {
      this.#failGroup(batch.group, err)
      return false
    }
    batch.group.forEach((entry, i) => {
      const result = batch.results[i]!
      if (entry.kind === 'deposit') {
        if (!result.ok) {
          entry.resolve(this.refused('storage-error'))
          return
        }
        const outcome = result.value as DepositOutcome
        if (outcome.status === 'refused') {
          this.#stats.refusals[outcome.reason]++
        }
        entry.resolve(outcome)
      } else if (result.ok) {
        entry.resolve(result.value as number)
      } else {
        entry.reject(result.error)
      }
    })
    this.#onStored(batch.tx.stored)
    return true
  }

  async #commitSweep(sweep: SweepRequestEntry): Promise<void> {
    const ws = new WriteSet(this.#ks)
    let tx: MailboxTransaction
    let more: boolean
    try {
      await this.#refreshGlobal()
      let entries: DueEntry[]
      ;({ entries, more } = await loadSweep(ws, this.#ks, this.#keys, sweep.now, sweep.limit))
      tx = this.#transaction(ws, sweep.now)
      for (const { time, id, mailboxes } of entries) {
        tx.sweep(time, id, mailboxes)
      }
      tx.finish()
      await this.#write(ws, tx)
    } catch (err) {
      this.#failGroup([sweep], err)
      return
    }
    sweep.resolve({ expired: tx.counts.expiries, forgotten: tx.counts.forgotten, more })
  }

  /** Writes the batch durably, then (only then) commits the in-memory state it changed. */
  async #write(ws: WriteSet, tx: MailboxTransaction): Promise<void> {
    const operations = ws.operations()
    if (operations.length > 0) {
      try {
        await this.#ks.write(operations)
      } catch (err) {
        // a write refused by the recovery never reached the database
        if (!(err instanceof StorageWriteError)) {
          this.#uncertain = true
        }
        throw err
      }
      this.#stats.batches++
    }
    this.#global = tx.global
    for (const [id, usage] of tx.usage.changes()) {
      if (usage.envelopes <= 0) {
        this.#usage.delete(id)
      } else {
        this.#usage.set(id, usage)
      }
    }
    this.#stats.storedEnvelopes = tx.global.envelopes
    this.#stats.storedBytes = tx.global.bytes
    this.#stats.mailboxes = this.#usage.size
    this.#stats.deposits += tx.counts.stored
    this.#stats.duplicates += tx.counts.duplicates
    this.#stats.acks += tx.counts.acks
    this.#stats.expiries += tx.counts.expiries
  }

  /** A batch that could not be prepared or written: nothing of it is acknowledged. */
  #failGroup(group: Request[], err: unknown): void {
    this.#stats.writeErrors++
    // the batch may or may not have reached the disk: re-read the global counters before the next one
    this.#globalStale = true
    const error =
      err instanceof StoreCorruptError || err instanceof StorageWriteError
        ? err
        : new StorageWriteError('the durable write failed; nothing was acknowledged', { cause: err })
    for (const entry of group) {
      if (entry.kind === 'deposit') {
        entry.resolve(this.refused('storage-error'))
      } else {
        entry.reject(error)
      }
    }
  }
}
