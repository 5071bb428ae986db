import { type Database } from '../database.js'
import { type MailboxStats, type MailboxStoreInit, type SweepOptions, type SweepResult } from './options.js'
import { type Usage } from './records.js'
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
export declare class MailboxStore implements MailboxBackend {
  #private
  private constructor()
  /**
   * Opens the database if needed (StoreLockedError, StoreCorruptError, StoreOpenError), checks the
   * store's format version (StoreVersionError for a newer one), loads its global state and rebuilds the
   * usage counters from the queues (one pass over the queue entries).
   */
  static open(db: Database, init?: MailboxStoreInit): Promise<MailboxStore>
  deposit(
    request: DepositRequest,
    options?: {
      signal?: AbortSignal
    },
  ): Promise<DepositOutcome>
  ack(
    mailbox: MailboxId,
    envelopeIds: EnvelopeId[],
    options?: {
      signal?: AbortSignal
    },
  ): Promise<number>
  /**
   * Deletes the payloads whose TTL has passed (with every remaining mailbox copy) and forgets old
   * tombstones, at most `limit` index entries in one atomic batch, in line with deposits and acks.
   */
  sweepExpired(options?: SweepOptions): Promise<SweepResult>
  list(mailbox: MailboxId, options: ListOptions): Promise<StoredEnvelope[]>
  status(envelopeId: EnvelopeId): Promise<EnvelopeStatus | undefined>
  /** What a mailbox is charged against its quota (pending envelopes and payload bytes), as committed. */
  usage(mailbox: MailboxId): Promise<Usage>
  /** Counters for metrics (plain numbers, a snapshot). */
  stats(): MailboxStats
  subscribe(mailbox: MailboxId, listener: (envelope: StoredEnvelope) => void): () => void
  /** Refuses new requests, finishes every queued and in-flight batch, drops subscribers. Idempotent. */
  close(): Promise<void>
}
//# sourceMappingURL=mailbox-store.d.ts.map
