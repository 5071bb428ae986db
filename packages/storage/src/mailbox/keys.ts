/**
 * The key layout of the relay mailbox store, inside its own sublevel. One ASCII tag byte per table,
 * then fixed-width binary fields, big-endian so that byte order is numeric order:
 *
 *   v                          → store format version
 *   g                          → global state (next sequence, stored envelopes and bytes)
 *   e envelopeId               → envelope record (live, or a delivered/expired tombstone)
 *   p envelopeId               → payload (raw opaque bytes)
 *   r envelopeId mailbox       → recipient marker: this mailbox has not acked yet (value: its seq)
 *   q mailbox seq              → queue entry: the mailbox's pending envelopes in arrival order
 *   x time envelopeId          → expiry index: payload expiry or tombstone forget time
 *   u mailbox                  → usage counter (envelopes and bytes charged to the mailbox)
 */
import { ID_BYTES, MAILBOX_ID_BYTES } from '@ferry/wire'
import { concatBytes, copyBytes, prefixUpperBound, readU64, u64Bytes } from '../binary.js'
import { CURSOR_BYTES } from '../constants.js'
import { FORMAT_KEY } from '../format.js'

const tag = (c: string): Uint8Array => Uint8Array.of(c.charCodeAt(0))

const GLOBAL = tag('g')
const ENVELOPE = tag('e')
const PAYLOAD = tag('p')
const RECIPIENT = tag('r')
const QUEUE = tag('q')
const EXPIRY = tag('x')
const USAGE = tag('u')

export const formatKey = (): Uint8Array => FORMAT_KEY
export const globalKey = (): Uint8Array => GLOBAL
export const envelopeKey = (id: Uint8Array): Uint8Array => concatBytes(ENVELOPE, id)
export const payloadKey = (id: Uint8Array): Uint8Array => concatBytes(PAYLOAD, id)
export const recipientKey = (id: Uint8Array, mailbox: Uint8Array): Uint8Array =>
  concatBytes(RECIPIENT, id, mailbox)
export const queueKey = (mailbox: Uint8Array, seq: number): Uint8Array =>
  concatBytes(QUEUE, mailbox, u64Bytes(seq))
export const expiryKey = (time: number, id: Uint8Array): Uint8Array => concatBytes(EXPIRY, u64Bytes(time), id)
export const usageKey = (mailbox: Uint8Array): Uint8Array => concatBytes(USAGE, mailbox)

/** Range of one envelope's recipient markers. */
export function recipientRange(id: Uint8Array): { gte: Uint8Array; lt: Uint8Array } {
  const prefix = concatBytes(RECIPIENT, id)
  return { gte: prefix, lt: prefixUpperBound(prefix)! }
}

export function mailboxOfRecipientKey(key: Uint8Array): Uint8Array {
  return copyBytes(key, 1 + ID_BYTES, 1 + ID_BYTES + MAILBOX_ID_BYTES)
}

/**
 * Range of one mailbox's queue after a cursor (exclusive). A cursor is compared as a byte string, so
 * one that this store did not produce still gives a well-defined (if useless) page.
 */
export function queueRange(
  mailbox: Uint8Array,
  after: Uint8Array | undefined,
): { gt?: Uint8Array; gte?: Uint8Array; lt: Uint8Array } {
  const prefix = concatBytes(QUEUE, mailbox)
  const lt = prefixUpperBound(prefix)!
  return after === undefined ? { gte: prefix, lt } : { gt: concatBytes(prefix, after), lt }
}

/** The cursor of a queue key: its sequence bytes. */
export function cursorOfQueueKey(key: Uint8Array): Uint8Array {
  return copyBytes(key, 1 + MAILBOX_ID_BYTES, 1 + MAILBOX_ID_BYTES + CURSOR_BYTES)
}

/** Expiry index entries due at or before `now`. */
export function expiryDueRange(now: number): { gte: Uint8Array; lt: Uint8Array } {
  return { gte: EXPIRY, lt: concatBytes(EXPIRY, u64Bytes(now + 1)) }
}

export function parseExpiryKey(key: Uint8Array): { time: number; id: Uint8Array } {
  return { time: readU64(key, 1, 'expiry index'), id: copyBytes(key, 9, 9 + ID_BYTES) }
}

export const cursorOfSeq = (seq: number): Uint8Array => u64Bytes(seq)
