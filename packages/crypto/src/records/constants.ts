/**
 * Limits and signature contexts of Ferry's public records (account IDs, invites, certificates,
 * device lists, pre-keys, safety numbers), each with its reason. Wire-level size limits live in
 * @ferry/wire's constants and are not repeated here.
 */

/**
 * The context string each kind of signed record is signed under. The Ed25519 signature covers the
 * UTF-8 context followed by the framed body, so a signature made for one kind can never be replayed as
 * another. The contexts are prefix-free (none is a prefix of another: a test checks it), which makes
 * `context || body` unambiguous without a separator. A new kind of signed record adds a new context
 * here; an incompatible change of a record's meaning bumps its `/vN`.
 */
export const SignatureContext = {
  DeviceCertificate: 'ferry/device-certificate/v1',
  DeviceList: 'ferry/device-list/v1',
  PreKey: 'ferry/pre-key/v1',
} as const

export type SignatureContext = (typeof SignatureContext)[keyof typeof SignatureContext]

// ---- account IDs and invites ----

/** Human-readable part of a bech32m account ID (`ferry1…`). */
export const ACCOUNT_ID_HRP = 'ferry'

/**
 * Longest bech32m string accepted (BIP-173/350). The BCH code's guarantee (any error in up to four
 * characters is detected) holds only up to this length; an account ID is 64 characters.
 */
export const BECH32M_MAX_LENGTH = 90

/** Characters of a bech32m checksum (BIP-350). */
export const BECH32M_CHECKSUM_LENGTH = 6

/** Scheme and path that open an invite link. Matched case-insensitively (RFC 3986 scheme and host). */
export const INVITE_PREFIX = 'ferry://invite/'

/**
 * Longest invite link accepted or produced, in characters. An invite is shown as a QR code: a
 * version-40 QR code at error-correction level M holds 2,331 bytes, so 2,048 leaves room while fitting
 * several relays with typical multiaddrs (about 130 characters each, percent-encoded). Parsing checks
 * this before anything else, so a hostile paste costs nothing.
 */
export const MAX_INVITE_LENGTH = 2048

// ---- pre-keys ----

/** Largest pre-key ID: IDs are proto3 uint32. */
export const MAX_PRE_KEY_ID = 0xffff_ffff

/**
 * One-time pre-keys generated in one call. Signal uploads batches of 100; a device refills its relays
 * when their count runs low, and a bounded batch keeps one call's work and upload size predictable.
 */
export const MAX_ONE_TIME_PRE_KEYS_PER_BATCH = 100

// ---- safety numbers ----

/**
 * SHA-512 iterations per side of a safety number, as in Signal's numeric fingerprints. Each iteration
 * multiplies the cost of searching for a second key with the same displayed digits.
 */
export const SAFETY_NUMBER_ITERATIONS = 5200

/** Version prefix hashed into each side's fingerprint (Signal's fingerprint version, 2 bytes). */
export const SAFETY_NUMBER_HASH_VERSION = 0

/** Version byte that opens the QR payload of a safety number. */
export const SAFETY_NUMBER_QR_VERSION = 1

/** Bytes of each side's fingerprint carried in the QR payload (Signal uses the first 32). */
export const SAFETY_NUMBER_QR_FINGERPRINT_BYTES = 32

/** Digits each side contributes: 6 chunks of 5 digits (Signal: 30 digits per side, 60 in all). */
export const SAFETY_NUMBER_DIGITS_PER_SIDE = 30

/** Verified device certificates remembered by their bytes (a few per contact device). */
export const VERIFIED_CERTIFICATE_CACHE_ENTRIES = 1024
