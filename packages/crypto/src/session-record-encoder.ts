/**
 * A direct encoder for the stored session record: exactly the bytes of the protons-generated
 * `SessionRecord.encode` (proto/session-state.proto), written into one array sized beforehand. A
 * record is encoded on every save, i.e. on every message sent or received; protons builds an object per
 * field and per nested message first, which made the encoding a third of the memory a ping-pong
 * message allocates. The tests compare both encoders on arbitrary records.
 *
 * Owns: the proto3 rules the generated encoder follows (a bytes field is written when non-empty, a
 * plain uint32 when non-zero, an `optional` uint32 and a message field when present, repeated fields
 * in order; nested messages length-delimited; the record itself not). Any value outside the plain
 * ranges (a uint32 that is not an integer from 0 to 2^32 - 1, a time that is not a safe non-negative
 * integer) is left to protons, so the output never differs. Decoding stays with protons.
 */
import { allocUnsafe } from 'uint8arrays/alloc'
import { CryptoError } from './errors.js'
import {
  type ChainState,
  type PendingPreKey,
  type ReceivingChain,
  SessionRecord as SessionRecordPb,
  type SessionState,
  type SkippedKey,
} from './proto/session-state.js'

/** The fields of a stored record, as `encodeSessionRecord` hands them over. */
export interface SessionRecordFields {
  version: number
  current: SessionState | undefined
  archived: readonly SessionState[]
}

const U32_MAX = 0xffff_ffff
/** Fields up to this size are copied byte by byte (`Uint8Array.set` has a fixed cost per call). */
const SHORT_COPY_BYTES = 64

/** Cleared by the sizing pass when a value needs protons' own handling (reset before each record). */
let plain = true

function u32(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    plain = false
  }
  return value
}

function varintSize(value: number): number {
  let size = 1
  while (value >= 0x80) {
    value = Math.floor(value / 0x80)
    size++
  }
  return size
}

/** A bytes field: tag, length, bytes; absent when empty. */
function bytesSize(bytes: Uint8Array | undefined): number {
  return bytes == null || bytes.byteLength === 0 ? 0 : 1 + varintSize(bytes.byteLength) + bytes.byteLength
}

/** A plain uint32 field: absent when zero. */
function u32Size(value: number | undefined): number {
  return value == null || value === 0 ? 0 : 1 + varintSize(u32(value))
}

/** A nested message of `size` bytes behind its tag and length. */
function messageSize(size: number): number {
  return 1 + varintSize(size) + size
}

function chainSize(c: ChainState): number {
  return bytesSize(c.key) + u32Size(c.index)
}

function receivingSize(r: ReceivingChain): number {
  return bytesSize(r.ratchetKey) + (r.chain == null ? 0 : messageSize(chainSize(r.chain)))
}

function skippedSize(s: SkippedKey): number {
  return bytesSize(s.ratchetKey) + u32Size(s.index) + bytesSize(s.messageKey)
}

function pendingSize(p: PendingPreKey): number {
  return (
    u32Size(p.signedPreKeyId) +
    (p.oneTimePreKeyId == null ? 0 : 1 + varintSize(u32(p.oneTimePreKeyId))) +
    u32Size(p.kemPreKeyId) +
    bytesSize(p.baseKey) +
    bytesSize(p.kemCiphertext)
  )
}

function stateSize(s: SessionState): number {
  let size =
    bytesSize(s.localIdentityKey) +
    bytesSize(s.remoteIdentityKey) +
    bytesSize(s.rootKey) +
    bytesSize(s.sendingRatchetPublic) +
    bytesSize(s.sendingRatchetSecret) +
    (s.sendingChain == null ? 0 : messageSize(chainSize(s.sendingChain))) +
    u32Size(s.previousCounter)
  for (const r of s.receivingChains ?? []) {
    size += messageSize(receivingSize(r))
  }
  for (const k of s.skippedKeys ?? []) {
    size += messageSize(skippedSize(k))
  }
  if (s.pendingPreKey != null) {
    size += messageSize(pendingSize(s.pendingPreKey))
  }
  size += bytesSize(s.baseKey)
  const createdAt = s.createdAt
  if (createdAt != null && createdAt !== 0) {
    if (!Number.isSafeInteger(createdAt) || createdAt < 0) {
      plain = false
    }
    size += 1 + varintSize(createdAt)
  }
  return size
}

function recordSize(r: SessionRecordFields): number {
  let size = u32Size(r.version)
  if (r.current != null) {
    size += messageSize(stateSize(r.current))
  }
  for (const s of r.archived) {
    size += messageSize(stateSize(s))
  }
  return size
}

/** Writes into one preallocated array; every value was range-checked by the sizing pass. */
class Writer {
  readonly out: Uint8Array
  pos = 0

  constructor(size: number) {
    // as protons does: from the platform's pool of small buffers where there is one (Node), which
    // is far cheaper than an array of its own. Uninitialised: `encodeSessionRecordFields` checks
    // that every byte was written before it returns the array.
    this.out = allocUnsafe(size)
  }

  varint(value: number): void {
    const out = this.out
    while (value >= 0x80) {
      out[this.pos++] = (value % 0x80) | 0x80
      value = Math.floor(value / 0x80)
    }
    out[this.pos++] = value
  }

  bytes(tag: number, bytes: Uint8Array | undefined): void {
    if (bytes != null && bytes.byteLength > 0) {
      this.out[this.pos++] = tag
      const length = bytes.byteLength
      this.varint(length)
      const out = this.out
      let pos = this.pos
      if (length > SHORT_COPY_BYTES) {
        out.set(bytes, pos)
        pos += length
      } else {
        // keys and chain keys: a loop is cheaper than `set` for a few dozen bytes
        for (let i = 0; i < length; i++) {
          out[pos++] = bytes[i]!
        }
      }
      this.pos = pos
    }
  }

  u32(tag: number, value: number | undefined): void {
    if (value != null && value !== 0) {
      this.out[this.pos++] = tag
      this.varint(value)
    }
  }

  /** A tag and a varint: a nested message's header (its length), or a uint32 written even when 0. */
  tagged(tag: number, value: number): void {
    this.out[this.pos++] = tag
    this.varint(value)
  }
}

// tags: (field number << 3) | wire type (0 varint, 2 length-delimited)

function writeChain(w: Writer, tag: number, c: ChainState): void {
  w.tagged(tag, chainSize(c))
  w.bytes(0x0a, c.key)
  w.u32(0x10, c.index)
}

function writeState(w: Writer, tag: number, s: SessionState): void {
  w.tagged(tag, stateSize(s))
  w.bytes(0x0a, s.localIdentityKey)
  w.bytes(0x12, s.remoteIdentityKey)
  w.bytes(0x1a, s.rootKey)
  w.bytes(0x22, s.sendingRatchetPublic)
  w.bytes(0x2a, s.sendingRatchetSecret)
  if (s.sendingChain != null) {
    writeChain(w, 0x32, s.sendingChain)
  }
  w.u32(0x38, s.previousCounter)
  for (const r of s.receivingChains ?? []) {
    w.tagged(0x42, receivingSize(r))
    w.bytes(0x0a, r.ratchetKey)
    if (r.chain != null) {
      writeChain(w, 0x12, r.chain)
    }
  }
  for (const k of s.skippedKeys ?? []) {
    w.tagged(0x4a, skippedSize(k))
    w.bytes(0x0a, k.ratchetKey)
    w.u32(0x10, k.index)
    w.bytes(0x1a, k.messageKey)
  }
  const p = s.pendingPreKey
  if (p != null) {
    w.tagged(0x52, pendingSize(p))
    w.u32(0x08, p.signedPreKeyId)
    if (p.oneTimePreKeyId != null) {
      w.tagged(0x10, p.oneTimePreKeyId)
    }
    w.u32(0x18, p.kemPreKeyId)
    w.bytes(0x22, p.baseKey)
    w.bytes(0x2a, p.kemCiphertext)
  }
  w.bytes(0x5a, s.baseKey)
  w.u32(0x60, s.createdAt)
}

/** The protobuf encoding of a stored session record, byte for byte what protons would produce. */
export function encodeSessionRecordFields(record: SessionRecordFields): Uint8Array {
  plain = true
  const size = recordSize(record)
  if (!plain) {
    return SessionRecordPb.encode({ ...record, archived: [...record.archived] })
  }
  const w = new Writer(size)
  w.u32(0x08, record.version)
  if (record.current != null) {
    writeState(w, 0x12, record.current)
  }
  for (const s of record.archived) {
    writeState(w, 0x1a, s)
  }
  if (w.pos !== size) {
    // never reached (both passes follow the same rules), but unwritten bytes must never go out
    w.out.fill(0)
    throw new CryptoError('session record encoding: sizing and writing disagree')
  }
  return w.out
}
