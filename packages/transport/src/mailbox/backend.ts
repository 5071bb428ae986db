/**
 * The storage a mailbox server needs, as an interface (DESIGN §1: transport does not import
 * storage). packages/storage implements it on LevelDB; relay-node wires the two together. The shape
 * is shared with packages/storage/src/mailbox/types.ts (see the relay contract): change both together.
 */

/** 16 random bytes chosen by the sender; deposits are idempotent on it. */
export type EnvelopeId = Uint8Array

/** 32 bytes: SHA-256(mailbox public key || relay PeerId multihash bytes). See `mailboxIdFor`. */
export type MailboxId = Uint8Array

export interface DepositRequest {
  envelopeId: EnvelopeId
  /** Opaque ciphertext (a sealed envelope or a group ciphertext). */
  payload: Uint8Array
  /** Every mailbox that must fetch it (1..MAX_DEPOSIT_MAILBOXES), without duplicates. */
  mailboxes: MailboxId[]
  /** Requested time to live; the store caps it by its configured maximum. */
  ttlMs: number
}

export type RefusalReason = 'too-large' | 'mailbox-full' | 'too-many-mailboxes' | 'storage-error' | 'expired'

export type DepositOutcome =
  /** Durable (fsync'd, group-committed) when the promise resolves. */
  | { status: 'stored'; expiresAt: number }
  /** The same envelope ID is already stored: stored once. */
  | { status: 'duplicate'; expiresAt: number }
  | { status: 'refused'; reason: RefusalReason; mailbox?: MailboxId }

export interface StoredEnvelope {
  /**
   * Opaque, strictly increasing per mailbox in arrival order, compared as byte strings. `list` never
   * later returns an envelope whose cursor sorts before one it has already returned for that mailbox
   * (the server pages with it, and sends a live deposit only if its cursor sorts after the last sent).
   */
  cursor: Uint8Array
  envelopeId: EnvelopeId
  payload: Uint8Array
  /** Relay clock, ms. */
  depositedAt: number
  expiresAt: number
}

export interface EnvelopeStatus {
  /** Mailboxes listed at deposit. */
  total: number
  /** Mailboxes that have not acked. */
  pending: number
  /** Removed by TTL before every mailbox acked. */
  expired: boolean
}

export interface ListOptions {
  /** Exclusive: only envelopes after this cursor. */
  after?: Uint8Array
  /** At most this many envelopes. */
  limit: number
  /**
   * Stop adding envelopes once their payloads would exceed this many bytes (at least one envelope is
   * always returned, if any), so one list fills about one page frame.
   */
  maxBytes?: number
  signal?: AbortSignal
}

export interface MailboxBackend {
  /** Resolves only after the write is durable (group-committed sync write). Never evicts. */
  deposit(request: DepositRequest, options?: { signal?: AbortSignal }): Promise<DepositOutcome>
  /** Pending envelopes of one mailbox after `after` (exclusive), in arrival order, at most `limit`. */
  list(mailbox: MailboxId, options: ListOptions): Promise<StoredEnvelope[]>
  /**
   * Acks per (mailbox, envelope). Returns how many of the given envelopes this mailbox held and has
   * now acked. An envelope's payload is deleted when every listed mailbox has acked it. Acks for
   * envelopes the mailbox does not hold change nothing. Durable when resolved.
   */
  ack(mailbox: MailboxId, envelopeIds: EnvelopeId[], options?: { signal?: AbortSignal }): Promise<number>
  /** Status for anyone holding the envelope ID; undefined when never seen (or acked and forgotten). */
  status(envelopeId: EnvelopeId): Promise<EnvelopeStatus | undefined>
  /** Called after a deposit that lists `mailbox` is durable (live push). Returns an unsubscribe function. */
  subscribe(mailbox: MailboxId, listener: (envelope: StoredEnvelope) => void): () => void
}
