/**
 * Stored formats of the relay mailbox store (apart from any wire format). Each structured record is a
 * fixed binary layout opening with a version byte (RECORD_VERSION); a record that does not decode
 * exactly is reported as StoreCorruptError. Payloads are stored as the opaque bytes they arrived as.
 */
import { ID_BYTES } from '@ferry/wire'
import { ByteReader, ByteWriter } from '../binary.js'
import { RECORD_VERSION } from '../constants.js'

export type EnvelopeState = 'live' | 'delivered' | 'expired'

const STATE_CODES: Record<EnvelopeState, number> = { live: 0, delivered: 1, expired: 2 }
const STATES: readonly EnvelopeState[] = ['live', 'delivered', 'expired']

/**
 * One deposited envelope. While live, its payload, queue entries and recipient markers exist; once
 * every mailbox acked (delivered) or its TTL passed (expired) only this record remains, as a
 * tombstone, until `forgetAt`.
 */
export interface EnvelopeRecord {
  state: EnvelopeState
  depositedAt: number
  expiresAt: number
  /** Tombstones: when the record itself is deleted. 0 while live. */
  forgetAt: number
  payloadBytes: number
  /** Mailboxes listed at deposit. */
  total: number
  /** Mailboxes that have not acked (frozen when the envelope expired). */
  pending: number
}

// version, state, depositedAt, expiresAt, forgetAt, payloadBytes, total, pending
const ENVELOPE_RECORD_BYTES = 1 + 1 + 8 + 8 + 8 + 4 + 4 + 4

export function encodeEnvelopeRecord(r: EnvelopeRecord): Uint8Array {
  return new ByteWriter(ENVELOPE_RECORD_BYTES)
    .u8(RECORD_VERSION)
    .u8(STATE_CODES[r.state])
    .u64(r.depositedAt)
    .u64(r.expiresAt)
    .u64(r.forgetAt)
    .u32(r.payloadBytes)
    .u32(r.total)
    .u32(r.pending)
    .finish()
}

export function decodeEnvelopeRecord(bytes: Uint8Array): EnvelopeRecord {
  const r = new ByteReader(bytes, 'envelope')
  r.version(RECORD_VERSION)
  const state = STATES[r.u8()]
  if (state === undefined) {
    throw r.corrupt('unknown envelope state')
  }
  const record: EnvelopeRecord = {
    state,
    depositedAt: r.u64(),
    expiresAt: r.u64(),
    forgetAt: r.u64(),
    payloadBytes: r.u32(),
    total: r.u32(),
    pending: r.u32(),
  }
  r.end()
  return record
}

/** A mailbox's queue entry: enough to list it without reading the envelope record. */
export interface QueueEntry {
  envelopeId: Uint8Array
  depositedAt: number
  expiresAt: number
}

const QUEUE_ENTRY_BYTES = 1 + ID_BYTES + 8 + 8

export function encodeQueueEntry(e: QueueEntry): Uint8Array {
  return new ByteWriter(QUEUE_ENTRY_BYTES)
    .u8(RECORD_VERSION)
    .bytes(e.envelopeId)
    .u64(e.depositedAt)
    .u64(e.expiresAt)
    .finish()
}

export function decodeQueueEntry(bytes: Uint8Array): QueueEntry {
  const r = new ByteReader(bytes, 'queue entry')
  r.version(RECORD_VERSION)
  const entry = { envelopeId: r.bytes(ID_BYTES), depositedAt: r.u64(), expiresAt: r.u64() }
  r.end()
  return entry
}

/** A recipient marker's value: the sequence under which the envelope sits in that mailbox's queue. */
export function encodeRecipient(seq: number): Uint8Array {
  return new ByteWriter(9).u8(RECORD_VERSION).u64(seq).finish()
}

export function decodeRecipient(bytes: Uint8Array): number {
  const r = new ByteReader(bytes, 'recipient marker')
  r.version(RECORD_VERSION)
  const seq = r.u64()
  r.end()
  return seq
}

/** What a mailbox is charged against its quota: pending envelopes and their payload bytes. */
export interface Usage {
  envelopes: number
  bytes: number
}

export function encodeUsage(u: Usage): Uint8Array {
  return new ByteWriter(13).u8(RECORD_VERSION).u32(u.envelopes).u64(u.bytes).finish()
}

export function decodeUsage(bytes: Uint8Array): Usage {
  const r = new ByteReader(bytes, 'mailbox usage')
  r.version(RECORD_VERSION)
  const usage = { envelopes: r.u32(), bytes: r.u64() }
  r.end()
  return usage
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
  return new ByteWriter(25).u8(RECORD_VERSION).u64(g.nextSeq).u64(g.envelopes).u64(g.bytes).finish()
}

export function decodeGlobalState(bytes: Uint8Array): GlobalState {
  const r = new ByteReader(bytes, 'global state')
  r.version(RECORD_VERSION)
  const state = { nextSeq: r.u64(), envelopes: r.u64(), bytes: r.u64() }
  r.end()
  return state
}
