/**
 * Test-only CryptoProvider over @noble/*, used by the record tests until the package's own providers
 * exist. Each method adapts one audited library call; nothing here is a primitive.
 */
import { gcm } from '@noble/ciphers/aes.js'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { randomBytes } from '@noble/hashes/utils.js'
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js'
import { AuthenticationError, InvalidKeyError } from '../../src/errors.js'
import type { CryptoProvider } from '../../src/provider/types.js'

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0)
}

export const testNobleProvider: CryptoProvider = {
  name: 'noble-test',
  randomBytes: (length) => randomBytes(length),
  sha256: async (data) => sha256(data),
  sha512: async (data) => sha512(data),
  hmacSha256: async (key, data) => hmac(sha256, key, data),
  hkdfSha256: async (ikm, salt, info, length) => hkdf(sha256, ikm, salt, info, length),
  aesGcmEncrypt: async (key, nonce, plaintext, aad) => gcm(key, nonce, aad).encrypt(plaintext),
  aesGcmDecrypt: async (key, nonce, sealed, aad) => {
    try {
      return gcm(key, nonce, aad).decrypt(sealed)
    } catch {
      throw new AuthenticationError('AES-GCM tag does not verify')
    }
  },
  x25519Keygen: async () => {
    const secretKey = x25519.utils.randomSecretKey()
    return { secretKey, publicKey: x25519.getPublicKey(secretKey) }
  },
  x25519PublicKey: async (secretKey) => x25519.getPublicKey(secretKey),
  x25519: async (secretKey, publicKey) => {
    let shared: Uint8Array
    try {
      shared = x25519.getSharedSecret(secretKey, publicKey)
    } catch {
      throw new InvalidKeyError('X25519: low-order public key')
    }
    if (isZero(shared)) {
      throw new InvalidKeyError('X25519: all-zero shared secret')
    }
    return shared
  },
  ed25519Keygen: async () => {
    const secretKey = ed25519.utils.randomSecretKey()
    return { secretKey, publicKey: ed25519.getPublicKey(secretKey) }
  },
  ed25519PublicKey: async (secretKey) => ed25519.getPublicKey(secretKey),
  ed25519Sign: async (secretKey, message) => ed25519.sign(message, secretKey),
  ed25519Verify: async (publicKey, message, signature) => {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false })
    } catch {
      return false
    }
  },
  mlKem768Keygen: async (seed) => ml_kem768.keygen(seed),
  mlKem768Encapsulate: async (publicKey, message) => {
    try {
      const { cipherText, sharedSecret } = ml_kem768.encapsulate(publicKey, message)
      return { ciphertext: cipherText, sharedSecret }
    } catch {
      throw new InvalidKeyError('ML-KEM-768: invalid encapsulation key')
    }
  },
  mlKem768Decapsulate: async (secretKey, ciphertext) => ml_kem768.decapsulate(ciphertext, secretKey),
}
