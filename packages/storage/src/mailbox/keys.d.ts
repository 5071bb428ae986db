import { type KeyRange, type Keyspace } from '../database.js'
export declare class MailboxKeys {
  #private
  constructor(ks: Keyspace)
  format(): Uint8Array
  global(): Uint8Array
  envelope(id: Uint8Array): Uint8Array
  mailboxList(id: Uint8Array): Uint8Array
  payload(id: Uint8Array): Uint8Array
  queue(mailbox: Uint8Array, seq: number): Uint8Array
  expiry(time: number, id: Uint8Array): Uint8Array
  /**
   * One mailbox's queue after a cursor (exclusive). A cursor is compared as a byte string, so one that
   * this store did not produce still gives a well-defined (if useless) page.
   */
  queueRange(mailbox: Uint8Array, after: Uint8Array | undefined): KeyRange
  /** Every queue entry of every mailbox (for rebuilding usage counters). */
  allQueues(): KeyRange
  /** The mailbox of a queue key, as `byteKey(mailbox)` (no copy). */
  mailboxKeyOfQueueKey(key: Uint8Array): string
  /** The cursor of a queue key: its sequence bytes. */
  cursorOfQueueKey(key: Uint8Array): Uint8Array
  /** Expiry index entries due at or before `now`. */
  expiryDue(now: number): KeyRange
  parseExpiryKey(key: Uint8Array): {
    time: number
    id: Uint8Array
  }
}
export declare const cursorOfSeq: (seq: number) => Uint8Array
//# sourceMappingURL=keys.d.ts.map
