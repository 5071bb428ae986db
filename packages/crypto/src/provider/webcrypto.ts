/**
 * The WebCrypto provider (`crypto.subtle`): the default in browsers, and usable in Node 20+. Hashes,
 * HMAC, HKDF, AES-GCM, X25519 and Ed25519 go to the platform; ML-KEM-768 comes from noble, as
 * everywhere. Where the platform lacks X25519 or Ed25519 (browsers before Secure Curves shipped), or
 * gets a known answer wrong, that curve falls back to noble; the check runs once per provider, on
 * first use, and is remembered. Every input passes the shared checks of checks.ts first, so this
 * provider accepts and refuses exactly what the others do.
 */
import { constantTimeEqual } from '../bytes.js'
import { AuthenticationError, CryptoError, InvalidKeyError } from '../errors.js'
import { RedactedKeyPair } from '../secret.js'
import {
  checkAesGcm,
  checkHkdf,
  checkX25519Output,
  ED25519_KEY_BYTES,
  ED25519_SIGNATURE_BYTES,
  ed25519PreCheck,
  foreignError,
  requireBytes,
  requireKey,
  requireKeyBytes,
  X25519_KEY_BYTES,
} from './checks.js'
import {
  mlKem768DecapsulateWith,
  mlKem768Encapsulate,
  mlKem768Keygen,
  nobleEd25519PublicKey,
  nobleEd25519Sign,
  nobleEd25519Verify,
  nobleX25519,
  nobleX25519PublicKey,
  webRandomBytes,
} from './noble.js'
import type { CryptoProvider } from './types.js'

/** Which implementation serves each curve. */
export interface CurveSupport {
  readonly x25519: 'webcrypto' | 'noble'
  readonly ed25519: 'webcrypto' | 'noble'
}

export interface WebCryptoProvider extends CryptoProvider {
  /** Runs (once) and reports the platform check for X25519 and Ed25519. */
  curveSupport(): Promise<CurveSupport>
}

export interface WebCryptoProviderInit {
  /** The SubtleCrypto to use; default `globalThis.crypto.subtle`, looked up on each call. */
  readonly subtle?: SubtleCrypto
}

type Curve = 'X25519' | 'Ed25519'

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  }
  return out
}

// RFC 8410 §7 and §10: a PKCS#8 private key of these algorithms is a fixed DER prefix followed by the
// 32 raw bytes (WebCrypto has no raw import for private keys).
const PKCS8_PREFIX: Record<Curve, Uint8Array> = {
  X25519: fromHex('302e020100300506032b656e04220420'),
  Ed25519: fromHex('302e020100300506032b657004220420'),
}

/** The X25519 base point u = 9 (RFC 7748 §4.1): X25519(k, 9) is the public key of k. */
const X25519_BASE_POINT = Uint8Array.of(9, ...new Array<number>(31).fill(0))

// Known answers for the platform check: RFC 7748 §6.1 (Alice's key pair) and RFC 8032 §7.1 TEST 1.
const KAT_X25519_SECRET = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'
const KAT_X25519_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'
const KAT_ED25519_SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'
const KAT_ED25519_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
const KAT_ED25519_SIGNATURE =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'

/** WebCrypto takes ArrayBuffer-backed views only; copy the rare SharedArrayBuffer-backed one. */
function source(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice()
}

function base64urlDecode(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4))
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) {
    out[i] = binary.charCodeAt(i)
  }
  return out
}

interface RememberedKey {
  readonly curve: Curve
  readonly snapshot: Uint8Array
  readonly key: Promise<CryptoKey>
}

/** HMAC pads keys shorter than its block with zeros (RFC 2104 §2): "" and one zero byte are the same key. */
const EMPTY_HMAC_KEY_EQUIVALENT = new Uint8Array(1)

export function createWebCryptoProvider(init: WebCryptoProviderInit = {}): WebCryptoProvider {
  function subtle(): SubtleCrypto {
    const s = init.subtle ?? globalThis.crypto?.subtle
    if (s === undefined) {
      throw new CryptoError('WebCrypto is unavailable here (crypto.subtle needs a secure context)')
    }
    return s
  }

  // Private CryptoKeys remembered per caller-owned secret-key array, as in node.ts: importing a
  // private key makes the platform derive its public key (a scalar multiplication). The WeakMap
  // lives exactly as long as the caller's array, and an entry serves only while the array still
  // holds the bytes it was made from.
  const privateKeys = new WeakMap<Uint8Array, RememberedKey>()

  function privateKey(curve: Curve, raw: Uint8Array): Promise<CryptoKey> {
    const remembered = privateKeys.get(raw)
    if (
      remembered !== undefined &&
      remembered.curve === curve &&
      constantTimeEqual(remembered.snapshot, raw)
    ) {
      return remembered.key
    }
    const prefix = PKCS8_PREFIX[curve]
    const der = new Uint8Array(prefix.byteLength + raw.byteLength)
    der.set(prefix)
    der.set(raw, prefix.byteLength)
    // Ed25519 keys are extractable so that one import serves signing and the public-key export.
    const usages: KeyUsage[] = curve === 'X25519' ? ['deriveBits'] : ['sign']
    const key = subtle()
      .importKey('pkcs8', der, { name: curve }, curve === 'Ed25519', usages)
      .finally(() => der.fill(0))
    privateKeys.set(raw, { curve, snapshot: raw.slice(), key })
    // A failed import is not remembered.
    key.catch(() => {
      if (privateKeys.get(raw)?.key === key) {
        privateKeys.delete(raw)
      }
    })
    return key
  }

  async function webX25519(secretKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
    const s = subtle()
    const [priv, pub] = await Promise.all([
      privateKey('X25519', secretKey),
      s.importKey('raw', source(publicKey), { name: 'X25519' }, false, []),
    ])
    return new Uint8Array(await s.deriveBits({ name: 'X25519', public: pub }, priv, 8 * X25519_KEY_BYTES))
  }

  async function webEd25519PublicKey(secretKey: Uint8Array): Promise<Uint8Array> {
    const { x } = await subtle().exportKey('jwk', await privateKey('Ed25519', secretKey))
    if (typeof x !== 'string') {
      throw new CryptoError('Ed25519 public key export failed')
    }
    return base64urlDecode(x)
  }

  async function webEd25519Sign(secretKey: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
    const key = await privateKey('Ed25519', secretKey)
    return new Uint8Array(await subtle().sign({ name: 'Ed25519' }, key, source(message)))
  }

  async function webEd25519Verify(
    publicKey: Uint8Array,
    message: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean> {
    const s = subtle()
    const key = await s.importKey('raw', source(publicKey), { name: 'Ed25519' }, false, ['verify'])
    return s.verify({ name: 'Ed25519' }, key, source(signature), source(message))
  }

  async function detectX25519(): Promise<boolean> {
    try {
      const secret = fromHex(KAT_X25519_SECRET)
      return constantTimeEqual(await webX25519(secret, X25519_BASE_POINT), fromHex(KAT_X25519_PUBLIC))
    } catch {
      return false
    }
  }

  async function detectEd25519(): Promise<boolean> {
    try {
      const secret = fromHex(KAT_ED25519_SECRET)
      const publicKey = fromHex(KAT_ED25519_PUBLIC)
      const signature = fromHex(KAT_ED25519_SIGNATURE)
      const empty = new Uint8Array(0)
      return (
        constantTimeEqual(await webEd25519PublicKey(secret), publicKey) &&
        constantTimeEqual(await webEd25519Sign(secret, empty), signature) &&
        (await webEd25519Verify(publicKey, empty, signature)) &&
        !(await webEd25519Verify(publicKey, new Uint8Array(1), signature))
      )
    } catch {
      return false
    }
  }

  let support: Promise<CurveSupport> | undefined
  function curveSupport(): Promise<CurveSupport> {
    support ??= Promise.all([detectX25519(), detectEd25519()]).then(([x, ed]) => ({
      x25519: x ? 'webcrypto' : 'noble',
      ed25519: ed ? 'webcrypto' : 'noble',
    }))
    return support
  }

  async function x25519PublicKey(secretKey: Uint8Array): Promise<Uint8Array> {
    requireKey(secretKey, X25519_KEY_BYTES, 'X25519 secret key')
    if ((await curveSupport()).x25519 === 'noble') {
      return nobleX25519PublicKey(secretKey)
    }
    try {
      return await webX25519(secretKey, X25519_BASE_POINT)
    } catch (err) {
      throw foreignError(err, 'X25519 public key')
    }
  }

  async function ed25519PublicKey(secretKey: Uint8Array): Promise<Uint8Array> {
    requireKey(secretKey, ED25519_KEY_BYTES, 'Ed25519 secret key')
    if ((await curveSupport()).ed25519 === 'noble') {
      return nobleEd25519PublicKey(secretKey)
    }
    try {
      return await webEd25519PublicKey(secretKey)
    } catch (err) {
      throw foreignError(err, 'Ed25519 public key')
    }
  }

  return {
    name: 'webcrypto',

    randomBytes: webRandomBytes,

    curveSupport,

    async sha256(data) {
      requireBytes(data, 'SHA-256 input')
      try {
        return new Uint8Array(await subtle().digest('SHA-256', source(data)))
      } catch (err) {
        throw foreignError(err, 'SHA-256')
      }
    },

    async sha512(data) {
      requireBytes(data, 'SHA-512 input')
      try {
        return new Uint8Array(await subtle().digest('SHA-512', source(data)))
      } catch (err) {
        throw foreignError(err, 'SHA-512')
      }
    },

    async hmacSha256(key, data) {
      requireKeyBytes(key, 'HMAC key')
      requireBytes(data, 'HMAC input')
      try {
        // WebCrypto refuses zero-length HMAC keys; the one-zero-byte key is the same HMAC key.
        const raw = key.byteLength === 0 ? EMPTY_HMAC_KEY_EQUIVALENT : source(key)
        const s = subtle()
        const k = await s.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
        return new Uint8Array(await s.sign('HMAC', k, source(data)))
      } catch (err) {
        throw foreignError(err, 'HMAC-SHA-256')
      }
    },

    async hkdfSha256(ikm, salt, info, length) {
      checkHkdf(ikm, salt, info, length)
      try {
        const s = subtle()
        const k = await s.importKey('raw', source(ikm), 'HKDF', false, ['deriveBits'])
        const params = { name: 'HKDF', hash: 'SHA-256', salt: source(salt), info: source(info) }
        return new Uint8Array(await s.deriveBits(params, k, 8 * length))
      } catch (err) {
        throw foreignError(err, 'HKDF-SHA-256')
      }
    },

    async aesGcmEncrypt(key, nonce, plaintext, aad) {
      checkAesGcm(key, nonce, plaintext, aad, false)
      try {
        const s = subtle()
        const k = await s.importKey('raw', source(key), 'AES-GCM', false, ['encrypt'])
        const params = { name: 'AES-GCM', iv: source(nonce), additionalData: source(aad), tagLength: 128 }
        return new Uint8Array(await s.encrypt(params, k, source(plaintext)))
      } catch (err) {
        throw foreignError(err, 'AES-GCM encryption')
      }
    },

    async aesGcmDecrypt(key, nonce, sealed, aad) {
      checkAesGcm(key, nonce, sealed, aad, true)
      const s = subtle()
      let k: CryptoKey
      try {
        k = await s.importKey('raw', source(key), 'AES-GCM', false, ['decrypt'])
      } catch (err) {
        throw foreignError(err, 'AES-GCM key import')
      }
      try {
        const params = { name: 'AES-GCM', iv: source(nonce), additionalData: source(aad), tagLength: 128 }
        return new Uint8Array(await s.decrypt(params, k, source(sealed)))
      } catch {
        throw new AuthenticationError('AES-GCM tag did not verify')
      }
    },

    async x25519Keygen() {
      const secretKey = webRandomBytes(X25519_KEY_BYTES)
      return new RedactedKeyPair(await x25519PublicKey(secretKey), secretKey)
    },

    x25519PublicKey,

    async x25519(secretKey, publicKey) {
      requireKey(secretKey, X25519_KEY_BYTES, 'X25519 secret key')
      requireKey(publicKey, X25519_KEY_BYTES, 'X25519 public key')
      if ((await curveSupport()).x25519 === 'noble') {
        return nobleX25519(secretKey, publicKey)
      }
      let shared: Uint8Array
      try {
        shared = await webX25519(secretKey, publicKey)
      } catch {
        // Both keys are 32 bytes, which the platform takes as they are: what it refuses is the
        // all-zero result of a low-order public key (Secure Curves §6.3.3, RFC 7748 §6.1).
        throw new InvalidKeyError('X25519 public key has low order (all-zero shared secret)')
      }
      return checkX25519Output(shared)
    },

    async ed25519Keygen() {
      const secretKey = webRandomBytes(ED25519_KEY_BYTES)
      return new RedactedKeyPair(await ed25519PublicKey(secretKey), secretKey)
    },

    ed25519PublicKey,

    async ed25519Sign(secretKey, message) {
      requireKey(secretKey, ED25519_KEY_BYTES, 'Ed25519 secret key')
      requireBytes(message, 'Ed25519 message')
      if ((await curveSupport()).ed25519 === 'noble') {
        return nobleEd25519Sign(secretKey, message)
      }
      try {
        const signature = await webEd25519Sign(secretKey, message)
        if (signature.byteLength !== ED25519_SIGNATURE_BYTES) {
          throw new CryptoError('Ed25519 signature has the wrong length')
        }
        return signature
      } catch (err) {
        throw foreignError(err, 'Ed25519 signing')
      }
    },

    async ed25519Verify(publicKey, message, signature) {
      requireBytes(message, 'Ed25519 message')
      if (!ed25519PreCheck(publicKey, signature)) {
        return false
      }
      if ((await curveSupport()).ed25519 === 'noble') {
        return nobleEd25519Verify(publicKey, message, signature)
      }
      try {
        return await webEd25519Verify(publicKey, message, signature)
      } catch {
        return false
      }
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
}

/** The WebCrypto provider over `globalThis.crypto.subtle`. */
export const webCryptoProvider: WebCryptoProvider = createWebCryptoProvider()
