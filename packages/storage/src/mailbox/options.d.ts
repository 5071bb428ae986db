import type { MailboxPolicy } from './transaction.js'
import type { RefusalReason } from './types.js'
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
  /** How long an expired envelope's status stays readable. Default 3 days; 0 forgets it at once. */
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
  /** Mailboxes holding at least one envelope. */
  mailboxes: number
  /** Since this process opened the store: envelopes stored, duplicates answered. */
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
export declare function resolvePolicy(init: MailboxStoreInit): MailboxPolicy
export declare function checkLength(bytes: Uint8Array, length: number, what: string): void
/** Checked copies of the mailbox IDs, without repeats, in the order given. */
export declare function uniqueMailboxes(mailboxes: readonly Uint8Array[]): Uint8Array[]
/** A failed read as a typed error (aborts and typed errors pass through). */
export declare function readError(err: unknown, what: string): Error
//# sourceMappingURL=options.d.ts.map
