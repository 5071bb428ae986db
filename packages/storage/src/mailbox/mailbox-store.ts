/**
 * The relay's mailbox store: durable, group-committed store-and-forward of opaque ciphertext over any
 * abstract-level database. Owns the write queue (one batch in flight at a time; everything that
 * arrives meanwhile goes into the next `sync: true` batch), the per-mailbox usage counters (in memory,
 * rebuilt from the queues at open, committed only with a durable batch), reads (list, status, usage),
 * live push to subscribers after a batch is durable, and counters for metrics. What each request
 * changes is in transaction.ts, what it reads first in prepare.ts, the key layout in keys.ts and the
 * stored formats in records.ts.
 */
import { ID_BYTES, MAILBOX_ID_BYTES } from '@ferry/wire'
import { byteKey, copyBytes, plainBytes } from '../binary.js'
import {
  DEFAULT_SWEEP_LIMIT,
  MAILBOX_FORMAT_VERSION,
  MAX_CURSOR_BYTES,
  MAX_GROUP_COMMIT_BYTES,
  MAX_GROUP_COMMIT_REQUESTS,
  MAX_LIST_LIMIT,
  MAX_SWEEP_LIMIT,
} from '../constants.js'
import { type Database, Keyspace, openDatabase } from '../database.js'
import {
  InvalidRequestError,
  StorageWriteError,
  StoreClosedError,
  StoreCorruptError,
  StoreVersionError,
} from '../errors.js'
import { decodeFormatVersion, encodeFormatVersion, openReadError } from '../format.js'
import { WriteSet } from '../write-set.js'
import { cursorOfSeq, MailboxKeys } from './keys.js'
import {
  checkLength,
  type MailboxStats,
  type MailboxStoreInit,
  readError,
  resolvePolicy,
  type SweepOptions,
  type SweepResult,
  uniqueMailboxes,
} from './options.js'
import { type DueEntry, loadGroup, loadSweep, rebuildUsage } from './prepare.js'
import {
  decodeEnvelopeRecord,
  decodeGlobalState,
  decodeQueueEntry,
  encodeGlobalState,
  type GlobalState,
  type Usage,
} from './records.js'
import {
  type MailboxPolicy,
  MailboxTransaction,
  type StoredDeposit,
  UsageOverlay,
  type ValidDeposit,
} from './transaction.js'
import type {
  DepositOutcome,
  DepositRequest,
  EnvelopeId,
  EnvelopeStatus,
  ListOptions,
  MailboxBackend,
  MailboxId,
  RefusalReason,
  StoredEnvelope,
} from './types.js'

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

export class MailboxStore implements MailboxBackend {
  readonly #ks: Keyspace
  readonly #keys: MailboxKeys
  readonly #policy: MailboxPolicy
  readonly #now: () => number
  readonly #onListenerError: ((err: unknown) => void) | undefined
  readonly #listeners = new Map<string, Set<(envelope: StoredEnvelope) => void>>()
  readonly #queue: Request[] = []
  /** Resolved at the next enqueue (the writer waits on them while a batch is in flight). */
  readonly #wakers: Array<() => void> = []
  /** Committed usage of every mailbox holding something, keyed by `byteKey(mailbox)`. */
  readonly #usage: Map<string, Usage>
  #global: GlobalState
  #globalStale = false
  #writing: Promise<void> | undefined
  #closed = false
  readonly #stats: MailboxStats

  private constructor(
    ks: Keyspace,
    policy: MailboxPolicy,
    global: GlobalState,
    usage: Map<string, Usage>,
    init: MailboxStoreInit,
  ) {
    this.#ks = ks
    this.#keys = new MailboxKeys(ks)
    this.#policy = policy
    this.#global = global
    this.#usage = usage
    this.#now = init.now ?? Date.now
    this.#onListenerError = init.onListenerError
    this.#stats = {
      storedEnvelopes: global.envelopes,
      storedBytes: global.bytes,
      mailboxes: usage.size,
      deposits: 0,
      duplicates: 0,
      acks: 0,
      expiries: 0,
      refusals: {
        'too-large': 0,
        'mailbox-full': 0,
        'too-many-mailboxes': 0,
        'storage-error': 0,
        expired: 0,
      },
      batches: 0,
      writeErrors: 0,
    }
  }

  /**
   * Opens the database if needed (StoreLockedError, StoreCorruptError, StoreOpenError), checks the
   * store's format version (StoreVersionError for a newer one), loads its global state and rebuilds the
   * usage counters from the queues (one pass over the queue entries).
   */
  static async open(db: Database, init: MailboxStoreInit = {}): Promise<MailboxStore> {
    const policy = resolvePolicy(init)
    await openDatabase(db)
    const ks = new Keyspace(db, init.sublevel ?? 'relay-mailbox')
    const keys = new MailboxKeys(ks)
    let format: Uint8Array | undefined
    let globalBytes: Uint8Array | undefined
    try {
      ;[format, globalBytes] = await ks.getMany([keys.format(), keys.global()])
    } catch (err) {
      throw openReadError(err, 'mailbox store')
    }
    if (format === undefined) {
      if (globalBytes !== undefined) {
        throw new StoreCorruptError('the mailbox store has data but no format version')
      }
      const fresh: GlobalState = { nextSeq: 1, envelopes: 0, bytes: 0 }
      try {
        await ks.write([
          { type: 'put', key: keys.format(), value: encodeFormatVersion(MAILBOX_FORMAT_VERSION) },
          { type: 'put', key: keys.global(), value: encodeGlobalState(fresh) },
        ])
      } catch (err) {
        throw new StorageWriteError('cannot initialise the mailbox store', { cause: err })
      }
      return new MailboxStore(ks, policy, fresh, new Map(), init)
    }
    const version = decodeFormatVersion(format)
    if (version !== MAILBOX_FORMAT_VERSION) {
      throw new StoreVersionError(
        `the mailbox store has format version ${version}; this code reads version ${MAILBOX_FORMAT_VERSION}`,
        version,
      )
    }
    if (globalBytes === undefined) {
      throw new StoreCorruptError('the mailbox store has no global state record')
    }
    let usage: Map<string, Usage>
    try {
      usage = await rebuildUsage(ks, keys)
    } catch (err) {
      throw err instanceof StoreCorruptError ? err : openReadError(err, 'mailbox store')
    }
    return new MailboxStore(ks, policy, decodeGlobalState(globalBytes), usage, init)
  }

  // ---------------------------------------------------------------- writes

  async deposit(request: DepositRequest, options: { signal?: AbortSignal } = {}): Promise<DepositOutcome> {
    this.#assertOpen()
    options.signal?.throwIfAborted()
    checkLength(request.envelopeId, ID_BYTES, 'an envelope ID')
    if (!(request.payload instanceof Uint8Array)) {
      throw new InvalidRequestError('payload must be bytes')
    }
    if (typeof request.ttlMs !== 'number' || Number.isNaN(request.ttlMs)) {
      throw new InvalidRequestError('ttlMs must be a number')
    }
    if (request.mailboxes.length === 0) {
      throw new InvalidRequestError('a deposit must list at least one mailbox')
    }
    if (request.payload.byteLength > this.#policy.maxEnvelopeBytes) {
      return this.#refused('too-large')
    }
    if (request.mailboxes.length > this.#policy.maxDepositMailboxes) {
      // repeats are not worth a pass over an oversized list: the list as sent is too long
      return this.#refused('too-many-mailboxes')
    }
    const mailboxes = uniqueMailboxes(request.mailboxes)
    if (request.ttlMs <= 0) {
      return this.#refused('expired')
    }
    const deposit: ValidDeposit = {
      envelopeId: copyBytes(request.envelopeId),
      payload: copyBytes(request.payload),
      mailboxes,
      ttlMs: request.ttlMs,
    }
    return new Promise<DepositOutcome>((resolve, reject) => {
      const entry: DepositRequestEntry = { kind: 'deposit', deposit, resolve, reject, detach: () => {} }
      entry.detach = this.#abortWhileQueued(entry, options.signal)
      this.#enqueue(entry)
    })
  }

  async ack(
    mailbox: MailboxId,
    envelopeIds: EnvelopeId[],
    options: { signal?: AbortSignal } = {},
  ): Promise<number> {
    this.#assertOpen()
    options.signal?.throwIfAborted()
    checkLength(mailbox, MAILBOX_ID_BYTES, 'a mailbox ID')
    for (const id of envelopeIds) {
      checkLength(id, ID_BYTES, 'an envelope ID')
    }
    if (envelopeIds.length === 0) {
      return 0
    }
    const ids = envelopeIds.map((id) => copyBytes(id))
    return new Promise<number>((resolve, reject) => {
      const entry: AckRequestEntry = {
        kind: 'ack',
        mailbox: copyBytes(mailbox),
        ids,
        resolve,
        reject,
        detach: () => {},
      }
      entry.detach = this.#abortWhileQueued(entry, options.signal)
      this.#enqueue(entry)
    })
  }

  /**
   * Deletes the payloads whose TTL has passed (with every remaining mailbox copy) and forgets old
   * tombstones, at most `limit` index entries in one atomic batch, in line with deposits and acks.
   */
  async sweepExpired(options: SweepOptions = {}): Promise<SweepResult> {
    this.#assertOpen()
    const now = options.now ?? this.#now()
    const limit = Math.min(Math.floor(options.limit ?? DEFAULT_SWEEP_LIMIT), MAX_SWEEP_LIMIT)
    if (!(limit >= 1)) {
      throw new InvalidRequestError('sweep limit must be at least 1')
    }
    return new Promise<SweepResult>((resolve, reject) => {
      this.#enqueue({ kind: 'sweep', now, limit, resolve, reject })
    })
  }

  #refused(reason: RefusalReason): DepositOutcome {
    this.#stats.refusals[reason]++
    return { status: 'refused', reason }
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
        while (landed === undefined) {
          const taken = next?.group.length ?? 0
          if (
            taken < MAX_GROUP_COMMIT_REQUESTS &&
            this.#queue.length > 0 &&
            this.#queue[0]!.kind !== 'sweep'
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

  /** Re-reads the global state after a failed batch (which may or may not have reached the disk). */
  async #refreshGlobal(): Promise<void> {
    if (!this.#globalStale) {
      return
    }
    const bytes = await this.#ks.get(this.#keys.global())
    if (bytes === undefined) {
      throw new StoreCorruptError('the mailbox store lost its global state record')
    }
    this.#global = decodeGlobalState(bytes)
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
          entry.resolve(this.#refused('storage-error'))
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
    this.#notify(batch.tx.stored)
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
      await this.#ks.write(operations)
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
        entry.resolve(this.#refused('storage-error'))
      } else {
        entry.reject(error)
      }
    }
  }

  // ---------------------------------------------------------------- reads

  async list(mailbox: MailboxId, options: ListOptions): Promise<StoredEnvelope[]> {
    this.#assertOpen()
    options.signal?.throwIfAborted()
    checkLength(mailbox, MAILBOX_ID_BYTES, 'a mailbox ID')
    if (options.after !== undefined && options.after.byteLength > MAX_CURSOR_BYTES) {
      throw new InvalidRequestError('cursor is too long')
    }
    const limit = Math.min(Math.floor(options.limit), MAX_LIST_LIMIT)
    if (!(limit > 0)) {
      return []
    }
    const now = this.#now()
    const found: Array<Omit<StoredEnvelope, 'payload'> & { payload: Uint8Array | undefined }> = []
    try {
      const iterator = this.#ks.iterator({
        ...this.#keys.queueRange(mailbox, options.after),
        signal: options.signal,
      })
      try {
        while (found.length < limit) {
          const page = await iterator.nextv(limit - found.length)
          if (page.length === 0) {
            break
          }
          for (const [key, value] of page) {
            const { envelopeId, depositedAt, expiresAt, payload } = decodeQueueEntry(value)
            if (expiresAt > now) {
              found.push({
                cursor: this.#keys.cursorOfQueueKey(key),
                envelopeId,
                payload,
                depositedAt,
                expiresAt,
              })
            }
          }
        }
      } finally {
        await iterator.close()
      }
      // payloads shared by several mailboxes are records of their own
      const separate = found.filter((f) => f.payload === undefined)
      const payloads = await this.#ks.getMany(separate.map((f) => this.#keys.payload(f.envelopeId)))
      separate.forEach((f, i) => {
        f.payload = payloads[i]
      })
      const out: StoredEnvelope[] = []
      let bytes = 0
      for (const f of found) {
        // acked or swept between the two reads: no longer pending
        if (f.payload === undefined) {
          continue
        }
        if (
          options.maxBytes !== undefined &&
          out.length > 0 &&
          bytes + f.payload.byteLength > options.maxBytes
        ) {
          break
        }
        bytes += f.payload.byteLength
        out.push({ ...f, payload: plainBytes(f.payload) })
      }
      return out
    } catch (err) {
      throw readError(err, 'a mailbox')
    }
  }

  async status(envelopeId: EnvelopeId): Promise<EnvelopeStatus | undefined> {
    this.#assertOpen()
    checkLength(envelopeId, ID_BYTES, 'an envelope ID')
    let bytes: Uint8Array | undefined
    try {
      bytes = await this.#ks.get(this.#keys.envelope(envelopeId))
    } catch (err) {
      throw readError(err, 'an envelope status')
    }
    if (bytes === undefined) {
      return undefined
    }
    const record = decodeEnvelopeRecord(bytes)
    const now = this.#now()
    switch (record.state) {
      case 'live': {
        let pending = record.pending
        if (record.mailboxes !== undefined) {
          // an inline list is not rewritten by acks: the queue entries say who is pending
          let held: Array<Uint8Array | undefined>
          try {
            held = await this.#ks.getMany(record.mailboxes.map((m) => this.#keys.queue(m, record.seq)))
          } catch (err) {
            throw readError(err, 'an envelope status')
          }
          pending = held.filter((v) => v !== undefined).length
        }
        return { total: record.total, pending, expired: pending > 0 && record.expiresAt <= now }
      }
      case 'delivered':
        return { total: record.total, pending: 0, expired: false }
      case 'expired':
        return record.forgetAt <= now
          ? undefined
          : { total: record.total, pending: record.pending, expired: true }
    }
  }

  /** What a mailbox is charged against its quota (pending envelopes and payload bytes), as committed. */
  async usage(mailbox: MailboxId): Promise<Usage> {
    this.#assertOpen()
    checkLength(mailbox, MAILBOX_ID_BYTES, 'a mailbox ID')
    const usage = this.#usage.get(byteKey(mailbox))
    return usage === undefined ? { envelopes: 0, bytes: 0 } : { ...usage }
  }

  /** Counters for metrics (plain numbers, a snapshot). */
  stats(): MailboxStats {
    return { ...this.#stats, refusals: { ...this.#stats.refusals } }
  }

  // ---------------------------------------------------------------- live push

  subscribe(mailbox: MailboxId, listener: (envelope: StoredEnvelope) => void): () => void {
    this.#assertOpen()
    checkLength(mailbox, MAILBOX_ID_BYTES, 'a mailbox ID')
    const key = byteKey(mailbox)
    let set = this.#listeners.get(key)
    if (set === undefined) {
      set = new Set()
      this.#listeners.set(key, set)
    }
    // wrap so that the same function subscribed twice is two subscriptions
    const wrapped = (envelope: StoredEnvelope): void => listener(envelope)
    set.add(wrapped)
    return () => {
      const current = this.#listeners.get(key)
      current?.delete(wrapped)
      if (current?.size === 0) {
        this.#listeners.delete(key)
      }
    }
  }

  #notify(stored: readonly StoredDeposit[]): void {
    if (this.#listeners.size === 0) {
      return
    }
    for (const deposit of stored) {
      for (const mailbox of deposit.mailboxes) {
        const listeners = this.#listeners.get(byteKey(mailbox))
        if (listeners === undefined) {
          continue
        }
        for (const listener of [...listeners]) {
          try {
            listener({
              cursor: cursorOfSeq(deposit.seq),
              envelopeId: copyBytes(deposit.envelopeId),
              payload: deposit.payload,
              depositedAt: deposit.depositedAt,
              expiresAt: deposit.expiresAt,
            })
          } catch (err) {
            this.#onListenerError?.(err)
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /** Refuses new requests, finishes every queued and in-flight batch, drops subscribers. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true
    while (this.#writing !== undefined) {
      await this.#writing
    }
    this.#listeners.clear()
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StoreClosedError('the mailbox store is closed')
    }
  }
}
