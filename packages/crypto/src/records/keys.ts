/**
 * Account and device keys, and the public-key checks every record and session relies on: an X25519
 * key must not be of low order, an Ed25519 key must not be a small-order point. This module owns key
 * generation for records; it knows nothing of sessions or of the wire.
 */
import { isAllZero } from '../bytes.js'
import { InvalidKeyError } from '../errors.js'
import type { CryptoProvider, KeyPair } from '../provider/types.js'
import { Secret } from '../secret.js'

/** Length of X25519 and Ed25519 public keys and of an Ed25519 seed. */
export const PUBLIC_KEY_BYTES = 32

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  }
  return out
}

/**
 * Curve25519 u-coordinates of small order, as 32-byte little-endian encodings with the high bit
 * clear. This is libsodium's blocklist (`has_small_order` in
 * src/libsodium/crypto_scalarmult/curve25519/ref10/x25519_ref10.c), see also
 * https://cr.yp.to/ecdh.html#validate. RFC 7748 decoding ignores the high bit, so each entry also
 * stands for its encoding with bit 255 set; `assertX25519PublicKey` masks that bit before comparing.
 * A DH with any of these gives an all-zero (or attacker-known) shared secret whatever the scalar.
 */
export const X25519_LOW_ORDER_POINTS: readonly Uint8Array[] = [
  // 0 (order 4)
  '0000000000000000000000000000000000000000000000000000000000000000',
  // 1 (order 1)
  '0100000000000000000000000000000000000000000000000000000000000000',
  // 325606250916557431795983626356110631294008115727848805560023387167927233504 (order 8)
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  // 39382357235489614581723060781553021112529911719440698176882885853963445705823 (order 8)
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  // p - 1 (order 2)
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  // p, non-canonical 0 (order 4)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  // p + 1, non-canonical 1 (order 1)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(fromHex)

/**
 * Ed25519 point encodings whose y-coordinate (sign bit masked) is that of a small-order point:
 * libsodium's `ge25519_has_small_order` blocklist (src/libsodium/crypto_core/ed25519/ref10/ed25519_ref10.c).
 * They are the identity, the point of order 2, the two points of order 4 (y = 0), the four of order 8,
 * and the non-canonical encodings y = p and y = p + 1. A public key of small order lets one signature
 * verify for many messages under cofactored checks, and names no one: it is refused.
 */
export const ED25519_SMALL_ORDER_ENCODINGS: readonly Uint8Array[] = [
  // y = 0 (order 4)
  '0000000000000000000000000000000000000000000000000000000000000000',
  // y = 1, the identity (order 1)
  '0100000000000000000000000000000000000000000000000000000000000000',
  // y of the order-8 points, 2707385501144840649318225287225658788936804267575313519463743609750303402022
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  // y of the other order-8 points, 55188659117513257062467267217118295137698188065244968500265048394206261417927
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  // y = p - 1 (order 2)
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  // y = p, non-canonical 0 (order 4)
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  // y = p + 1, non-canonical 1 (order 1)
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map(fromHex)

/** True when `key` equals a listed encoding once bit 255 (the high bit of the last byte) is masked. */
function inBlocklist(key: Uint8Array, blocklist: readonly Uint8Array[]): boolean {
  let found = false
  for (const entry of blocklist) {
    // every byte of every entry is compared (no early exit), as libsodium does; the keys are public
    let diff = (key[31]! & 0x7f) ^ entry[31]!
    for (let i = 0; i < 31; i++) {
      diff |= key[i]! ^ entry[i]!
    }
    found = diff === 0 || found
  }
  return found
}

/**
 * Refuses an X25519 public key that is not 32 bytes, is all zero, or is a low-order point (any entry
 * of `X25519_LOW_ORDER_POINTS`, with or without bit 255 set), or is not the canonical encoding (bit 255
 * set, or u >= 2^255 - 19). Call it on every received X25519 key before it is used in a DH. `what`
 * names the key in the error (never its bytes).
 *
 * Why canonical: X25519 ignores bit 255 and reduces u mod p, so two encodings give the same DH result.
 * Every key Ferry generates is canonical; accepting only that encoding means no bit of a key in a
 * message can be flipped without changing the outcome (a PreKeyMessage's base key is not in the
 * associated data, so a flipped bit 255 would otherwise still decrypt).
 */
export function assertX25519PublicKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.byteLength !== PUBLIC_KEY_BYTES) {
    throw new InvalidKeyError(`${what}: an X25519 public key is ${PUBLIC_KEY_BYTES} bytes`)
  }
  if (isAllZero(key) || inBlocklist(key, X25519_LOW_ORDER_POINTS)) {
    throw new InvalidKeyError(`${what}: X25519 public key of low order`)
  }
  if (!isCanonicalX25519(key)) {
    throw new InvalidKeyError(`${what}: X25519 public key not canonically encoded`)
  }
}

/** Little-endian u < p = 2^255 - 19, with bit 255 clear. */
function isCanonicalX25519(key: Uint8Array): boolean {
  if ((key[31]! & 0x80) !== 0) {
    return false
  }
  // u >= p only when bytes 31..1 are 0x7f, 0xff, ..., 0xff and byte 0 >= 0xed
  if (key[31] !== 0x7f) {
    return true
  }
  for (let i = 30; i >= 1; i--) {
    if (key[i] !== 0xff) {
      return true
    }
  }
  return key[0]! < 0xed
}

/**
 * Refuses an Ed25519 public key that is not 32 bytes or is a small-order encoding (any entry of
 * `ED25519_SMALL_ORDER_ENCODINGS`, with either sign bit). Keys that do not decode to a curve point at
 * all are left to the provider's strict RFC 8032 verification, which rejects every signature under
 * them; this check is what stops the weak keys that do decode.
 */
export function assertEd25519PublicKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.byteLength !== PUBLIC_KEY_BYTES) {
    throw new InvalidKeyError(`${what}: an Ed25519 public key is ${PUBLIC_KEY_BYTES} bytes`)
  }
  if (inBlocklist(key, ED25519_SMALL_ORDER_ENCODINGS)) {
    throw new InvalidKeyError(`${what}: Ed25519 public key of small order`)
  }
}

/**
 * The account's Ed25519 key pair, held by the primary device. It signs device certificates and
 * device lists. The seed lives in a `Secret`; the object prints as `AccountKeyPair [redacted]` in
 * `String()`, `JSON.stringify` and `util.inspect`.
 */
export class AccountKeyPair {
  readonly publicKey: Uint8Array
  readonly secret: Secret

  private constructor(publicKey: Uint8Array, secret: Secret) {
    this.publicKey = publicKey
    this.secret = secret
  }

  /** A fresh account key from the provider's random source. */
  static async generate(provider: CryptoProvider): Promise<AccountKeyPair> {
    const pair = await provider.ed25519Keygen()
    return new AccountKeyPair(pair.publicKey, new Secret(pair.secretKey))
  }

  /** Rebuilds the key pair from its 32-byte Ed25519 seed (as stored). The seed is copied. */
  static async fromSecret(provider: CryptoProvider, seed: Uint8Array | Secret): Promise<AccountKeyPair> {
    const bytes = seed instanceof Secret ? seed.bytes : seed
    if (!(bytes instanceof Uint8Array) || bytes.byteLength !== PUBLIC_KEY_BYTES) {
      throw new InvalidKeyError(`account key: an Ed25519 seed is ${PUBLIC_KEY_BYTES} bytes`)
    }
    const copy = bytes.slice()
    const publicKey = await provider.ed25519PublicKey(copy)
    assertEd25519PublicKey(publicKey, 'account key')
    return new AccountKeyPair(publicKey, new Secret(copy))
  }

  toString(): string {
    return 'AccountKeyPair [redacted]'
  }

  toJSON(): string {
    return 'AccountKeyPair [redacted]'
  }

  [INSPECT](): string {
    return 'AccountKeyPair [redacted]'
  }
}

/** A device's two key pairs: X25519 for sessions (PQXDH, sealing), Ed25519 for signing its pre-keys. */
export interface DeviceKeys {
  readonly identityKeyPair: KeyPair
  readonly signingKeyPair: KeyPair
}

/** Fresh identity (X25519) and signing (Ed25519) key pairs for a new device. */
export async function generateDeviceKeys(provider: CryptoProvider): Promise<DeviceKeys> {
  const identityKeyPair = await provider.x25519Keygen()
  const signingKeyPair = await provider.ed25519Keygen()
  return { identityKeyPair, signingKeyPair }
}
