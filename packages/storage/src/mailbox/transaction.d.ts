import type { WriteSet } from '../write-set.js'
import type { MailboxKeys } from './keys.js'
import { type GlobalState, type Usage } from './records.js'
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
/** Where a usage overlay reads what it has not changed: the committed counters, or an earlier batch's overlay. */
export interface UsageSource {
  get(id: string): Usage | undefined
}
/** Per-mailbox usage as this batch sees it: the counters before it plus the batch's changes. */
export declare class UsageOverlay implements UsageSource {
  #private
  constructor(base: UsageSource)
  /** By `byteKey(mailbox)` (as a source for a later batch's overlay). */
  get(id: string): Usage | undefined
  of(mailbox: Uint8Array): Usage
  add(mailbox: Uint8Array, envelopes: number, bytes: number): void
  mark(): number
  rollback(mark: number): void
  /** The new usage of every mailbox this batch changed, keyed by `byteKey(mailbox)`. */
  changes(): ReadonlyMap<string, Usage>
}
export declare class MailboxTransaction {
  #private
  readonly stored: StoredDeposit[]
  readonly counts: TransactionCounts
  constructor(init: {
    ws: WriteSet
    keys: MailboxKeys
    policy: MailboxPolicy
    now: number
    global: GlobalState
    usage: UsageOverlay
  })
  get global(): GlobalState
  get usage(): UsageOverlay
  /**
   * Runs one request's changes; if it throws (a corrupt record), its changes are undone and the
   * rest of the batch is unaffected.
   */
  atomically<T>(apply: () => T): T
  /** Stores the envelope once, or says why not. Never evicts anything. */
  deposit(d: ValidDeposit): DepositOutcome
  /**
   * Removes this mailbox's copies of the given envelopes; returns how many it held. The queue entry of
   * (mailbox, envelope) is the pending marker: without it, the ack changes nothing.
   */
  ack(mailbox: MailboxId, ids: readonly Uint8Array[]): number
  /**
   * Handles one due expiry-index entry. A live envelope whose TTL passed: if every mailbox acked it
   * (delivered), the record goes; otherwise its payload and remaining copies go and it stays as an
   * expired tombstone (`separateList` is its mailbox list when not inline; the store loaded the queue
   * keys). A delivered record or expired tombstone whose time came goes. An entry that no longer
   * matches its record is dropped.
   */
  sweep(time: number, id: Uint8Array, separateList: readonly Uint8Array[] | undefined): void
  /** Adds the global state to the batch when it changed. */
  finish(): void
}
//# sourceMappingURL=transaction.d.ts.map
