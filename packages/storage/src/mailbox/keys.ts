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
import { byteKey, concatScratch, copyBytes, readU64, scratchBytes, u64Bytes } from '../binary.js'
import { CURSOR_BYTES } from '../constants.js'
import { type KeyRange, type Keyspace, upperBound } from '../database.js'
import { FORMAT_TAG } from '../format.js'

const tag = (c: string): Uint8Array => Uint8Array.of(c.charCodeAt(0))

const GLOBAL = tag('g')
const ENVELOPE = tag('e')
const MAILBOX_LIST = tag('m')
const PAYLOAD = tag('p')
const QUEUE = tag('q')
const ENVELOPE_TAG = ENVELOPE[0]!
const QUEUE_TAG = QUEUE[0]!
const TWO_32 = 2 ** 32
const EXPIRY = tag('x')

export class MailboxKeys {
  readonly #ks: Keyspace
  /** Offset of the first field after the tag byte. */
  readonly #field: number

  constructor(ks: Keyspace) {
    this.#ks = ks
    this.#field = ks.prefix.byteLength + 1
  }

  /** A full key in scratch bytes: keys built here only go into batches, reads and ranges. */
  #key(...parts: readonly Uint8Array[]): Uint8Array {
    return concatScratch(this.#ks.prefix, ...parts)
  }

  format(): Uint8Array {
    return this.#key(FORMAT_TAG)
  }

  global(): Uint8Array {
    return this.#key(GLOBAL)
  }

  envelope(id: Uint8Array): Uint8Array {
    return this.#tagged(ENVELOPE_TAG, id, 0)
  }

  mailboxList(id: Uint8Array): Uint8Array {
    return this.#key(MAILBOX_LIST, id)
  }

  payload(id: Uint8Array): Uint8Array {
    return this.#key(PAYLOAD, id)
  }

  queue(mailbox: Uint8Array, seq: number): Uint8Array {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new RangeError('a queue sequence is a non-negative safe integer')
    }
    const key = this.#tagged(QUEUE_TAG, mailbox, 8)
    // big-endian, as u64Bytes writes it (built in place: one of the hottest paths of an ack)
    const at = this.#field + mailbox.byteLength
    let high = Math.floor(seq / TWO_32)
    let low = seq >>> 0
    for (let i = 3; i >= 0; i--) {
      key[at + i] = high & 0xff
      key[at + 4 + i] = low & 0xff
      high >>>= 8
      low >>>= 8
    }
    return key
  }

  /** prefix, tag, then `field`, then `extra` bytes left for the caller, in scratch bytes. */
  #tagged(tag: number, field: Uint8Array, extra: number): Uint8Array {
    const key = scratchBytes(this.#field + field.byteLength + extra)
    key.set(this.#ks.prefix, 0)
    key[this.#field - 1] = tag
    key.set(field, this.#field)
    return key
  }

  expiry(time: number, id: Uint8Array): Uint8Array {
    return this.#key(EXPIRY, u64Bytes(time), id)
  }

  /**
   * One mailbox's queue after a cursor (exclusive). A cursor is compared as a byte string, so one that
   * this store did not produce still gives a well-defined (if useless) page.
   */
  queueRange(mailbox: Uint8Array, after: Uint8Array | undefined): KeyRange {
    const prefix = this.#key(QUEUE, mailbox)
    const lt = upperBound(prefix)
    return after === undefined ? { gte: prefix, lt } : { gt: this.#key(QUEUE, mailbox, after), lt }
  }

  /** Every queue entry of every mailbox (for rebuilding usage counters). */
  allQueues(): KeyRange {
    const prefix = this.#key(QUEUE)
    return { gte: prefix, lt: upperBound(prefix) }
  }

  /** The mailbox of a queue key, as `byteKey(mailbox)` (no copy). */
  mailboxKeyOfQueueKey(key: Uint8Array): string {
    return byteKey(key.subarray(this.#field, this.#field + MAILBOX_ID_BYTES))
  }

  /** The cursor of a queue key: its sequence bytes. */
  cursorOfQueueKey(key: Uint8Array): Uint8Array {
    const start = this.#field + MAILBOX_ID_BYTES
    return copyBytes(key, start, start + CURSOR_BYTES)
  }

  /** Expiry index entries due at or before `now`. */
  expiryDue(now: number): KeyRange {
    return { gte: this.#key(EXPIRY), lt: this.#key(EXPIRY, u64Bytes(now + 1)) }
  }

  parseExpiryKey(key: Uint8Array): { time: number; id: Uint8Array } {
    return {
      time: readU64(key, this.#field, 'expiry index'),
      id: copyBytes(key, this.#field + 8, this.#field + 8 + ID_BYTES),
    }
  }
}

export const cursorOfSeq = (seq: number): Uint8Array => u64Bytes(seq)
