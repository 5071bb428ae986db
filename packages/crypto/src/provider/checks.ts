/**
 * Input checks and edge-case policy shared by every provider, so that node:crypto, WebCrypto and
 * @noble/* accept and refuse exactly the same inputs with exactly the same error classes. It owns the
 * sizes of the primitives, the few limits the providers impose, and the byte-level pre-checks of the
 * Ed25519 verification policy. It computes no primitive: only lengths and comparisons of public
 * encodings.
 *
 * Error messages name the argument and the expected size, never the bytes.
 */
import { CryptoError, CryptoInputError, InvalidKeyError } from '../errors.js'

// ---- sizes fixed by the primitives (RFC 7748, RFC 8032, FIPS 197/SP 800-38D, FIPS 203) ----

/** X25519 secret scalar and public u-coordinate (RFC 7748 §5). */
export const X25519_KEY_BYTES = 32
/** Ed25519 secret seed and public point encoding (RFC 8032 §5.1.5). */
export const ED25519_KEY_BYTES = 32
/** Ed25519 signature R || S (RFC 8032 §5.1.6). */
export const ED25519_SIGNATURE_BYTES = 64
/** AES-256 key. */
export const AES_256_KEY_BYTES = 32
/** AES-GCM nonce: the 96-bit IV that GCM handles without GHASH-ing it (SP 800-38D §8.2). */
export const AES_GCM_NONCE_BYTES = 12
/** AES-GCM tag: the full 128 bits; shorter tags weaken forgery resistance (SP 800-38D App. C). */
export const AES_GCM_TAG_BYTES = 16
/** SHA-256 output, also the HMAC-SHA-256 tag and the HKDF-SHA-256 hash length. */
export const SHA256_BYTES = 32
/** ML-KEM-768 key-generation seed d || z (FIPS 203 Algorithm 16). */
export const ML_KEM_768_SEED_BYTES = 64
/** ML-KEM-768 encapsulation key (FIPS 203 §8, table 3). */
export const ML_KEM_768_PUBLIC_KEY_BYTES = 1184
/** ML-KEM-768 decapsulation key (FIPS 203 §8, table 3). */
export const ML_KEM_768_SECRET_KEY_BYTES = 2400
/** ML-KEM-768 ciphertext (FIPS 203 §8, table 3). */
export const ML_KEM_768_CIPHERTEXT_BYTES = 1088
/** ML-KEM encapsulation randomness m (FIPS 203 Algorithm 17). */
export const ML_KEM_768_MESSAGE_BYTES = 32

// ---- limits the providers impose ----

/** RFC 5869 §2.3: HKDF output is at most 255 hash lengths. */
export const HKDF_SHA256_MAX_OUTPUT_BYTES = 255 * SHA256_BYTES

/**
 * HKDF `info` length. OpenSSL 3 caps it at 1024 bytes (HKDF_MAXBUF), so node:crypto and Node's
 * WebCrypto refuse more; the other providers refuse it too, so that all of them agree. Ferry's info
 * strings are short labels plus a few keys.
 */
export const HKDF_MAX_INFO_BYTES = 1024

/**
 * One `randomBytes` call. Bounds a mistaken request; Ferry draws keys, nonces and IDs, never bulk
 * data. (WebCrypto's getRandomValues takes at most 65,536 bytes per call; providers loop.)
 */
export const MAX_RANDOM_BYTES = 1 << 20

/**
 * The node provider's buffer of random bytes (random-pool.ts): small draws (keys, nonces, IDs) are
 * served from it, so one call into OpenSSL serves dozens of them. Small, because bytes not yet handed
 * out wait in it; draws above RANDOM_POOL_MAX_DRAW_BYTES go to OpenSSL directly.
 */
export const RANDOM_POOL_BYTES = 1024
/** Largest draw served from the buffer: a 64-byte ML-KEM seed; larger requests are rare. */
export const RANDOM_POOL_MAX_DRAW_BYTES = 64

/**
 * Public KeyObjects the node provider keeps, most recently used last. Importing a public key costs
 * node:crypto ~7-15 µs, as much as the HMACs of a message: keys seen again (a sender-key signing key on
 * every group message, a bundle's signing key for its two pre-keys, a ratchet key used in two DHs)
 * are imported once. Public keys only; the bound keeps a peer sending fresh keys from growing it.
 */
export const PUBLIC_KEY_CACHE_ENTRIES = 1024

// ---- argument checks ----

/** True for a Uint8Array (or a Buffer), also one made in another realm. */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array || (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array')
}

/** A key argument: bytes of exactly `length`, else InvalidKeyError. */
export function requireKey(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new InvalidKeyError(`${what} must be a Uint8Array`)
  }
  if (value.byteLength !== length) {
    throw new InvalidKeyError(`${what} must be ${length} bytes, got ${value.byteLength}`)
  }
}

/** A key argument of any length (an HMAC key), else InvalidKeyError. */
export function requireKeyBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new InvalidKeyError(`${what} must be a Uint8Array`)
  }
}

/** A non-key argument of any length, else CryptoInputError. */
export function requireBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!isBytes(value)) {
    throw new CryptoInputError(`${what} must be a Uint8Array`)
  }
}

/** A non-key argument of exactly `length` bytes, else CryptoInputError. */
export function requireLength(value: unknown, length: number, what: string): asserts value is Uint8Array {
  requireBytes(value, what)
  if (value.byteLength !== length) {
    throw new CryptoInputError(`${what} must be ${length} bytes, got ${value.byteLength}`)
  }
}

/** AES-256-GCM arguments; `data` is checked as ciphertext || tag when `sealed` is true. */
export function checkAesGcm(
  key: unknown,
  nonce: unknown,
  data: unknown,
  aad: unknown,
  sealed: boolean,
): void {
  requireKey(key, AES_256_KEY_BYTES, 'AES-256-GCM key')
  requireLength(nonce, AES_GCM_NONCE_BYTES, 'AES-GCM nonce')
  requireBytes(data, sealed ? 'AES-GCM ciphertext' : 'AES-GCM plaintext')
  requireBytes(aad, 'AES-GCM associated data')
  if (sealed && data.byteLength < AES_GCM_TAG_BYTES) {
    throw new CryptoInputError(`AES-GCM ciphertext must hold at least the ${AES_GCM_TAG_BYTES}-byte tag`)
  }
}

/** HKDF-SHA-256 arguments (RFC 5869), with the shared bounds above. */
export function checkHkdf(ikm: unknown, salt: unknown, info: unknown, length: unknown): void {
  requireBytes(ikm, 'HKDF input key material')
  requireBytes(salt, 'HKDF salt')
  requireBytes(info, 'HKDF info')
  if (info.byteLength > HKDF_MAX_INFO_BYTES) {
    throw new CryptoInputError(`HKDF info must be at most ${HKDF_MAX_INFO_BYTES} bytes`)
  }
  if (
    typeof length !== 'number' ||
    !Number.isInteger(length) ||
    length < 1 ||
    length > HKDF_SHA256_MAX_OUTPUT_BYTES
  ) {
    throw new CryptoInputError(`HKDF length must be an integer from 1 to ${HKDF_SHA256_MAX_OUTPUT_BYTES}`)
  }
}

/** A `randomBytes` length. */
export function checkRandomLength(length: unknown): asserts length is number {
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > MAX_RANDOM_BYTES) {
    throw new CryptoInputError(`random length must be an integer from 0 to ${MAX_RANDOM_BYTES}`)
  }
}

/** RFC 7748 §6.1: an all-zero X25519 output means a low-order public key; refused. */
export function checkX25519Output(shared: Uint8Array): Uint8Array {
  let acc = 0
  const length = shared.byteLength
  for (let i = 0; i < length; i++) {
    acc |= shared[i]!
  }
  if (acc === 0) {
    throw new InvalidKeyError('X25519 public key has low order (all-zero shared secret)')
  }
  return shared
}

// ---- Ed25519 verification policy ----
//
// Libraries disagree at the edges of RFC 8032: OpenSSL and BoringSSL accept non-canonical and
// small-order public keys and check the cofactorless equation [S]B = R + [k]A; noble (strict mode)
// refuses non-canonical and small-order keys and checks the cofactored equation. Ferry's policy,
// identical on every provider (see the package README):
//   1. the public key and signature have their exact lengths;
//   2. S < L (RFC 8032 §5.1.7; no malleable signatures);
//   3. A and R are canonical encodings (y < p) and neither is one of the 8 small-order points
//      (this also refuses x = 0 with the sign bit set, whose y is 1 or p - 1);
//   4. the cofactorless equation holds (the noble provider checks it in addition to noble's own
//      cofactored check; the other two libraries check only that one).
// Steps 1-3 are byte comparisons of public values, done here before any library is called.

/** The group order L = 2^252 + 27742317777372353535851937790883648493, little-endian. */
const ED25519_ORDER_LE = Uint8Array.from([
  0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
])

/** The field prime p = 2^255 - 19, little-endian. */
const FIELD_PRIME_LE = Uint8Array.from([0xed, ...new Array<number>(30).fill(0xff), 0x7f])

/**
 * y-coordinates (little-endian, canonical, sign bit clear) of the 8 small-order points of
 * edwards25519: 0 (order 4, two points), 1 (the identity), p - 1 (order 2) and the two y values of
 * the four points of order 8. The same list as libsodium's `ge25519_has_small_order`; the test suite
 * derives it again from noble's point arithmetic.
 */
export const ED25519_SMALL_ORDER_Y: readonly Uint8Array[] = [
  new Uint8Array(32),
  Uint8Array.from([1, ...new Array<number>(31).fill(0)]),
  Uint8Array.from([0xec, ...new Array<number>(30).fill(0xff), 0x7f]),
  Uint8Array.from([
    0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5,
    0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
  ]),
  Uint8Array.from([
    0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a,
    0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
  ]),
]

/** a < b for 32-byte little-endian numbers read at `offset` in `a`; bit 255 of `a` cleared if `mask`. */
function lessThanLE(a: Uint8Array, offset: number, b: Uint8Array, mask: boolean): boolean {
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 && mask ? a[offset + i]! & 0x7f : a[offset + i]!
    const y = b[i]!
    if (x !== y) {
      return x < y
    }
  }
  return false
}

/** The 32-byte point encoding at `offset` has y < p and is not a small-order point. */
function isUsablePointEncoding(bytes: Uint8Array, offset: number): boolean {
  if (!lessThanLE(bytes, offset, FIELD_PRIME_LE, true)) {
    return false
  }
  for (const y of ED25519_SMALL_ORDER_Y) {
    let diff = (bytes[offset + 31]! & 0x7f) ^ y[31]!
    for (let i = 0; i < 31; i++) {
      diff |= bytes[offset + i]! ^ y[i]!
    }
    if (diff === 0) {
      return false
    }
  }
  return true
}

/**
 * Steps 1-3 of the Ed25519 policy above. A false result means the signature is refused without
 * calling any library; true means the library's verification decides.
 */
export function ed25519PreCheck(publicKey: unknown, signature: unknown): boolean {
  if (!isBytes(publicKey) || !isBytes(signature)) {
    return false
  }
  if (publicKey.byteLength !== ED25519_KEY_BYTES || signature.byteLength !== ED25519_SIGNATURE_BYTES) {
    return false
  }
  return (
    lessThanLE(signature, 32, ED25519_ORDER_LE, false) &&
    isUsablePointEncoding(publicKey, 0) &&
    isUsablePointEncoding(signature, 0)
  )
}

// ---- errors ----

/**
 * Passes Ferry's own errors through; replaces anything else with a CryptoError that names only the
 * operation. Library messages are dropped on purpose: some quote their inputs.
 */
export function foreignError(err: unknown, operation: string): CryptoError {
  if (err instanceof CryptoError) {
    return err
  }
  return new CryptoError(`${operation} failed`)
}
