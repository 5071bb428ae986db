/**
 * The key layout of the relay mailbox store, under its keyspace prefix (sublevel 'relay-mailbox').
 * One ASCII tag byte per table, then fixed-width binary fields, big-endian so that byte order is
 * numeric order:
 *
 *   v                       → store format version
 *   g                       → global state (next sequence, stored envelopes and bytes)
 *   e envelopeId            → envelope record (live, or a delivered/expired tombstone)
 *   m envelopeId            → mailbox list of a live envelope listing more than INLINE_MAILBOXES
 *   p envelopeId            → payload (raw opaque bytes)
 *   q mailbox seq           → queue entry: the mailbox still holds the envelope deposited under seq
 *   x time envelopeId       → expiry index: payload expiry, or tombstone forget time
 *
 * A queue entry exists exactly while its mailbox has not acked (and the envelope has not expired):
 * it is the per-mailbox "pending" marker, the arrival order, and what the usage counters are
 * rebuilt from at open.
 */
import { ID_BYTES, MAILBOX_ID_BYTES } from '@ferry/wire'
import { byteKey, concatScratch, copyBytes, readU64, u64Bytes } from '../binary.js'
import { CURSOR_BYTES } from '../constants.js'
import { upperBound } from '../database.js'
import { FORMAT_TAG } from '../format.js'

const tag = (c) => Uint8Array.of(c.charCodeAt(0))
const GLOBAL = tag('g')
const ENVELOPE = tag('e')
const MAILBOX_LIST = tag('m')
const PAYLOAD = tag('p')
const QUEUE = tag('q')
const EXPIRY = tag('x')
export class MailboxKeys {
  #ks
  /** Offset of the first field after the tag byte. */
  #field
  constructor(ks) {
    this.#ks = ks
    this.#field = ks.prefix.byteLength + 1
  }
  /** A full key in scratch bytes: keys built here only go into batches, reads and ranges. */
  #key(...parts) {
    return concatScratch(this.#ks.prefix, ...parts)
  }
  format() {
    return this.#key(FORMAT_TAG)
  }
  global() {
    return this.#key(GLOBAL)
  }
  envelope(id) {
    return this.#key(ENVELOPE, id)
  }
  mailboxList(id) {
    return this.#key(MAILBOX_LIST, id)
  }
  payload(id) {
    return this.#key(PAYLOAD, id)
  }
  queue(mailbox, seq) {
    return this.#key(QUEUE, mailbox, u64Bytes(seq))
  }
  expiry(time, id) {
    return this.#key(EXPIRY, u64Bytes(time), id)
  }
  /**
   * One mailbox's queue after a cursor (exclusive). A cursor is compared as a byte string, so one that
   * this store did not produce still gives a well-defined (if useless) page.
   */
  queueRange(mailbox, after) {
    const prefix = this.#key(QUEUE, mailbox)
    const lt = upperBound(prefix)
    return after === undefined ? { gte: prefix, lt } : { gt: this.#key(QUEUE, mailbox, after), lt }
  }
  /** Every queue entry of every mailbox (for rebuilding usage counters). */
  allQueues() {
    const prefix = this.#key(QUEUE)
    return { gte: prefix, lt: upperBound(prefix) }
  }
  /** The mailbox of a queue key, as `byteKey(mailbox)` (no copy). */
  mailboxKeyOfQueueKey(key) {
    return byteKey(key.subarray(this.#field, this.#field + MAILBOX_ID_BYTES))
  }
  /** The cursor of a queue key: its sequence bytes. */
  cursorOfQueueKey(key) {
    const start = this.#field + MAILBOX_ID_BYTES
    return copyBytes(key, start, start + CURSOR_BYTES)
  }
  /** Expiry index entries due at or before `now`. */
  expiryDue(now) {
    return { gte: this.#key(EXPIRY), lt: this.#key(EXPIRY, u64Bytes(now + 1)) }
  }
  parseExpiryKey(key) {
    return {
      time: readU64(key, this.#field, 'expiry index'),
      id: copyBytes(key, this.#field + 8, this.#field + 8 + ID_BYTES),
    }
  }
}
export const cursorOfSeq = (seq) => u64Bytes(seq)
//# sourceMappingURL=keys.js.map
