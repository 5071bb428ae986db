export type EnvelopeState = 'live' | 'delivered' | 'expired'
/**
 * One deposited envelope, keyed by its ID (deduplication, status).
 *
 * While `live`, its expiry index entry and the queue entries of the mailboxes that have not acked
 * exist, and its payload (inline in the queue entry when it lists one mailbox, else a payload record).
 * An envelope whose mailbox list is inline is not rewritten by acks: which mailboxes are pending is
 * read from the queue entries, and once none is, the record stays as the "delivered" answer until the
 * sweep removes it at `expiresAt`. An envelope with a separate list keeps `pending` up to date and turns
 * `delivered` when it reaches 0. When the TTL passes with mailboxes pending, the sweep makes it an
 * `expired` tombstone until `forgetAt`.
 */
export interface EnvelopeRecord {
  state: EnvelopeState
  depositedAt: number
  expiresAt: number
  /** Expired tombstones: when the record itself is deleted. 0 otherwise. */
  forgetAt: number
  /** Arrival sequence: the envelope's cursor in every mailbox that lists it. */
  seq: number
  payloadBytes: number
  /** Mailboxes listed at deposit. */
  total: number
  /**
   * Mailboxes that have not acked: kept up to date for a separate list; for an inline list written as
   * `total` at deposit and not maintained (the queue entries say); frozen when the envelope expired.
   */
  pending: number
  /** The listed mailboxes, while live and when `total <= INLINE_MAILBOXES` (else in a list record). */
  mailboxes: Uint8Array[] | undefined
}
export declare function encodeEnvelopeRecord(r: EnvelopeRecord): Uint8Array
export declare function decodeEnvelopeRecord(bytes: Uint8Array): EnvelopeRecord
/** The mailbox list of an envelope listing more than INLINE_MAILBOXES; written once, never changed. */
export declare function encodeMailboxList(mailboxes: readonly Uint8Array[]): Uint8Array
export declare function decodeMailboxList(bytes: Uint8Array): Uint8Array[]
/**
 * A mailbox's queue entry: enough to list it (with the payload itself when the envelope lists only this
 * mailbox) and to rebuild the mailbox's usage, without the envelope record.
 */
export interface QueueEntry {
  envelopeId: Uint8Array
  depositedAt: number
  expiresAt: number
  payloadBytes: number
  /** The payload, when stored here rather than in a payload record. */
  payload: Uint8Array | undefined
}
export declare function encodeQueueEntry(e: QueueEntry): Uint8Array
export declare function decodeQueueEntry(bytes: Uint8Array): QueueEntry
/** What a mailbox is charged against its quota: pending envelopes and their payload bytes. */
export interface Usage {
  envelopes: number
  bytes: number
}
/** Store-wide state, rewritten in every batch that changes it. */
export interface GlobalState {
  /** The next arrival sequence (cursor) to hand out; never reused. */
  nextSeq: number
  /** Live envelopes and their payload bytes (each payload counted once). */
  envelopes: number
  bytes: number
}
export declare function encodeGlobalState(g: GlobalState): Uint8Array
export declare function decodeGlobalState(bytes: Uint8Array): GlobalState
//# sourceMappingURL=records.d.ts.map
