/**
 * What deposits, acks and expiry do to the stored data, applied to one batch's write set. Pure with
 * respect to I/O: the store loads the keys each request names (`keysFor*`), applies the requests in
 * arrival order here, and writes `operations()` as one durable batch. Every change to a payload, its
 * queue entries, recipient markers, usage counters and the global counters happens in that same
 * batch, so a crash leaves either all of a request or none of it.
 */
import { byteKey } from '../binary.js'
import type { WriteSet } from '../write-set.js'
import { envelopeKey, expiryKey, globalKey, payloadKey, queueKey, recipientKey, usageKey } from './keys.js'
import {
  decodeEnvelopeRecord,
  decodeRecipient,
  decodeUsage,
  type EnvelopeRecord,
  type EnvelopeState,
  encodeEnvelopeRecord,
  encodeGlobalState,
  encodeQueueEntry,
  encodeRecipient,
  encodeUsage,
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

/** A mailbox still holding an envelope: where its queue entry is. */
export interface Recipient {
  mailbox: Uint8Array
  seq: number
}

export interface TransactionCounts {
  stored: number
  duplicates: number
  acks: number
  expiries: number
  forgotten: number
}

const EMPTY = new Uint8Array(0)

export function keysForDeposit(d: ValidDeposit): Uint8Array[] {
  return [envelopeKey(d.envelopeId), ...d.mailboxes.map(usageKey)]
}

export function keysForAck(mailbox: MailboxId, ids: readonly Uint8Array[]): Uint8Array[] {
  const keys = [usageKey(mailbox)]
  for (const id of ids) {
    keys.push(envelopeKey(id), recipientKey(id, mailbox))
  }
  return keys
}

export class MailboxTransaction {
  readonly #ws: WriteSet
  readonly #policy: MailboxPolicy
  readonly #now: number
  #global: GlobalState
  #globalChanged = false
  readonly stored: StoredDeposit[] = []
  readonly counts: TransactionCounts = { stored: 0, duplicates: 0, acks: 0, expiries: 0, forgotten: 0 }

  constructor(ws: WriteSet, policy: MailboxPolicy, now: number, global: GlobalState) {
    this.#ws = ws
    this.#policy = policy
    this.#now = now
    this.#global = { ...global }
  }

  get global(): GlobalState {
    return this.#global
  }

  /**
   * Runs one request's changes; if it throws (a corrupt record), its changes are undone and the
   * rest of the batch is unaffected.
   */
  atomically<T>(apply: () => T): T {
    const mark = this.#ws.mark()
    const global = { ...this.#global }
    const globalChanged = this.#globalChanged
    const stored = this.stored.length
    const counts = { ...this.counts }
    try {
      return apply()
    } catch (err) {
      this.#ws.rollback(mark)
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
      if (existing.state === 'expired' || (existing.state === 'live' && existing.expiresAt <= now)) {
        return { status: 'refused', reason: 'expired' }
      }
      this.counts.duplicates++
      return { status: 'duplicate', expiresAt: existing.expiresAt }
    }
    const size = d.payload.byteLength
    for (const mailbox of d.mailboxes) {
      const usage = this.#usage(mailbox)
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
    const record: EnvelopeRecord = {
      state: 'live',
      depositedAt: now,
      expiresAt,
      forgetAt: 0,
      payloadBytes: size,
      total: d.mailboxes.length,
      pending: d.mailboxes.length,
    }
    this.#ws.put(envelopeKey(d.envelopeId), encodeEnvelopeRecord(record))
    this.#ws.put(payloadKey(d.envelopeId), d.payload)
    this.#ws.put(expiryKey(expiresAt, d.envelopeId), EMPTY)
    const entry = encodeQueueEntry({ envelopeId: d.envelopeId, depositedAt: now, expiresAt })
    const marker = encodeRecipient(seq)
    for (const mailbox of d.mailboxes) {
      this.#ws.put(recipientKey(d.envelopeId, mailbox), marker)
      this.#ws.put(queueKey(mailbox, seq), entry)
      this.#charge(mailbox, 1, size)
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

  /** Removes this mailbox's copies of the given envelopes; returns how many it held. */
  ack(mailbox: MailboxId, ids: readonly Uint8Array[]): number {
    let acked = 0
    const seen = new Set<string>()
    for (const id of ids) {
      const idKey = byteKey(id)
      if (seen.has(idKey)) {
        continue
      }
      seen.add(idKey)
      const record = this.#envelope(id)
      if (record === undefined || record.state !== 'live' || record.expiresAt <= this.#now) {
        continue
      }
      const markerKey = recipientKey(id, mailbox)
      const marker = this.#ws.get(markerKey)
      if (marker === undefined) {
        continue
      }
      const seq = decodeRecipient(marker)
      this.#ws.del(markerKey)
      this.#ws.del(queueKey(mailbox, seq))
      this.#charge(mailbox, -1, -record.payloadBytes)
      record.pending -= 1
      if (record.pending === 0) {
        this.#ws.del(payloadKey(id))
        this.#ws.del(expiryKey(record.expiresAt, id))
        this.#updateGlobal({ envelopes: -1, bytes: -record.payloadBytes })
        this.#retire(id, record, 'delivered')
      } else {
        this.#ws.put(envelopeKey(id), encodeEnvelopeRecord(record))
      }
      acked++
    }
    this.counts.acks += acked
    return acked
  }

  /**
   * Handles one due expiry-index entry: a live envelope whose TTL passed loses its payload and every
   * remaining copy (the caller loaded its recipients); a tombstone whose time came is forgotten; an
   * entry that no longer matches its record is dropped.
   */
  sweep(time: number, id: Uint8Array, recipients: readonly Recipient[]): void {
    this.#ws.del(expiryKey(time, id))
    const record = this.#envelope(id)
    if (record === undefined || time > this.#now) {
      return
    }
    if (record.state === 'live') {
      if (record.expiresAt !== time) {
        return
      }
      for (const { mailbox, seq } of recipients) {
        this.#ws.del(recipientKey(id, mailbox))
        this.#ws.del(queueKey(mailbox, seq))
        this.#charge(mailbox, -1, -record.payloadBytes)
      }
      this.#ws.del(payloadKey(id))
      this.#updateGlobal({ envelopes: -1, bytes: -record.payloadBytes })
      record.pending = recipients.length
      this.#retire(id, record, 'expired')
      this.counts.expiries++
    } else if (record.forgetAt === time) {
      this.#ws.del(envelopeKey(id))
      this.counts.forgotten++
    }
  }

  /** The operations of the whole batch, global state included when it changed. */
  finish(): void {
    if (this.#globalChanged) {
      this.#ws.put(globalKey(), encodeGlobalState(this.#global))
    }
  }

  /** Turns a live record into a tombstone (or forgets it at once when tombstones are off). */
  #retire(id: Uint8Array, record: EnvelopeRecord, state: Exclude<EnvelopeState, 'live'>): void {
    if (this.#policy.statusTombstoneTtlMs <= 0) {
      this.#ws.del(envelopeKey(id))
      return
    }
    record.state = state
    record.forgetAt = this.#now + this.#policy.statusTombstoneTtlMs
    this.#ws.put(envelopeKey(id), encodeEnvelopeRecord(record))
    this.#ws.put(expiryKey(record.forgetAt, id), EMPTY)
  }

  #envelope(id: Uint8Array): EnvelopeRecord | undefined {
    const bytes = this.#ws.get(envelopeKey(id))
    return bytes === undefined ? undefined : decodeEnvelopeRecord(bytes)
  }

  #usage(mailbox: Uint8Array): Usage {
    const bytes = this.#ws.get(usageKey(mailbox))
    return bytes === undefined ? { envelopes: 0, bytes: 0 } : decodeUsage(bytes)
  }

  #charge(mailbox: Uint8Array, envelopes: number, bytes: number): void {
    const usage = this.#usage(mailbox)
    usage.envelopes += envelopes
    usage.bytes += bytes
    if (usage.envelopes <= 0) {
      this.#ws.del(usageKey(mailbox))
    } else {
      this.#ws.put(usageKey(mailbox), encodeUsage(usage))
    }
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
