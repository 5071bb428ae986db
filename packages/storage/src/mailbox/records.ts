/**
 * Stored formats of the relay mailbox store (apart from any wire format). Each structured record is a
 * fixed binary layout opening with a version byte (RECORD_VERSION); a record that does not decode
 * exactly is reported as StoreCorruptError. Payloads are stored as the opaque bytes they arrived as.
 * Encoders write into scratch bytes: their output only goes into a write batch.
 */
import { ID_BYTES, MAILBOX_ID_BYTES } from '@ferry/wire'
import { ByteReader, ByteWriter } from '../binary.js'
import { INLINE_MAILBOXES, RECORD_VERSION } from '../constants.js'

export type EnvelopeState = 'live' | 'delivered' | 'expired'

const STATE_CODES: Record<EnvelopeState, number> = { live: 0, delivered: 1, expired: 2 }
const STATES: readonly EnvelopeState[] = ['live', 'delivered', 'expired']

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

// version, state, depositedAt, expiresAt, forgetAt, seq, payloadBytes, total, pending, inline count
const ENVELOPE_FIXED_BYTES = 1 + 1 + 8 + 8 + 8 + 8 + 4 + 4 + 4 + 2

export function encodeEnvelopeRecord(r: EnvelopeRecord): Uint8Array {
  const inline = r.mailboxes ?? []
  const w = new ByteWriter(ENVELOPE_FIXED_BYTES + inline.length * MAILBOX_ID_BYTES, true)
    .u8(RECORD_VERSION)
    .u8(STATE_CODES[r.state])
    .u64(r.depositedAt)
    .u64(r.expiresAt)
    .u64(r.forgetAt)
    .u64(r.seq)
    .u32(r.payloadBytes)
    .u32(r.total)
    .u32(r.pending)
    .u16(inline.length)
  for (const mailbox of inline) {
    w.bytes(mailbox)
  }
  return w.finish()
}

export function decodeEnvelopeRecord(bytes: Uint8Array): EnvelopeRecord {
  const r = new ByteReader(bytes, 'envelope')
  r.version(RECORD_VERSION)
  const state = STATES[r.u8()]
  if (state === undefined) {
    throw r.corrupt('unknown envelope state')
  }
  const depositedAt = r.u64()
  const expiresAt = r.u64()
  const forgetAt = r.u64()
  const seq = r.u64()
  const payloadBytes = r.u32()
  const total = r.u32()
  const pending = r.u32()
  const inline = r.u16()
  if (inline > INLINE_MAILBOXES || (inline > 0 && (state !== 'live' || inline !== total))) {
    throw r.corrupt('inconsistent inline mailbox list')
  }
  const mailboxes: Uint8Array[] = []
  for (let i = 0; i < inline; i++) {
    mailboxes.push(r.bytes(MAILBOX_ID_BYTES))
  }
  r.end()
  return {
    state,
    depositedAt,
    expiresAt,
    forgetAt,
    seq,
    payloadBytes,
    total,
    pending,
    mailboxes: inline > 0 ? mailboxes : undefined,
  }
}

/** The mailbox list of an envelope listing more than INLINE_MAILBOXES; written once, never changed. */
export function encodeMailboxList(mailboxes: readonly Uint8Array[]): Uint8Array {
  const w = new ByteWriter(1 + 4 + mailboxes.length * MAILBOX_ID_BYTES, true)
    .u8(RECORD_VERSION)
    .u32(mailboxes.length)
  for (const mailbox of mailboxes) {
    w.bytes(mailbox)
  }
  return w.finish()
}

export function decodeMailboxList(bytes: Uint8Array): Uint8Array[] {
  const r = new ByteReader(bytes, 'mailbox list')
  r.version(RECORD_VERSION)
  // a count larger than the record holds ends in a truncation error, never a large allocation
  const count = r.u32()
  const mailboxes: Uint8Array[] = []
  for (let i = 0; i < count; i++) {
    mailboxes.push(r.bytes(MAILBOX_ID_BYTES))
  }
  r.end()
  return mailboxes
}

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

const QUEUE_ENTRY_FIXED_BYTES = 1 + ID_BYTES + 8 + 8 + 4 + 1
const INLINE_PAYLOAD = 1

export function encodeQueueEntry(e: QueueEntry): Uint8Array {
  const w = new ByteWriter(QUEUE_ENTRY_FIXED_BYTES + (e.payload?.byteLength ?? 0), true)
    .u8(RECORD_VERSION)
    .bytes(e.envelopeId)
    .u64(e.depositedAt)
    .u64(e.expiresAt)
    .u32(e.payloadBytes)
    .u8(e.payload === undefined ? 0 : INLINE_PAYLOAD)
  if (e.payload !== undefined) {
    w.bytes(e.payload)
  }
  return w.finish()
}

export function decodeQueueEntry(bytes: Uint8Array): QueueEntry {
  const r = new ByteReader(bytes, 'queue entry')
  r.version(RECORD_VERSION)
  const envelopeId = r.bytes(ID_BYTES)
  const depositedAt = r.u64()
  const expiresAt = r.u64()
  const payloadBytes = r.u32()
  const flags = r.u8()
  if ((flags & ~INLINE_PAYLOAD) !== 0) {
    throw r.corrupt('unknown flags')
  }
  const payload = flags === INLINE_PAYLOAD ? r.view(payloadBytes) : undefined
  r.end()
  return { envelopeId, depositedAt, expiresAt, payloadBytes, payload }
}

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

export function encodeGlobalState(g: GlobalState): Uint8Array {
  return new ByteWriter(25, true).u8(RECORD_VERSION).u64(g.nextSeq).u64(g.envelopes).u64(g.bytes).finish()
}

export function decodeGlobalState(bytes: Uint8Array): GlobalState {
  const r = new ByteReader(bytes, 'global state')
  r.version(RECORD_VERSION)
  const state = { nextSeq: r.u64(), envelopes: r.u64(), bytes: r.u64() }
  r.end()
  return state
}
