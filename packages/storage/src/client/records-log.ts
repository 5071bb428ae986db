/**
 * Stored formats of the event log (events and the last assigned cursor), of inbox dedup entries and of
 * held group envelopes.
 */
import { ByteReader } from '../binary.js'
import { RecordWriter, readString } from './codec.js'
import {
  CLIENT_RECORD_VERSION,
  MAX_EVENT_PAYLOAD_BYTES,
  MAX_EVENT_TYPE_BYTES,
  MAX_STORED_ENVELOPE_BYTES,
} from './constants.js'
import type { EventDraft } from './types.js'

export function encodeEvent(e: EventDraft): Uint8Array {
  return new RecordWriter()
    .u8(CLIENT_RECORD_VERSION)
    .string(e.type, MAX_EVENT_TYPE_BYTES, 'an event type')
    .blob(e.payload, MAX_EVENT_PAYLOAD_BYTES, 'an event payload')
    .finish()
}

export function decodeEvent(bytes: Uint8Array): EventDraft {
  const r = new ByteReader(bytes, 'event')
  r.version(CLIENT_RECORD_VERSION)
  const type = readString(r, MAX_EVENT_TYPE_BYTES)
  const payload = r.blob(MAX_EVENT_PAYLOAD_BYTES)
  r.end()
  return { type, payload }
}

/** A u64 with the record version in front: the event counter and a seen entry's time. */
export function encodeNumber(n: number, what: string): Uint8Array {
  return new RecordWriter().u8(CLIENT_RECORD_VERSION).u64(n, what).finish()
}

export function decodeNumber(bytes: Uint8Array, what: string): number {
  const r = new ByteReader(bytes, what)
  r.version(CLIENT_RECORD_VERSION)
  const n = r.u64()
  r.end()
  return n
}

export function encodeHeld(envelope: Uint8Array): Uint8Array {
  return new RecordWriter()
    .u8(CLIENT_RECORD_VERSION)
    .blob(envelope, MAX_STORED_ENVELOPE_BYTES, 'a held envelope')
    .finish()
}

export function decodeHeld(bytes: Uint8Array): Uint8Array {
  const r = new ByteReader(bytes, 'held envelope')
  r.version(CLIENT_RECORD_VERSION)
  const envelope = r.blob(MAX_STORED_ENVELOPE_BYTES)
  r.end()
  return envelope
}
