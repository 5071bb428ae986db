/**
 * The relay mailbox contract, as the mailbox protocol server in packages/transport asks for it
 * (packages/transport/src/mailbox/backend.ts declares the same shape; the two packages may not import
 * each other, so relay-node passes a MailboxStore where a MailboxBackend is expected). Keep both
 * declarations in step.
 */

/** 16 random bytes chosen by the sender; deposits are idempotent on it. */
export type EnvelopeId = Uint8Array
/** 32 bytes: SHA-256(mailbox public key || relay PeerId multihash bytes). */
export type MailboxId = Uint8Array

export interface DepositRequest {
  envelopeId: EnvelopeId
  /**
   * Opaque ciphertext (a sealed envelope or a group ciphertext). Kept by reference until the deposit
   * resolves (and handed to subscribers): the caller does not modify it afterwards.
   */
  payload: Uint8Array
  /** Every mailbox that must fetch it (1..max mailboxes per deposit); repeats count once. */
  mailboxes: MailboxId[]
  /** Requested lifetime; the store caps it by its configured maximum. Infinity asks for the maximum. */
  ttlMs: number
}

export type RefusalReason = 'too-large' | 'mailbox-full' | 'too-many-mailboxes' | 'storage-error' | 'expired'

export type DepositOutcome =
  /** Durable (fsync'd) when the promise resolves. */
  | { status: 'stored'; expiresAt: number }
  /** The same envelopeId is already stored (or was delivered recently): stored once. */
  | { status: 'duplicate'; expiresAt: number }
  | { status: 'refused'; reason: RefusalReason; mailbox?: MailboxId }

export interface StoredEnvelope {
  /** Opaque, strictly increasing per mailbox (arrival order). */
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
  /** At most this many envelopes (clamped to MAX_LIST_LIMIT). */
  limit: number
  /**
   * Stop adding envelopes once their payloads would exceed this many bytes (at least one envelope is
   * always returned, if any). Lets a caller fill one network frame.
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
  /** Status for anyone holding the envelope ID; undefined when never seen (or fully acked and forgotten). */
  status(envelopeId: EnvelopeId): Promise<EnvelopeStatus | undefined>
  /** Called after a deposit that lists `mailbox` is durable (live push). Returns an unsubscribe function. */
  subscribe(mailbox: MailboxId, listener: (envelope: StoredEnvelope) => void): () => void
}
