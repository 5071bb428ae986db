/**
 * The relay's mailbox store: durable, group-committed store-and-forward of opaque ciphertext over any
 * abstract-level database. Owns the write queue (one batch in flight at a time; everything that
 * arrives meanwhile goes into the next `sync: true` batch), reads (list, status, usage), live push to
 * subscribers after a batch is durable, and counters for metrics. What each request changes is in
 * transaction.ts; the key layout in keys.ts; the stored formats in records.ts.
 */
import { ID_BYTES, MAILBOX_ID_BYTES } from '@ferry/wire'
import { byteKey, copyBytes, plainBytes } from '../binary.js'
import {
  DEFAULT_MAILBOX_MAX_BYTES,
  DEFAULT_MAILBOX_MAX_ENVELOPES,
  DEFAULT_MAX_DEPOSIT_MAILBOXES,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_MAX_TTL_MS,
  DEFAULT_STATUS_TOMBSTONE_TTL_MS,
  DEFAULT_SWEEP_LIMIT,
  MAILBOX_FORMAT_VERSION,
  MAX_CURSOR_BYTES,
  MAX_GROUP_COMMIT_BYTES,
  MAX_GROUP_COMMIT_REQUESTS,
  MAX_LIST_LIMIT,
  MAX_SWEEP_LIMIT,
} from '../constants.js'
import {
  type BinaryLevel,
  binarySublevel,
  type Database,
  durableBatch,
  isCorruption,
  openDatabase,
} from '../database.js'
import {
  InvalidConfigError,
  InvalidRequestError,
  StorageReadError,
  StorageWriteError,
  StoreClosedError,
  StoreCorruptError,
  StoreVersionError,
} from '../errors.js'
import { decodeFormatVersion, encodeFormatVersion } from '../format.js'
import { WriteSet } from '../write-set.js'
import {
  cursorOfQueueKey,
  cursorOfSeq,
  envelopeKey,
  expiryDueRange,
  formatKey,
  globalKey,
  mailboxOfRecipientKey,
  parseExpiryKey,
  payloadKey,
  queueRange,
  recipientRange,
  usageKey,
} from './keys.js'
import {
  decodeEnvelopeRecord,
  decodeGlobalState,
  decodeQueueEntry,
  decodeRecipient,
  decodeUsage,
  encodeGlobalState,
  type GlobalState,
  type Usage,
} from './records.js'
import {
  keysForAck,
  keysForDeposit,
  type MailboxPolicy,
  MailboxTransaction,
  type Recipient,
  type StoredDeposit,
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

export interface MailboxStoreInit {
  /** The relay's clock in ms (TTL, tombstones). Default `Date.now`. */
  now?: () => number
  /** Largest payload accepted. Default DEFAULT_MAX_ENVELOPE_BYTES (72 KiB). */
  maxEnvelopeBytes?: number
  /** Most mailboxes one deposit may list. Default DEFAULT_MAX_DEPOSIT_MAILBOXES (1024). */
  maxDepositMailboxes?: number
  /** Envelopes one mailbox may hold. Default DEFAULT_MAILBOX_MAX_ENVELOPES (50,000). */
  mailboxMaxEnvelopes?: number
  /** Payload bytes one mailbox may hold. Default DEFAULT_MAILBOX_MAX_BYTES (256 MiB). */
  mailboxMaxBytes?: number
  /** Cap on a deposit's TTL. Default DEFAULT_MAX_TTL_MS (30 days). */
  maxTtlMs?: number
  /** How long a delivered or expired envelope's status stays readable. Default 3 days; 0 turns it off. */
  statusTombstoneTtlMs?: number
  /** Name of the sublevel the store writes into. Default 'relay-mailbox'. */
  sublevel?: string
  /** Told when a subscriber's listener throws (the other listeners still run). */
  onListenerError?: (err: unknown) => void
}

export interface SweepOptions {
  /** Relay clock to sweep at. Default the store's `now()`. */
  now?: number
  /** Index entries to handle at most (one atomic batch). Default DEFAULT_SWEEP_LIMIT. */
  limit?: number
}

export interface SweepResult {
  /** Envelopes whose payload was deleted because their TTL passed. */
  expired: number
  /** Tombstones forgotten. */
  forgotten: number
  /** True when the limit was reached: call again to continue. */
  more: boolean
}

export interface MailboxStats {
  /** Live envelopes (each payload counted once) and their payload bytes. */
  storedEnvelopes: number
  storedBytes: number
  /** Since this process opened the store: */
  deposits: number
  duplicates: number
  /** (mailbox, envelope) copies acked. */
  acks: number
  expiries: number
  refusals: Record<RefusalReason, number>
  /** Durable batches written, and batches that failed. */
  batches: number
  writeErrors: number
}

type Pending<T> = { resolve: (value: T) => void; reject: (err: unknown) => void }

type Request =
  | ({ kind: 'deposit'; deposit: ValidDeposit; detach: () => void } & Pending<DepositOutcome>)
  | ({ kind: 'ack'; mailbox: MailboxId; ids: Uint8Array[]; detach: () => void } & Pending<number>)
  | ({ kind: 'sweep'; now: number; limit: number } & Pending<SweepResult>)

function positive(value: number | undefined, fallback: number, key: string, allowZero = false): number {
  const v = value ?? fallback
  if (Number.isNaN(v) || v < 0 || (v === 0 && !allowZero)) {
    throw new InvalidConfigError(`${key} must be a positive number`, key)
  }
  return v
}

function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== length) {
    throw new InvalidRequestError(`${what} must be ${length} bytes`)
  }
}

function uniqueMailboxes(mailboxes: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>()
  const out: Uint8Array[] = []
  for (const mailbox of mailboxes) {
    checkLength(mailbox, MAILBOX_ID_BYTES, 'a mailbox ID')
    const k = byteKey(mailbox)
    if (!seen.has(k)) {
      seen.add(k)
      out.push(copyBytes(mailbox))
    }
  }
  return out
}

function readError(err: unknown, what: string): Error {
  if (err instanceof StoreCorruptError || err instanceof StoreClosedError) {
    return err
  }
  if ((err as { name?: unknown })?.name === 'AbortError') {
    return err as Error
  }
  if (isCorruption(err)) {
    return new StoreCorruptError(`corrupt data while reading ${what}`, { cause: err })
  }
  return new StorageReadError(`reading ${what} failed`, { cause: err })
}

export class MailboxStore implements MailboxBackend {
  readonly #level: BinaryLevel
  readonly #policy: MailboxPolicy
  readonly #now: () => number
  readonly #onListenerError: ((err: unknown) => void) | undefined
  readonly #listeners = new Map<string, Set<(envelope: StoredEnvelope) => void>>()
  readonly #queue: Request[] = []
  #global: GlobalState
  #globalStale = false
  #writing: Promise<void> | undefined
  #closed = false
  readonly #stats: MailboxStats

  private constructor(
    level: BinaryLevel,
    policy: MailboxPolicy,
    global: GlobalState,
    init: MailboxStoreInit,
  ) {
    this.#level = level
    this.#policy = policy
    this.#global = global
    this.#now = init.now ?? Date.now
    this.#onListenerError = init.onListenerError
    this.#stats = {
      storedEnvelopes: global.envelopes,
      storedBytes: global.bytes,
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
   * store's format version (StoreVersionError for a newer one) and loads its global state.
   */
  static async open(db: Database, init: MailboxStoreInit = {}): Promise<MailboxStore> {
    const policy: MailboxPolicy = {
      maxEnvelopeBytes: positive(init.maxEnvelopeBytes, DEFAULT_MAX_ENVELOPE_BYTES, 'maxEnvelopeBytes'),
      maxDepositMailboxes: positive(
        init.maxDepositMailboxes,
        DEFAULT_MAX_DEPOSIT_MAILBOXES,
        'maxDepositMailboxes',
      ),
      mailboxMaxEnvelopes: positive(
        init.mailboxMaxEnvelopes,
        DEFAULT_MAILBOX_MAX_ENVELOPES,
        'mailboxMaxEnvelopes',
      ),
      mailboxMaxBytes: positive(init.mailboxMaxBytes, DEFAULT_MAILBOX_MAX_BYTES, 'mailboxMaxBytes'),
      maxTtlMs: positive(init.maxTtlMs, DEFAULT_MAX_TTL_MS, 'maxTtlMs'),
      statusTombstoneTtlMs: positive(
        init.statusTombstoneTtlMs,
        DEFAULT_STATUS_TOMBSTONE_TTL_MS,
        'statusTombstoneTtlMs',
        true,
      ),
    }
    if (!Number.isFinite(policy.maxTtlMs) || !Number.isFinite(policy.statusTombstoneTtlMs)) {
      throw new InvalidConfigError('TTLs must be finite', 'maxTtlMs')
    }
    await openDatabase(db)
    const level = binarySublevel(db, init.sublevel ?? 'relay-mailbox')
    let format: Uint8Array | undefined
    let global: Uint8Array | undefined
    try {
      ;[format, global] = await level.getMany([formatKey(), globalKey()])
    } catch (err) {
      throw readError(err, 'the mailbox store header')
    }
    if (format === undefined) {
      if (global !== undefined) {
        throw new StoreCorruptError('the mailbox store has data but no format version')
      }
      const fresh: GlobalState = { nextSeq: 1, envelopes: 0, bytes: 0 }
      try {
        await durableBatch(level, [
          { type: 'put', key: formatKey(), value: encodeFormatVersion(MAILBOX_FORMAT_VERSION) },
          { type: 'put', key: globalKey(), value: encodeGlobalState(fresh) },
        ])
      } catch (err) {
        throw new StorageWriteError('cannot initialise the mailbox store', { cause: err })
      }
      return new MailboxStore(level, policy, fresh, init)
    }
    const version = decodeFormatVersion(format)
    if (version !== MAILBOX_FORMAT_VERSION) {
      throw new StoreVersionError(
        `the mailbox store has format version ${version}; this code reads version ${MAILBOX_FORMAT_VERSION}`,
        version,
      )
    }
    if (global === undefined) {
      throw new StoreCorruptError('the mailbox store has no global state record')
    }
    return new MailboxStore(level, policy, decodeGlobalState(global), init)
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
      const entry: Request = { kind: 'deposit', deposit, resolve, reject, detach: () => {} }
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
      const entry: Request = {
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
    const limit = Math.min(options.limit ?? DEFAULT_SWEEP_LIMIT, MAX_SWEEP_LIMIT)
    if (!(limit >= 1)) {
      throw new InvalidRequestError('sweep limit must be at least 1')
    }
    return new Promise<SweepResult>((resolve, reject) => {
      this.#enqueue({ kind: 'sweep', now, limit: Math.floor(limit), resolve, reject })
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
  }

  /** Writes batch after batch until the queue is empty. One batch is in flight at a time. */
  async #drain(): Promise<void> {
    // let requests issued in the same tick join the first batch
    await Promise.resolve()
    try {
      while (this.#queue.length > 0) {
        await this.#commit(this.#takeGroup())
      }
    } finally {
      this.#writing = undefined
    }
  }

  /** The next batch: queued requests up to the group limits; a sweep always runs alone. */
  #takeGroup(): Request[] {
    const first = this.#queue[0]!
    if (first.kind === 'sweep') {
      return this.#queue.splice(0, 1)
    }
    let count = 0
    let bytes = 0
    while (count < this.#queue.length && count < MAX_GROUP_COMMIT_REQUESTS) {
      const next = this.#queue[count]!
      if (next.kind === 'sweep') {
        break
      }
      const size = next.kind === 'deposit' ? next.deposit.payload.byteLength : 0
      if (count > 0 && bytes + size > MAX_GROUP_COMMIT_BYTES) {
        break
      }
      bytes += size
      count++
    }
    const group = this.#queue.splice(0, count)
    for (const entry of group) {
      if (entry.kind !== 'sweep') {
        entry.detach()
      }
    }
    return group
  }

  async #commit(group: Request[]): Promise<void> {
    const ws = new WriteSet(this.#level)
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = []
    let tx: MailboxTransaction
    try {
      if (this.#globalStale) {
        const bytes = await this.#level.get(globalKey())
        if (bytes === undefined) {
          throw new StoreCorruptError('the mailbox store lost its global state record')
        }
        this.#global = decodeGlobalState(bytes)
        this.#globalStale = false
      }
      const now = this.#now()
      const sweep = group[0]!.kind === 'sweep' ? (group[0] as Extract<Request, { kind: 'sweep' }>) : undefined
      const due = sweep === undefined ? undefined : await this.#loadSweep(ws, sweep)
      if (sweep === undefined) {
        const keys: Uint8Array[] = []
        for (const entry of group) {
          if (entry.kind === 'deposit') {
            keys.push(...keysForDeposit(entry.deposit))
          } else if (entry.kind === 'ack') {
            keys.push(...keysForAck(entry.mailbox, entry.ids))
          }
        }
        await ws.load(keys)
      }
      tx = new MailboxTransaction(ws, this.#policy, sweep?.now ?? now, this.#global)
      for (const entry of group) {
        try {
          results.push({ ok: true, value: tx.atomically(() => this.#apply(tx, entry, due)) })
        } catch (error) {
          results.push({ ok: false, error })
        }
      }
      tx.finish()
      const operations = ws.operations()
      if (operations.length > 0) {
        await durableBatch(this.#level, operations)
        this.#stats.batches++
      }
    } catch (err) {
      this.#failGroup(group, err)
      return
    }
    this.#global = tx.global
    this.#stats.storedEnvelopes = tx.global.envelopes
    this.#stats.storedBytes = tx.global.bytes
    this.#stats.deposits += tx.counts.stored
    this.#stats.duplicates += tx.counts.duplicates
    this.#stats.acks += tx.counts.acks
    this.#stats.expiries += tx.counts.expiries
    group.forEach((entry, i) => {
      const result = results[i]!
      if (!result.ok) {
        if (entry.kind === 'deposit') {
          entry.resolve(this.#refused('storage-error'))
        } else {
          entry.reject(result.error)
        }
        return
      }
      if (entry.kind === 'deposit') {
        const outcome = result.value as DepositOutcome
        if (outcome.status === 'refused') {
          this.#stats.refusals[outcome.reason]++
        }
        entry.resolve(outcome)
      } else if (entry.kind === 'ack') {
        entry.resolve(result.value as number)
      } else {
        entry.resolve(result.value as SweepResult)
      }
    })
    this.#notify(tx.stored)
  }

  #apply(tx: MailboxTransaction, entry: Request, due: DueEntries | undefined): unknown {
    switch (entry.kind) {
      case 'deposit':
        return tx.deposit(entry.deposit)
      case 'ack':
        return tx.ack(entry.mailbox, entry.ids)
      case 'sweep': {
        for (const { time, id, recipients } of due!.entries) {
          tx.sweep(time, id, recipients)
        }
        return { expired: tx.counts.expiries, forgotten: tx.counts.forgotten, more: due!.more }
      }
    }
  }

  /** Reads the due index entries, their records, and the recipients of those still live. */
  async #loadSweep(ws: WriteSet, sweep: Extract<Request, { kind: 'sweep' }>): Promise<DueEntries> {
    const keys = await this.#level.keys({ ...expiryDueRange(sweep.now), limit: sweep.limit }).all()
    const parsed = keys.map(parseExpiryKey)
    await ws.load(parsed.map(({ id }) => envelopeKey(id)))
    const entries: DueEntries['entries'] = []
    const usage: Uint8Array[] = []
    for (const { time, id } of parsed) {
      const bytes = ws.get(envelopeKey(id))
      const record = bytes === undefined ? undefined : decodeEnvelopeRecord(bytes)
      const recipients: Recipient[] = []
      if (record?.state === 'live' && record.expiresAt === time) {
        for await (const [key, value] of this.#level.iterator(recipientRange(id))) {
          const mailbox = mailboxOfRecipientKey(key)
          recipients.push({ mailbox, seq: decodeRecipient(value) })
          usage.push(usageKey(mailbox))
        }
      }
      entries.push({ time, id, recipients })
    }
    await ws.load(usage)
    return { entries, more: keys.length >= sweep.limit }
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
    const found: Array<{
      cursor: Uint8Array
      envelopeId: Uint8Array
      depositedAt: number
      expiresAt: number
    }> = []
    try {
      const iterator = this.#level.iterator({ ...queueRange(mailbox, options.after), signal: options.signal })
      try {
        while (found.length < limit) {
          const page = await iterator.nextv(limit - found.length)
          if (page.length === 0) {
            break
          }
          for (const [key, value] of page) {
            const entry = decodeQueueEntry(value)
            if (entry.expiresAt > now) {
              found.push({ cursor: cursorOfQueueKey(key), ...entry })
            }
          }
        }
      } finally {
        await iterator.close()
      }
      const payloads = await this.#level.getMany(found.map((f) => payloadKey(f.envelopeId)))
      const out: StoredEnvelope[] = []
      let bytes = 0
      for (let i = 0; i < found.length; i++) {
        const payload = payloads[i]
        // acked or swept between the two reads: no longer pending
        if (payload === undefined) {
          continue
        }
        if (
          options.maxBytes !== undefined &&
          out.length > 0 &&
          bytes + payload.byteLength > options.maxBytes
        ) {
          break
        }
        bytes += payload.byteLength
        out.push({ ...found[i]!, payload: plainBytes(payload) })
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
      bytes = await this.#level.get(envelopeKey(envelopeId))
    } catch (err) {
      throw readError(err, 'an envelope status')
    }
    if (bytes === undefined) {
      return undefined
    }
    const record = decodeEnvelopeRecord(bytes)
    const now = this.#now()
    switch (record.state) {
      case 'live':
        return { total: record.total, pending: record.pending, expired: record.expiresAt <= now }
      case 'delivered':
        return record.forgetAt <= now ? undefined : { total: record.total, pending: 0, expired: false }
      case 'expired':
        return record.forgetAt <= now
          ? undefined
          : { total: record.total, pending: record.pending, expired: true }
    }
  }

  /** What a mailbox is charged against its quota (pending envelopes and payload bytes). */
  async usage(mailbox: MailboxId): Promise<Usage> {
    this.#assertOpen()
    checkLength(mailbox, MAILBOX_ID_BYTES, 'a mailbox ID')
    let bytes: Uint8Array | undefined
    try {
      bytes = await this.#level.get(usageKey(mailbox))
    } catch (err) {
      throw readError(err, 'a mailbox usage counter')
    }
    return bytes === undefined ? { envelopes: 0, bytes: 0 } : decodeUsage(bytes)
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

interface DueEntries {
  entries: Array<{ time: number; id: Uint8Array; recipients: Recipient[] }>
  more: boolean
}
