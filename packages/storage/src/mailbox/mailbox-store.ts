/**
 * The relay's mailbox store: durable, group-committed store-and-forward of opaque ciphertext over any
 * abstract-level database. Owns opening (format version, global state, usage counters rebuilt from
 * the queues), argument checks and the refusals that need no stored state, reads (list, status,
 * usage), live push to subscribers after a batch is durable, and counters for metrics. Writes go
 * through writer.ts (queue and group commit); what each request changes is in transaction.ts, what it
 * reads first in prepare.ts, the key layout in keys.ts and the stored formats in records.ts.
 */
import { ID_BYTES, MAILBOX_ID_BYTES } from '@ferry/wire'
import { byteKey, copyBytes, plainBytes } from '../binary.js'
import {
  DEFAULT_SWEEP_LIMIT,
  LIST_FIRST_READ_ENTRIES,
  MAILBOX_FORMAT_VERSION,
  MAX_CURSOR_BYTES,
  MAX_LIST_LIMIT,
  MAX_LIST_READ_AHEAD_BYTES,
  MAX_SWEEP_LIMIT,
  QUEUE_ENTRY_OVERHEAD_BYTES,
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
import { rebuildUsage } from './prepare.js'
import {
  decodeEnvelopeRecord,
  decodeGlobalState,
  decodeQueueEntry,
  encodeGlobalState,
  type GlobalState,
  type Usage,
} from './records.js'
import type { MailboxPolicy, StoredDeposit, ValidDeposit } from './transaction.js'
import type {
  DepositOutcome,
  DepositRequest,
  EnvelopeId,
  EnvelopeStatus,
  ListOptions,
  MailboxBackend,
  MailboxId,
  StoredEnvelope,
} from './types.js'
import { MailboxWriter } from './writer.js'

/** Bytes the list iterator may read ahead: a byte-capped page of `limit` entries at most, in one read. */
function readAheadBytes(maxBytes: number, limit: number): number {
  return Math.max(1, Math.min(MAX_LIST_READ_AHEAD_BYTES, maxBytes + limit * QUEUE_ENTRY_OVERHEAD_BYTES))
}

/**
 * Entries to ask the iterator for next: what is left of `limit`, and under a byte cap no more than the
 * average payload size so far says would fill it (plus one, which ends the page).
 */
function nextReadSize(left: number, maxBytes: number | undefined, bytes: number, count: number): number {
  if (maxBytes === undefined) {
    return left
  }
  if (count === 0 || bytes === 0) {
    return Math.min(left, LIST_FIRST_READ_ENTRIES)
  }
  const average = bytes / count
  return Math.max(1, Math.min(left, Math.ceil((maxBytes - bytes) / average) + 1))
}

export class MailboxStore implements MailboxBackend {
  readonly #ks: Keyspace
  readonly #keys: MailboxKeys
  readonly #policy: MailboxPolicy
  readonly #now: () => number
  readonly #onListenerError: ((err: unknown) => void) | undefined
  readonly #listeners = new Map<string, Set<(envelope: StoredEnvelope) => void>>()
  readonly #writer: MailboxWriter
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
    this.#writer = new MailboxWriter({
      ks,
      keys: this.#keys,
      policy,
      now: this.#now,
      global,
      usage,
      stats: this.#stats,
      onStored: (stored) => this.#notify(stored),
    })
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
      return this.#writer.refused('too-large')
    }
    if (request.mailboxes.length > this.#policy.maxDepositMailboxes) {
      // repeats are not worth a pass over an oversized list: the list as sent is too long
      return this.#writer.refused('too-many-mailboxes')
    }
    const mailboxes = uniqueMailboxes(request.mailboxes)
    if (request.ttlMs <= 0) {
      return this.#writer.refused('expired')
    }
    const deposit: ValidDeposit = {
      envelopeId: copyBytes(request.envelopeId),
      // not copied: written into the batch (the database copies it) and handed to subscribers
      payload: plainBytes(request.payload),
      mailboxes,
      ttlMs: request.ttlMs,
    }
    return this.#writer.deposit(deposit, options.signal)
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
    return this.#writer.ack(
      copyBytes(mailbox),
      envelopeIds.map((id) => copyBytes(id)),
      options.signal,
    )
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
    return this.#writer.sweep(now, limit)
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
    const maxBytes = options.maxBytes
    const found: Array<Omit<StoredEnvelope, 'payload'> & { payload: Uint8Array | undefined }> = []
    try {
      // payload bytes of the entries found: reading stops at the byte cap, not at `limit` entries
      let bytes = 0
      const iterator = this.#ks.iterator({
        ...this.#keys.queueRange(mailbox, options.after),
        signal: options.signal,
        ...(maxBytes === undefined ? {} : { highWaterMarkBytes: readAheadBytes(maxBytes, limit) }),
      })
      try {
        let full = false
        while (!full && found.length < limit) {
          const page = await iterator.nextv(nextReadSize(limit - found.length, maxBytes, bytes, found.length))
          if (page.length === 0) {
            break
          }
          for (const [key, value] of page) {
            const { envelopeId, depositedAt, expiresAt, payloadBytes, payload } = decodeQueueEntry(value)
            if (expiresAt <= now) {
              continue
            }
            if (maxBytes !== undefined && found.length > 0 && bytes + payloadBytes > maxBytes) {
              full = true
              break
            }
            bytes += payloadBytes
            found.push({
              cursor: this.#keys.cursorOfQueueKey(key),
              envelopeId,
              payload,
              depositedAt,
              expiresAt,
            })
            if (found.length >= limit) {
              break
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
      // within the byte cap already (payloadBytes is the payload's length)
      const out: StoredEnvelope[] = []
      for (const f of found) {
        // acked or swept between the two reads: no longer pending
        if (f.payload !== undefined) {
          out.push({ ...f, payload: plainBytes(f.payload) })
        }
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
    const usage = this.#writer.usageOf(byteKey(mailbox))
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
    await this.#writer.idle()
    this.#listeners.clear()
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StoreClosedError('the mailbox store is closed')
    }
  }
}
