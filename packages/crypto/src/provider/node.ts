/**
 * The node:crypto provider (OpenSSL): the default in Node and the one the Double Ratchet benchmark
 * runs on. Node 20 has no ML-KEM-768: random key generation, random encapsulation and decapsulation
 * run liboqs's in WebAssembly (ml-kem-liboqs.ts), the seeded variants noble's. Every input passes
 * the shared checks of checks.ts first, so this provider accepts and refuses exactly what the others
 * do; results are plain Uint8Array views of the Buffers node:crypto returns (no copy, no Buffer API).
 * Raw keys become KeyObjects through JWK, the fast raw-key path of node:crypto.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type KeyObject,
  randomFillSync,
  sign,
  verify,
} from 'node:crypto'
import { constantTimeEqual } from '../bytes.js'
import { AuthenticationError, CryptoError, InvalidKeyError } from '../errors.js'
import { RedactedKeyPair } from '../secret.js'
import {
  AES_GCM_TAG_BYTES,
  checkAesGcm,
  checkHkdf,
  checkRandomLength,
  checkX25519Output,
  ED25519_KEY_BYTES,
  ed25519PreCheck,
  foreignError,
  HKDF_SHA256_MAX_OUTPUT_BYTES,
  PUBLIC_KEY_CACHE_ENTRIES,
  requireBytes,
  requireKey,
  requireKeyBytes,
  SHA256_BYTES,
  X25519_KEY_BYTES,
} from './checks.js'
import { createRandomMlKem768, liboqsLoader } from './ml-kem-liboqs.js'
import { mlKem768EncapsulateWith, mlKem768KeygenFromSeed } from './noble.js'
import { createRandomPool } from './random-pool.js'
import type { CryptoProvider } from './types.js'

type OkpCurve = 'X25519' | 'Ed25519'

/** A Buffer as a plain Uint8Array over the same memory. */
function view(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

interface RememberedKey {
  readonly curve: OkpCurve
  readonly snapshot: Uint8Array
  readonly key: KeyObject
}

/**
 * Private KeyObjects remembered per caller-owned secret-key array. Making one from raw bytes costs
 * OpenSSL a scalar multiplication (it derives the public key), which would double the cost of a
 * ratchet step or a signature. The WeakMap holds an entry exactly as long as the caller holds the
 * array itself, and an entry is used only while the array still holds the bytes it was made from
 * (a wiped or reused array gets a fresh KeyObject). Nothing is keyed by, or reachable from, key
 * bytes: there is no global table of secrets.
 */
const privateKeys = new WeakMap<Uint8Array, RememberedKey>()

function privateKeyObject(curve: OkpCurve, raw: Uint8Array): KeyObject {
  const remembered = privateKeys.get(raw)
  if (remembered !== undefined && remembered.curve === curve && constantTimeEqual(remembered.snapshot, raw)) {
    return remembered.key
  }
  // JWK is the fast raw-key path of node:crypto (PKCS#8 DER goes through OpenSSL's generic decoder,
  // ten times slower). Node reads only `d` of a private OKP JWK but insists that `x` is a string.
  const key = createPrivateKey({ key: { kty: 'OKP', crv: curve, d: base64url(raw), x: '' }, format: 'jwk' })
  privateKeys.set(raw, { curve, snapshot: raw.slice(), key })
  return key
}

/**
 * Public KeyObjects by curve and key (public keys are not secret, so they may name their entry),
 * least recently used first, at most PUBLIC_KEY_CACHE_ENTRIES. A KeyObject made from given raw bytes
 * is always the same key, so an entry can never be stale; only successful imports are kept.
 */
const publicKeys = new Map<string, KeyObject>()

function publicKeyObject(curve: OkpCurve, raw: Uint8Array): KeyObject {
  const x = base64url(raw)
  const id = curve === 'X25519' ? `x:${x}` : `e:${x}`
  const known = publicKeys.get(id)
  if (known !== undefined) {
    // most recently used last
    publicKeys.delete(id)
    publicKeys.set(id, known)
    return known
  }
  const key = createPublicKey({ key: { kty: 'OKP', crv: curve, x }, format: 'jwk' })
  publicKeys.set(id, key)
  if (publicKeys.size > PUBLIC_KEY_CACHE_ENTRIES) {
    const oldest = publicKeys.keys().next()
    if (oldest.done !== true) {
      publicKeys.delete(oldest.value)
    }
  }
  return key
}

/** How many public KeyObjects the provider holds (tests check the bound). */
export function rememberedPublicKeyCount(): number {
  return publicKeys.size
}

/**
 * The raw public key of a private KeyObject. A private OKP key exports its public half `x` with its
 * JWK, so no public KeyObject is made for it (that was a fifth of the cost of a key generation).
 */
function rawPublicKey(privateKey: KeyObject): Uint8Array {
  const { x } = privateKey.export({ format: 'jwk' })
  if (typeof x !== 'string') {
    throw new CryptoError('public key export failed')
  }
  // Buffer.from(string) may slice a shared pool: copy into an array of its own.
  return Uint8Array.from(Buffer.from(x, 'base64url'))
}

/** HKDF-Expand's one-byte counter allows 255 blocks (checkHkdf bounds `length` first; this is a guard). */
const HKDF_MAX_BLOCKS = HKDF_SHA256_MAX_OUTPUT_BYTES / SHA256_BYTES

/**
 * HKDF-SHA-256 exactly as RFC 5869 §2.2-2.3 defines it over node:crypto's HMAC-SHA-256 (OpenSSL):
 * PRK = HMAC(salt, IKM); T(i) = HMAC(PRK, T(i-1) || info || i); OKM = the first `length` bytes of
 * T(1) || T(2) || .... node's own `hkdfSync` gives the same bytes, but makes a secret KeyObject and a
 * new OpenSSL KDF context on every call: ~18 µs a call here against ~13 µs composed (~4 µs per HMAC),
 * and a Double Ratchet step makes two of them. This composes the library's HMAC by the RFC's two formulas;
 * it computes no primitive of its own (the RFC 5869 and Wycheproof HKDF vectors run on it in the
 * provider suites). An empty salt is an empty HMAC key, which RFC 2104 pads to the same block as the
 * RFC 5869 default of 32 zero bytes. PRK and each T(i) are wiped once used.
 */
function hkdfFromHmac(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = createHmac('sha256', salt).update(ikm).digest()
  const out = new Uint8Array(length)
  const counter = new Uint8Array(1)
  let block: Buffer | undefined
  try {
    for (let i = 1, offset = 0; offset < length; i++, offset += SHA256_BYTES) {
      if (i > HKDF_MAX_BLOCKS) {
        throw new CryptoError('HKDF-SHA-256 output too long')
      }
      counter[0] = i
      const hmac = createHmac('sha256', prk)
      if (block !== undefined) {
        hmac.update(block)
        block.fill(0)
      }
      block = hmac.update(info).update(counter).digest()
      out.set(length - offset < SHA256_BYTES ? block.subarray(0, length - offset) : block, offset)
    }
  } finally {
    prk.fill(0)
    block?.fill(0)
  }
  return out
}

/** Draws from OpenSSL's generator, small ones through a buffer refilled in one call (random-pool.ts). */
const drawRandom = createRandomPool((target) => {
  randomFillSync(target)
})

function nodeRandomBytes(length: number): Uint8Array {
  checkRandomLength(length)
  return drawRandom(length)
}

/** liboqs's ML-KEM-768 (WebAssembly) for random keys, encapsulations and decapsulation; see ml-kem-liboqs.ts. */
const randomMlKem = createRandomMlKem768(liboqsLoader, nodeRandomBytes)

/** Which ML-KEM-768 implementation this provider runs: 'liboqs', or 'noble' where WebAssembly is missing. */
export function nodeMlKemBackend(): Promise<'liboqs' | 'noble'> {
  return randomMlKem.backend()
}

function x25519PublicKeySync(secretKey: Uint8Array): Uint8Array {
  requireKey(secretKey, X25519_KEY_BYTES, 'X25519 secret key')
  try {
    return rawPublicKey(privateKeyObject('X25519', secretKey))
  } catch (err) {
    throw foreignError(err, 'X25519 public key')
  }
}

function ed25519PublicKeySync(secretKey: Uint8Array): Uint8Array {
  requireKey(secretKey, ED25519_KEY_BYTES, 'Ed25519 secret key')
  try {
    return rawPublicKey(privateKeyObject('Ed25519', secretKey))
  } catch (err) {
    throw foreignError(err, 'Ed25519 public key')
  }
}

export const nodeProvider: CryptoProvider = {
  name: 'node',

  randomBytes: nodeRandomBytes,

  async sha256(data) {
    requireBytes(data, 'SHA-256 input')
    return view(createHash('sha256').update(data).digest())
  },

  async sha512(data) {
    requireBytes(data, 'SHA-512 input')
    return view(createHash('sha512').update(data).digest())
  },

  async hmacSha256(key, data) {
    requireKeyBytes(key, 'HMAC key')
    requireBytes(data, 'HMAC input')
    try {
      return view(createHmac('sha256', key).update(data).digest())
    } catch (err) {
      throw foreignError(err, 'HMAC-SHA-256')
    }
  },

  async hkdfSha256(ikm, salt, info, length) {
    checkHkdf(ikm, salt, info, length)
    try {
      return hkdfFromHmac(ikm, salt, info, length)
    } catch (err) {
      throw foreignError(err, 'HKDF-SHA-256')
    }
  },

  async aesGcmEncrypt(key, nonce, plaintext, aad) {
    checkAesGcm(key, nonce, plaintext, aad, false)
    try {
      const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: AES_GCM_TAG_BYTES })
      cipher.setAAD(aad)
      const body = cipher.update(plaintext)
      cipher.final()
      const out = new Uint8Array(body.byteLength + AES_GCM_TAG_BYTES)
      out.set(body)
      out.set(cipher.getAuthTag(), body.byteLength)
      return out
    } catch (err) {
      throw foreignError(err, 'AES-GCM encryption')
    }
  },

  async aesGcmDecrypt(key, nonce, sealed, aad) {
    checkAesGcm(key, nonce, sealed, aad, true)
    const split = sealed.byteLength - AES_GCM_TAG_BYTES
    let plaintext: Buffer | undefined
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: AES_GCM_TAG_BYTES })
      decipher.setAuthTag(sealed.subarray(split))
      decipher.setAAD(aad)
      plaintext = decipher.update(sealed.subarray(0, split))
      decipher.final()
      return view(plaintext)
    } catch {
      // Never hand out, or leave behind, plaintext whose tag failed.
      plaintext?.fill(0)
      throw new AuthenticationError('AES-GCM tag did not verify')
    }
  },

  async x25519Keygen() {
    const secretKey = nodeRandomBytes(X25519_KEY_BYTES)
    return new RedactedKeyPair(x25519PublicKeySync(secretKey), secretKey)
  },

  async x25519PublicKey(secretKey) {
    return x25519PublicKeySync(secretKey)
  },

  async x25519(secretKey, publicKey) {
    requireKey(secretKey, X25519_KEY_BYTES, 'X25519 secret key')
    requireKey(publicKey, X25519_KEY_BYTES, 'X25519 public key')
    let shared: Buffer
    try {
      shared = diffieHellman({
        privateKey: privateKeyObject('X25519', secretKey),
        publicKey: publicKeyObject('X25519', publicKey),
      })
    } catch {
      // Both keys are 32 bytes and OpenSSL takes any 32 bytes for either: what it refuses is the
      // all-zero result of a low-order public key.
      throw new InvalidKeyError('X25519 public key has low order (all-zero shared secret)')
    }
    return checkX25519Output(view(shared))
  },

  async ed25519Keygen() {
    const secretKey = nodeRandomBytes(ED25519_KEY_BYTES)
    return new RedactedKeyPair(ed25519PublicKeySync(secretKey), secretKey)
  },

  async ed25519PublicKey(secretKey) {
    return ed25519PublicKeySync(secretKey)
  },

  async ed25519Sign(secretKey, message) {
    requireKey(secretKey, ED25519_KEY_BYTES, 'Ed25519 secret key')
    requireBytes(message, 'Ed25519 message')
    try {
      return view(sign(null, message, privateKeyObject('Ed25519', secretKey)))
    } catch (err) {
      throw foreignError(err, 'Ed25519 signing')
    }
  },

  async ed25519Verify(publicKey, message, signature) {
    requireBytes(message, 'Ed25519 message')
    if (!ed25519PreCheck(publicKey, signature)) {
      return false
    }
    try {
      return verify(null, message, publicKeyObject('Ed25519', publicKey), signature)
    } catch {
      return false
    }
  },

  async mlKem768Keygen(seed) {
    return seed === undefined ? randomMlKem.keygen() : mlKem768KeygenFromSeed(seed)
  },

  async mlKem768Encapsulate(publicKey, message) {
    return message === undefined
      ? randomMlKem.encapsulate(publicKey)
      : mlKem768EncapsulateWith(publicKey, message)
  },

  async mlKem768Decapsulate(secretKey, ciphertext) {
    return randomMlKem.decapsulate(secretKey, ciphertext)
  },
}
