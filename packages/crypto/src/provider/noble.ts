/**
 * The @noble/* provider: pure JavaScript, audited, the same on every platform. It is the reference
 * fallback (browsers without WebCrypto X25519/Ed25519 use its curves) and the only ML-KEM-768 there
 * is: the ML-KEM functions below are shared by all three providers. It adapts the libraries to the
 * rules of provider/types.ts through the checks in checks.ts and implements no primitive itself.
 */
import { gcm } from '@noble/ciphers/aes.js'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { bytesToNumberLE, concatBytes, equalBytes } from '@noble/curves/utils.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js'
import { AuthenticationError, InvalidKeyError } from '../errors.js'
import { RedactedKeyPair } from '../secret.js'
import {
  checkAesGcm,
  checkHkdf,
  checkRandomLength,
  checkX25519Output,
  ED25519_KEY_BYTES,
  ed25519PreCheck,
  foreignError,
  ML_KEM_768_CIPHERTEXT_BYTES,
  ML_KEM_768_MESSAGE_BYTES,
  ML_KEM_768_PUBLIC_KEY_BYTES,
  ML_KEM_768_SECRET_KEY_BYTES,
  ML_KEM_768_SEED_BYTES,
  requireBytes,
  requireKey,
  requireKeyBytes,
  requireLength,
  X25519_KEY_BYTES,
} from './checks.js'
import type { CryptoProvider, KemEncapsulation, KeyPair } from './types.js'

/** Largest request to crypto.getRandomValues (WebCrypto §10.1.1). */
const GET_RANDOM_VALUES_MAX_BYTES = 65_536

/**
 * Fills `length` bytes from the platform CSPRNG (`globalThis.crypto.getRandomValues`, present in
 * browsers and Node >= 19).
 */
export function webRandomBytes(length: number): Uint8Array {
  checkRandomLength(length)
  const out = new Uint8Array(length)
  for (let offset = 0; offset < length; offset += GET_RANDOM_VALUES_MAX_BYTES) {
    globalThis.crypto.getRandomValues(out.subarray(offset, offset + GET_RANDOM_VALUES_MAX_BYTES))
  }
  return out
}

// ---- ML-KEM-768 (FIPS 203), shared by every provider ----

/** FIPS 203 ML-KEM.KeyGen_internal(d, z) from `seed` = d || z. */
export function mlKem768KeygenFromSeed(seed: Uint8Array): KeyPair {
  requireKey(seed, ML_KEM_768_SEED_BYTES, 'ML-KEM-768 seed')
  try {
    const { publicKey, secretKey } = ml_kem768.keygen(seed)
    return new RedactedKeyPair(publicKey, secretKey)
  } catch (err) {
    throw foreignError(err, 'ML-KEM-768 key generation')
  }
}

/**
 * FIPS 203 ML-KEM.Encaps_internal(ek, m). The encapsulation key passes the length and modulus checks
 * of FIPS 203 §7.2 or InvalidKeyError is thrown.
 */
export function mlKem768EncapsulateWith(publicKey: Uint8Array, message: Uint8Array): KemEncapsulation {
  requireKey(publicKey, ML_KEM_768_PUBLIC_KEY_BYTES, 'ML-KEM-768 public key')
  requireLength(message, ML_KEM_768_MESSAGE_BYTES, 'ML-KEM-768 encapsulation message')
  let result: { cipherText: Uint8Array; sharedSecret: Uint8Array }
  try {
    result = ml_kem768.encapsulate(publicKey, message)
  } catch {
    // Lengths are checked above: what noble refuses now is the modulus check (coefficients >= q).
    throw new InvalidKeyError('ML-KEM-768 public key fails the modulus check')
  }
  // noble returns a view into a 64-byte buffer whose other half it has wiped: hand out a tight copy.
  const sharedSecret = result.sharedSecret.slice()
  result.sharedSecret.fill(0)
  return { ciphertext: result.cipherText, sharedSecret }
}

/**
 * FIPS 203 ML-KEM.Decaps. A ciphertext of the right length that does not decrypt gives the implicit
 * rejection secret J(z || c), as the standard requires; a decapsulation key whose embedded hash
 * H(ek) does not match is refused with InvalidKeyError (the §7.3 input check).
 */
export function mlKem768DecapsulateWith(secretKey: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  requireKey(secretKey, ML_KEM_768_SECRET_KEY_BYTES, 'ML-KEM-768 secret key')
  requireLength(ciphertext, ML_KEM_768_CIPHERTEXT_BYTES, 'ML-KEM-768 ciphertext')
  let shared: Uint8Array
  try {
    shared = ml_kem768.decapsulate(ciphertext, secretKey)
  } catch {
    throw new InvalidKeyError('ML-KEM-768 secret key fails its hash check')
  }
  // On success noble returns a view into a 64-byte buffer (as in encapsulation): a tight copy.
  const out = shared.slice()
  shared.fill(0)
  return out
}

/** ML-KEM-768 key generation from a fresh seed drawn with `random`, wiped after use. */
export function mlKem768Keygen(random: (length: number) => Uint8Array, seed?: Uint8Array): KeyPair {
  if (seed !== undefined) {
    return mlKem768KeygenFromSeed(seed)
  }
  const fresh = random(ML_KEM_768_SEED_BYTES)
  try {
    return mlKem768KeygenFromSeed(fresh)
  } finally {
    fresh.fill(0)
  }
}

/** ML-KEM-768 encapsulation with a fresh message drawn with `random`, wiped after use. */
export function mlKem768Encapsulate(
  random: (length: number) => Uint8Array,
  publicKey: Uint8Array,
  message?: Uint8Array,
): KemEncapsulation {
  if (message !== undefined) {
    return mlKem768EncapsulateWith(publicKey, message)
  }
  const fresh = random(ML_KEM_768_MESSAGE_BYTES)
  try {
    return mlKem768EncapsulateWith(publicKey, fresh)
  } finally {
    fresh.fill(0)
  }
}

// ---- the curves, also used by the WebCrypto provider where the platform lacks them ----

export function nobleX25519PublicKey(secretKey: Uint8Array): Uint8Array {
  requireKey(secretKey, X25519_KEY_BYTES, 'X25519 secret key')
  try {
    return x25519.getPublicKey(secretKey)
  } catch (err) {
    throw foreignError(err, 'X25519 public key')
  }
}

export function nobleX25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  requireKey(secretKey, X25519_KEY_BYTES, 'X25519 secret key')
  requireKey(publicKey, X25519_KEY_BYTES, 'X25519 public key')
  let shared: Uint8Array
  try {
    shared = x25519.getSharedSecret(secretKey, publicKey)
  } catch {
    // noble refuses exactly the all-zero result (a low-order public key).
    throw new InvalidKeyError('X25519 public key has low order (all-zero shared secret)')
  }
  return checkX25519Output(shared)
}

export function nobleEd25519PublicKey(secretKey: Uint8Array): Uint8Array {
  requireKey(secretKey, ED25519_KEY_BYTES, 'Ed25519 secret key')
  try {
    return ed25519.getPublicKey(secretKey)
  } catch (err) {
    throw foreignError(err, 'Ed25519 public key')
  }
}

export function nobleEd25519Sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  requireKey(secretKey, ED25519_KEY_BYTES, 'Ed25519 secret key')
  requireBytes(message, 'Ed25519 message')
  try {
    return ed25519.sign(message, secretKey)
  } catch (err) {
    throw foreignError(err, 'Ed25519 signing')
  }
}

/**
 * Ed25519 verification under Ferry's policy (checks.ts): the shared pre-checks, noble's strict
 * RFC 8032 verification (cofactored), and then the cofactorless equation R = [S]B - [k]A that
 * OpenSSL and BoringSSL check, computed with noble's point arithmetic, so that a signature crafted
 * with a torsion component verifies nowhere rather than only here.
 */
export function nobleEd25519Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  requireBytes(message, 'Ed25519 message')
  if (!ed25519PreCheck(publicKey, signature)) {
    return false
  }
  try {
    if (!ed25519.verify(signature, message, publicKey, { zip215: false })) {
      return false
    }
    const Point = ed25519.Point
    const r = signature.subarray(0, 32)
    const s = bytesToNumberLE(signature.subarray(32, 64))
    const k = Point.Fn.create(bytesToNumberLE(sha512(concatBytes(r, publicKey, message))))
    const A = Point.fromBytes(publicKey, false)
    const check = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k)).toBytes()
    return equalBytes(check, r)
  } catch {
    return false
  }
}

// ---- the provider ----

function nobleAesGcmDecrypt(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  checkAesGcm(key, nonce, sealed, aad, true)
  try {
    return gcm(key, nonce, aad).decrypt(sealed)
  } catch {
    throw new AuthenticationError('AES-GCM tag did not verify')
  }
}

export const nobleProvider: CryptoProvider = {
  name: 'noble',

  randomBytes: webRandomBytes,

  async sha256(data) {
    requireBytes(data, 'SHA-256 input')
    return sha256(data)
  },

  async sha512(data) {
    requireBytes(data, 'SHA-512 input')
    return sha512(data)
  },

  async hmacSha256(key, data) {
    requireKeyBytes(key, 'HMAC key')
    requireBytes(data, 'HMAC input')
    return hmac(sha256, key, data)
  },

  async hkdfSha256(ikm, salt, info, length) {
    checkHkdf(ikm, salt, info, length)
    try {
      return hkdf(sha256, ikm, salt, info, length)
    } catch (err) {
      throw foreignError(err, 'HKDF-SHA-256')
    }
  },

  async aesGcmEncrypt(key, nonce, plaintext, aad) {
    checkAesGcm(key, nonce, plaintext, aad, false)
    try {
      return gcm(key, nonce, aad).encrypt(plaintext)
    } catch (err) {
      throw foreignError(err, 'AES-GCM encryption')
    }
  },

  async aesGcmDecrypt(key, nonce, sealed, aad) {
    return nobleAesGcmDecrypt(key, nonce, sealed, aad)
  },

  async x25519Keygen() {
    const secretKey = webRandomBytes(X25519_KEY_BYTES)
    return new RedactedKeyPair(nobleX25519PublicKey(secretKey), secretKey)
  },

  async x25519PublicKey(secretKey) {
    return nobleX25519PublicKey(secretKey)
  },

  async x25519(secretKey, publicKey) {
    return nobleX25519(secretKey, publicKey)
  },

  async ed25519Keygen() {
    const secretKey = webRandomBytes(ED25519_KEY_BYTES)
    return new RedactedKeyPair(nobleEd25519PublicKey(secretKey), secretKey)
  },

  async ed25519PublicKey(secretKey) {
    return nobleEd25519PublicKey(secretKey)
  },

  async ed25519Sign(secretKey, message) {
    return nobleEd25519Sign(secretKey, message)
  },

  async ed25519Verify(publicKey, message, signature) {
    return nobleEd25519Verify(publicKey, message, signature)
  },

  async mlKem768Keygen(seed) {
    return mlKem768Keygen(webRandomBytes, seed)
  },

  async mlKem768Encapsulate(publicKey, message) {
    return mlKem768Encapsulate(webRandomBytes, publicKey, message)
  },

  async mlKem768Decapsulate(secretKey, ciphertext) {
    return mlKem768DecapsulateWith(secretKey, ciphertext)
  },
}
