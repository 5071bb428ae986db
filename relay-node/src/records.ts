/**
 * The record checks the relay's pre-key and device-list services take, built from
 * `@ferry/crypto/records` (the relay may import nothing else of crypto: DESIGN §1). A relay only ever
 * verifies Ed25519 signatures on public records, so it runs those checks on a verification-only
 * CryptoProvider over node:crypto that applies the same Ed25519 policy as Ferry's providers (exact
 * lengths, S < L, canonical and not small-order A and R, then OpenSSL's verification); every other
 * operation throws. It holds no key and produces no secret.
 */
import { createHash, createPublicKey, randomFillSync, verify } from 'node:crypto'
import {
  ED25519_SMALL_ORDER_ENCODINGS,
  PreKeyKind,
  verifyDeviceCertificate,
  verifyDeviceList,
  verifySignedPreKey,
} from '@ferry/crypto/records'
import type { DeviceListVerifier, PreKeyUploadVerifier } from '@ferry/transport'
import { UnsupportedOperationError } from './errors.js'

/** The context the record functions take: `{ provider, now }`. */
export type RecordContext = Parameters<typeof verifyDeviceList>[0]
type Provider = RecordContext['provider']

/** The group order L, little-endian. */
const ED25519_ORDER_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
])
/** The field prime p = 2^255 - 19, little-endian. */
const FIELD_PRIME_LE = Uint8Array.from([0xed, ...new Array<number>(30).fill(0xff), 0x7f])
/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32 key bytes follow. */
const ED25519_SPKI_PREFIX = Uint8Array.from([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
])

/** a < b for 32-byte little-endian numbers at `offset` of `a`; bit 255 of `a` cleared when `mask`. */
function lessThanLE(a: Uint8Array, offset: number, b: Uint8Array, mask: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 && mask ? a[offset + i]! & 0x7f : a[offset + i]!
    if (x !== b[i]!) {
      return x < b[i]!
    }
  }
  return false
}

/** The point encoding at `offset` is canonical (y < p) and not one of the small-order encodings. */
function usablePoint(bytes: Uint8Array, offset: number): boolean {
  if (!lessThanLE(bytes, offset, FIELD_PRIME_LE, true)) {
    return false
  }
  return !ED25519_SMALL_ORDER_ENCODINGS.some((encoding) => {
    let diff = (bytes[offset + 31]! & 0x7f) ^ encoding[31]!
    for (let i = 0; i < 31; i++) {
      diff |= bytes[offset + i]! ^ encoding[i]!
    }
    return diff === 0
  })
}

function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (
    !(publicKey instanceof Uint8Array) ||
    !(signature instanceof Uint8Array) ||
    publicKey.byteLength !== 32 ||
    signature.byteLength !== 64 ||
    !lessThanLE(signature, 32, ED25519_ORDER_LE, false) ||
    !usablePoint(publicKey, 0) ||
    !usablePoint(signature, 0)
  ) {
    return false
  }
  try {
    const der = new Uint8Array(ED25519_SPKI_PREFIX.byteLength + 32)
    der.set(ED25519_SPKI_PREFIX)
    der.set(publicKey, ED25519_SPKI_PREFIX.byteLength)
    const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
    return verify(null, message, key, signature)
  } catch {
    return false
  }
}

function unsupported(operation: string): never {
  throw new UnsupportedOperationError(`a relay never performs ${operation}`)
}

/** The relay's verification-only provider. */
export const verifyingProvider: Provider = {
  name: 'relay-verify',
  randomBytes: (length) => randomFillSync(new Uint8Array(length)),
  sha256: async (data) => new Uint8Array(createHash('sha256').update(data).digest()),
  sha512: async (data) => new Uint8Array(createHash('sha512').update(data).digest()),
  ed25519Verify: async (publicKey, message, signature) => ed25519Verify(publicKey, message, signature),
  hmacSha256: async () => unsupported('HMAC'),
  hkdfSha256: async () => unsupported('HKDF'),
  aesGcmEncrypt: async () => unsupported('encryption'),
  aesGcmDecrypt: async () => unsupported('decryption'),
  x25519Keygen: async () => unsupported('key generation'),
  x25519PublicKey: async () => unsupported('key derivation'),
  x25519: async () => unsupported('X25519'),
  ed25519Keygen: async () => unsupported('key generation'),
  ed25519PublicKey: async () => unsupported('key derivation'),
  ed25519Sign: async () => unsupported('signing'),
  mlKem768Keygen: async () => unsupported('key generation'),
  mlKem768Encapsulate: async () => unsupported('encapsulation'),
  mlKem768Decapsulate: async () => unsupported('decapsulation'),
}

/**
 * Checks a pre-key upload: the certificate is signed by the account it names; the signed pre-key,
 * the last-resort KEM key and every one-time KEM key are signed by the certificate's device signing
 * key and of the right kind, and each one-time KEM record carries the ID it is stored under.
 * Undefined (the service answers INVALID_RECORD) when anything fails.
 */
export function preKeyUploadVerifier(now: () => number): PreKeyUploadVerifier {
  const ctx: RecordContext = { provider: verifyingProvider, now }
  return async (upload) => {
    try {
      const certificate = await verifyDeviceCertificate(ctx, upload.certificate)
      const key = certificate.signingKey
      await verifySignedPreKey(ctx, key, upload.signedPreKey, [PreKeyKind.SignedX25519])
      await verifySignedPreKey(ctx, key, upload.kemLastResort, [PreKeyKind.KemLastResort])
      for (const oneTime of upload.oneTimeKemPreKeys) {
        const verified = await verifySignedPreKey(ctx, key, oneTime.record, [PreKeyKind.KemOneTime])
        if (verified.id !== oneTime.id) {
          return undefined
        }
      }
      return { accountKey: certificate.accountKey, deviceId: certificate.deviceId, signingKey: key }
    } catch {
      return undefined
    }
  }
}

/**
 * Checks a device list: signed by the account it names, every certificate signed by that account, no
 * two devices sharing a key or mailbox. Whether its version is newer than the stored one is the
 * store's check, made atomically with the write.
 */
export function deviceListVerifier(now: () => number): DeviceListVerifier {
  const ctx: RecordContext = { provider: verifyingProvider, now }
  return async (record) => {
    try {
      const list = await verifyDeviceList(ctx, record)
      return { accountKey: list.accountKey, listVersion: list.listVersion }
    } catch {
      return undefined
    }
  }
}
