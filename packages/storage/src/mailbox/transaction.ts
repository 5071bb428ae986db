/**
 * What deposits, acks and expiry do to the stored data, applied to one batch's write set. Pure with
 * respect to I/O: the store loads the keys each request needs (prepare.ts), applies the requests in
 * arrival order here, and writes `operations()` as one durable batch. Every change to a payload, its
 * queue entries, the envelope record, the expiry index and the global counters is in that same batch,
 * so a crash leaves either all of a request or none of it. Mailbox usage (for quotas) changes in
 * memory alongside and is committed by the store only once the batch is durable.
 *
 * Each write to LevelDB costs several microseconds in abstract-level, so the common cases write
 * little: a deposit to one mailbox is three records (envelope, queue entry with the payload inline,
 * expiry index entry) and an ack of it deletes one (its queue entry).
 */
import { byteKey } from '../binary.js'
import { INLINE_MAILBOXES } from '../constants.js'
import { StoreCorruptError } from '../errors.js'
import type { WriteSet } from '../write-set.js'
import type { MailboxKeys } from './keys.js'
import {
  decodeEnvelopeRecord,
  type EnvelopeRecord,
  encodeEnvelopeRecord,
  encodeGlobalState,
  encodeMailboxList,
  encodeQueueEntry,
  type GlobalState,
  type Usage,
} from './records.js'
import type { DepositOutcome, MailboxId } from './types.js'

/** The limits a transaction enforces (resolved from the store's init). */
export interface MailboxPolicy {
  maxEnvelopeBytes: number
  maxDepositMailboxes: number
  mailboxMaxEnvelopes: number
  mailboxMaxBytes: number
  maxTtlMs: number
  statusTombstoneTtlMs: number
}

/** A deposit that passed the checks that need no stored state. */
export interface ValidDeposit {
  envelopeId: Uint8Array
  payload: Uint8Array
  /** Without repeats. */
  mailboxes: Uint8Array[]
  ttlMs: number
}

/** A deposit stored by this batch, for live push once the batch is durable. */
export interface StoredDeposit {
  seq: number
  envelopeId: Uint8Array
  payload: Uint8Array
  mailboxes: Uint8Array[]
  depositedAt: number
  expiresAt: number
}

export interface TransactionCounts {
  stored: number
  duplicates: number
  acks: number
  expiries: number
  forgotten: number
}

const EMPTY = new Uint8Array(0)
const ZERO: Usage = { envelopes: 0, bytes: 0 }

/** Where a usage overlay reads what it has not changed: the committed counters, or an earlier batch's overlay. */
export interface UsageSource {
  get(id: string): Usage | undefined
}

/** Per-mailbox usage as this batch sees it: the counters before it plus the batch's changes. */
export class UsageOverlay implements UsageSource {
  readonly #base: UsageSource
  readonly #changes = new Map<string, Usage>()
  readonly #undo: Array<{ id: string; previous: Usage | undefined }> = []

  constructor(base: UsageSource) {
    this.#base = base
  }

  /** By `byteKey(mailbox)` (as a source for a later batch's overlay). */
  get(id: string): Usage | undefined {
    return this.#changes.get(id) ?? this.#base.get(id)
  }

  of(mailbox: Uint8Array): Usage {
    return this.get(byteKey(mailbox)) ?? ZERO
  }

  add(mailbox: Uint8Array, envelopes: number, bytes: number): void {
    const id = byteKey(mailbox)
    const current = this.get(id) ?? ZERO
    this.#undo.push({ id, previous: this.#changes.get(id) })
    this.#changes.set(id, { envelopes: current.envelopes + envelopes, bytes: current.bytes + bytes })
  }

  mark(): number {
    return this.#undo.length
  }

  rollback(mark: number): void {
    while (this.#undo.length > mark) {
      const { id, previous } = this.#undo.pop()!
      if (previous === undefined) {
        this.#changes.delete(id)
      } else {
        this.#changes.set(id, previous)
      }
    }
  }

  /** The new usage of every mailbox this batch changed, keyed by `byteKey(mailbox)`. */
  changes(): ReadonlyMap<string, Usage> {
    return this.#changes
  }
}

export class MailboxTransaction {
  readonly #ws: WriteSet
  readonly #keys: MailboxKeys
  readonly #policy: MailboxPolicy
  readonly #now: number
  readonly #usage: UsageOverlay
  #global: GlobalState
  /** Sequences from here on were handed out by this batch: no queue entry of theirs is on disk. */
  readonly #firstNewSeq: number
  #globalChanged = false
  readonly stored: StoredDeposit[] = []
  readonly counts: TransactionCounts = { stored: 0, duplicates: 0, acks: 0, expiries: 0, forgotten: 0 }

  constructor(init: {
    ws: WriteSet
    keys: MailboxKeys
    policy: MailboxPolicy
    now: number
    global: GlobalState
    usage: UsageOverlay
  }) {
    this.#ws = init.ws
    this.#keys = init.keys
    this.#policy = init.policy
    this.#now = init.now
    this.#global = { ...init.global }
    this.#firstNewSeq = init.global.nextSeq
    this.#usage = init.usage
  }

  get global(): GlobalState {
    return this.#global
  }

  get usage(): UsageOverlay {
    return this.#usage
  }

  /**
   * Runs one request's changes; if it throws (a corrupt record), its changes are undone and the
   * rest of the batch is unaffected.
   */
  atomically<T>(apply: () => T): T {
    const ws = this.#ws.mark()
    const usage = this.#usage.mark()
    const global = { ...this.#global }
    const globalChanged = this.#globalChanged
    const stored = this.stored.length
    const counts = { ...this.counts }
    try {
      return apply()
    } catch (err) {
      this.#ws.rollback(ws)
      this.#usage.rollback(usage)
      this.#global = global
      this.#globalChanged = globalChanged
      this.stored.length = stored
      Object.assign(this.counts, counts)
      throw err
    }
  }

  /** Stores the envelope once, or says why not. Never evicts anything. */
  deposit(d: ValidDeposit): DepositOutcome {
    const now = this.#now
    const existing = this.#envelope(d.envelopeId)
    if (existing !== undefined) {
      // remembered until its TTL passes (and as an expired tombstone after): stored once
      if (existing.state === 'expired' || existing.expiresAt <= now) {
        return { status: 'refused', reason: 'expired' }
      }
      this.counts.duplicates++
      return { status: 'duplicate', expiresAt: existing.expiresAt }
    }
    const size = d.payload.byteLength
    for (const mailbox of d.mailboxes) {
      const usage = this.#usage.of(mailbox)
      if (
        usage.envelopes + 1 > this.#policy.mailboxMaxEnvelopes ||
        usage.bytes + size > this.#policy.mailboxMaxBytes
      ) {
        return { status: 'refused', reason: 'mailbox-full', mailbox }
      }
    }
    const ttl = Math.min(d.ttlMs, this.#policy.maxTtlMs)
    const expiresAt = Math.floor(now + ttl)
    const seq = this.#global.nextSeq
    const total = d.mailboxes.length
    const inlineList = total <= INLINE_MAILBOXES
    const inlinePayload = total === 1
    const record: EnvelopeRecord = {
      state: 'live',
      depositedAt: now,
      expiresAt,
      forgetAt: 0,
      seq,
      payloadBytes: size,
      total,
      pending: total,
      mailboxes: inlineList ? d.mailboxes : undefined,
    }
    this.#ws.put(this.#keys.envelope(d.envelopeId), encodeEnvelopeRecord(record))
    if (!inlineList) {
      this.#ws.putBlind(this.#keys.mailboxList(d.envelopeId), encodeMailboxList(d.mailboxes))
    }
    if (!inlinePayload) {
      this.#ws.putBlind(this.#keys.payload(d.envelopeId), d.payload)
    }
    this.#ws.putBlind(this.#keys.expiry(expiresAt, d.envelopeId), EMPTY)
    const entry = encodeQueueEntry({
      envelopeId: d.envelopeId,
      depositedAt: now,
      expiresAt,
      payloadBytes: size,
      payload: inlinePayload ? d.payload : undefined,
    })
    for (const mailbox of d.mailboxes) {
      this.#ws.put(this.#keys.queue(mailbox, seq), entry)
      this.#usage.add(mailbox, 1, size)
    }
    this.#updateGlobal({ nextSeq: seq + 1, envelopes: 1, bytes: size })
    this.stored.push({
      seq,
      envelopeId: d.envelopeId,
      payload: d.payload,
      mailboxes: d.mailboxes,
      depositedAt: now,
      expiresAt,
    })
    this.counts.stored++
    return { status: 'stored', expiresAt }
  }

  /**
   * Removes this mailbox's copies of the given envelopes; returns how many it held. The queue entry of
   * (mailbox, envelope) is the pending marker: without it, the ack changes nothing.
   */
  ack(mailbox: MailboxId, ids: readonly Uint8Array[]): number {
    let acked = 0
    let ackedBytes = 0
    // a repeated ID finds its queue entry gone (deleted in this batch's overlay) and changes nothing
    for (const id of ids) {
      const record = this.#envelope(id)
      if (record === undefined || record.state !== 'live' || record.expiresAt <= this.#now) {
        continue
      }
      const queueKey = this.#keys.queue(mailbox, record.seq)
      if (!this.#holds(queueKey, record.seq)) {
        continue
      }
      this.#ws.del(queueKey)
      acked++
      ackedBytes += record.payloadBytes
      if (record.mailboxes !== undefined) {
        // inline list: the record stays as it is; the last ack removes the payload
        if (this.#pendingOf(record.mailboxes, record.seq).length === 0) {
          this.#removePayload(id, record)
        }
        continue
      }
      record.pending -= 1
      if (record.pending === 0) {
        this.#removePayload(id, record)
        record.state = 'delivered'
      }
      this.#ws.put(this.#keys.envelope(id), encodeEnvelopeRecord(record))
    }
    if (acked > 0) {
      this.#usage.add(mailbox, -acked, -ackedBytes)
    }
    this.counts.acks += acked
    return acked
  }

  /**
   * Handles one due expiry-index entry. A live envelope whose TTL passed: if every mailbox acked it
   * (delivered), the record goes; otherwise its payload and remaining copies go and it stays as an
   * expired tombstone (`separateList` is its mailbox list when not inline; the store loaded the queue
   * keys). A delivered record or expired tombstone whose time came goes. An entry that no longer
   * matches its record is dropped.
   */
  sweep(time: number, id: Uint8Array, separateList: readonly Uint8Array[] | undefined): void {
    this.#ws.delBlind(this.#keys.expiry(time, id))
    const record = this.#envelope(id)
    if (record === undefined || time > this.#now) {
      return
    }
    if (record.state === 'live') {
      if (record.expiresAt !== time) {
        return
      }
      const listed = record.mailboxes ?? separateList
      if (listed === undefined) {
        throw new StoreCorruptError('a live envelope has lost its mailbox list')
      }
      const pending = this.#pendingOf(listed, record.seq)
      if (pending.length === 0) {
        this.#ws.del(this.#keys.envelope(id))
        this.counts.forgotten++
        return
      }
      for (const mailbox of pending) {
        this.#ws.del(this.#keys.queue(mailbox, record.seq))
        this.#usage.add(mailbox, -1, -record.payloadBytes)
      }
      this.#removePayload(id, record)
      this.counts.expiries++
      if (this.#policy.statusTombstoneTtlMs <= 0) {
        this.#ws.del(this.#keys.envelope(id))
        return
      }
      record.state = 'expired'
      record.pending = pending.length
      record.mailboxes = undefined
      record.forgetAt = this.#now + this.#policy.statusTombstoneTtlMs
      this.#ws.put(this.#keys.envelope(id), encodeEnvelopeRecord(record))
      this.#ws.putBlind(this.#keys.expiry(record.forgetAt, id), EMPTY)
    } else if ((record.state === 'delivered' ? record.expiresAt : record.forgetAt) === time) {
      this.#ws.del(this.#keys.envelope(id))
      this.counts.forgotten++
    }
  }

  /** Adds the global state to the batch when it changed. */
  finish(): void {
    if (this.#globalChanged) {
      this.#ws.put(this.#keys.global(), encodeGlobalState(this.#global))
    }
  }

  /** The last copy is gone: the payload (and a separate mailbox list) go, the global counters drop. */
  #removePayload(id: Uint8Array, record: EnvelopeRecord): void {
    if (record.total > 1) {
      this.#ws.delBlind(this.#keys.payload(id))
    }
    if (record.mailboxes === undefined) {
      this.#ws.delBlind(this.#keys.mailboxList(id))
    }
    this.#updateGlobal({ envelopes: -1, bytes: -record.payloadBytes })
  }

  /** The listed mailboxes whose queue entry for `seq` still exists. */
  #pendingOf(listed: readonly Uint8Array[], seq: number): Uint8Array[] {
    return listed.filter((mailbox) => this.#holds(this.#keys.queue(mailbox, seq), seq))
  }

  /**
   * Whether a queue entry exists. Entries of envelopes deposited before this batch were loaded; those
   * of envelopes deposited in this batch exist only in the batch.
   */
  #holds(queueKey: Uint8Array, seq: number): boolean {
    return (seq >= this.#firstNewSeq ? this.#ws.peek(queueKey) : this.#ws.get(queueKey)) !== undefined
  }

  #envelope(id: Uint8Array): EnvelopeRecord | undefined {
    const bytes = this.#ws.get(this.#keys.envelope(id))
    return bytes === undefined ? undefined : decodeEnvelopeRecord(bytes)
  }

  #updateGlobal(change: { nextSeq?: number; envelopes: number; bytes: number }): void {
    this.#global = {
      nextSeq: change.nextSeq ?? this.#global.nextSeq,
      envelopes: this.#global.envelopes + change.envelopes,
      bytes: this.#global.bytes + change.bytes,
    }
    this.#globalChanged = true
  }
}
