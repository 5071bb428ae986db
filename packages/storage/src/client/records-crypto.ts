/**
 * Stored formats of the crypto stores' records: identity keys, key pairs (signed, KEM with its
 * last-resort flag, one-time), and the opaque session and sender-key records (already versioned by
 * the crypto layer; wrapped here in the store's own record version). Every record opens with
 * CLIENT_RECORD_VERSION; decoders copy, so a caller never holds a view into a database buffer.
 */
import { ByteReader } from '../binary.js'
import { InvalidRequestError } from '../errors.js'
import { RecordWriter, readBool } from './codec.js'
import { CLIENT_RECORD_VERSION, MAX_CRYPTO_RECORD_BYTES, MAX_KEY_BYTES } from './constants.js'
import { StoredKeyPair } from './redacted.js'
import type { KeyPair } from './types.js'

export function encodeIdentityKey(key: Uint8Array): Uint8Array {
  if (!(key instanceof Uint8Array) || key.byteLength === 0) {
    throw new InvalidRequestError('an identity key must be non-empty bytes')
  }
  return new RecordWriter().u8(CLIENT_RECORD_VERSION).blob(key, MAX_KEY_BYTES, 'an identity key').finish()
}

export function decodeIdentityKey(bytes: Uint8Array): Uint8Array {
  const r = new ByteReader(bytes, 'identity')
  r.version(CLIENT_RECORD_VERSION)
  const key = r.blob(MAX_KEY_BYTES)
  r.end()
  return key
}

/** A session or sender-key record: the version byte, then the crypto layer's bytes. */
export function encodeOpaque(record: Uint8Array, what: string): Uint8Array {
  if (!(record instanceof Uint8Array) || record.byteLength > MAX_CRYPTO_RECORD_BYTES) {
    throw new InvalidRequestError(`${what} must be at most ${MAX_CRYPTO_RECORD_BYTES} bytes`)
  }
  const out = new Uint8Array(1 + record.byteLength)
  out[0] = CLIENT_RECORD_VERSION
  out.set(record, 1)
  return out
}

export function decodeOpaque(bytes: Uint8Array, what: string): Uint8Array {
  const r = new ByteReader(bytes, what)
  r.version(CLIENT_RECORD_VERSION)
  return r.bytes(bytes.byteLength - 1)
}

export function writeKeyPair(w: RecordWriter, pair: KeyPair): void {
  if (typeof pair !== 'object' || pair === null) {
    throw new InvalidRequestError('a key pair is missing')
  }
  w.blob(pair.publicKey, MAX_KEY_BYTES, 'a public key').blob(pair.secretKey, MAX_KEY_BYTES, 'a secret key')
}

export function readKeyPair(r: ByteReader): StoredKeyPair {
  const publicKey = r.blob(MAX_KEY_BYTES)
  const secretKey = r.blob(MAX_KEY_BYTES)
  return new StoredKeyPair(publicKey, secretKey)
}

export function encodeKeyPair(pair: KeyPair): Uint8Array {
  const w = new RecordWriter().u8(CLIENT_RECORD_VERSION)
  writeKeyPair(w, pair)
  return w.finish()
}

export function decodeKeyPair(bytes: Uint8Array, what: string): StoredKeyPair {
  const r = new ByteReader(bytes, what)
  r.version(CLIENT_RECORD_VERSION)
  const pair = readKeyPair(r)
  r.end()
  return pair
}

export function encodeKemPreKey(pair: KeyPair, lastResort: boolean): Uint8Array {
  const w = new RecordWriter().u8(CLIENT_RECORD_VERSION)
  writeKeyPair(w, pair)
  return w.bool(lastResort === true).finish()
}

export function decodeKemPreKey(bytes: Uint8Array): { keyPair: StoredKeyPair; lastResort: boolean } {
  const r = new ByteReader(bytes, 'KEM pre-key')
  r.version(CLIENT_RECORD_VERSION)
  const keyPair = readKeyPair(r)
  const lastResort = readBool(r)
  r.end()
  return { keyPair, lastResort }
}

/** The value of a marker key (last-resort use, index entries): the record version alone. */
export const MARKER = Uint8Array.of(CLIENT_RECORD_VERSION)
