/**
 * Safety numbers: what two people compare out of band (read aloud, or one scans the other's QR code)
 * to know that the account keys their apps use are really each other's. The design is Signal's
 * numeric fingerprint (libsignal `fingerprint.rs`): per account, SHA-512 iterated 5200 times over
 * version || key || stable ID || key, then hash || key; 30 digits from the first 30 bytes (6 chunks of
 * 5 bytes, each big-endian mod 100000); the two halves in sorted order, so both sides see one string.
 *
 * It covers the account keys only, on purpose. Every device key is certified by its account key (device
 * certificates and device lists verify under it), so checking the account key once authenticates every
 * device that account adds later. Including device keys or lists would change the number whenever
 * someone links a device, training users to dismiss changes; a change of the account key itself is
 * what must never pass silently, and it changes the number.
 */
import { concat, constantTimeEqual, utf8 } from '../bytes.js'
import type { CryptoProvider } from '../provider/types.js'
import type { CryptoContext } from '../types.js'
import { accountIdFromKey } from './account-id.js'
import {
  SAFETY_NUMBER_DIGITS_PER_SIDE,
  SAFETY_NUMBER_HASH_VERSION,
  SAFETY_NUMBER_ITERATIONS,
  SAFETY_NUMBER_QR_FINGERPRINT_BYTES,
  SAFETY_NUMBER_QR_VERSION,
} from './constants.js'
import { assertEd25519PublicKey } from './keys.js'

/** One party to a safety number. */
export interface SafetyNumberParty {
  readonly accountKey: Uint8Array
}

export interface SafetyNumber {
  /** 60 digits in 12 groups of 5, separated by single spaces; the same on both sides. */
  readonly digits: string
  /** The payload to show as a QR code: version byte, local fingerprint, remote fingerprint. */
  readonly qr: Uint8Array
}

const CHUNK_BYTES = 5
const CHUNK_MODULUS = 100_000
const QR_BYTES = 1 + 2 * SAFETY_NUMBER_QR_FINGERPRINT_BYTES

/**
 * Signal's numeric fingerprint of one key: SHA-512 over version (2 bytes, big-endian) || key ||
 * stable ID || key, then `iterations - 1` more rounds of SHA-512 over hash || key. Exported for the
 * known-answer test against libsignal's vectors; `safetyNumber` is what callers use.
 */
export async function numericFingerprint(
  provider: CryptoProvider,
  key: Uint8Array,
  stableId: Uint8Array,
  iterations: number = SAFETY_NUMBER_ITERATIONS,
): Promise<Uint8Array> {
  const version = Uint8Array.of(SAFETY_NUMBER_HASH_VERSION >>> 8, SAFETY_NUMBER_HASH_VERSION & 0xff)
  let hash = await provider.sha512(concat(version, key, stableId, key))
  for (let i = 1; i < iterations; i++) {
    hash = await provider.sha512(concat(hash, key))
  }
  return hash
}

/** The 30 displayed digits of one fingerprint: 6 chunks of 5 bytes, each big-endian mod 100000. */
export function fingerprintDigits(hash: Uint8Array): string {
  let out = ''
  for (let offset = 0; offset < SAFETY_NUMBER_DIGITS_PER_SIDE; offset += CHUNK_BYTES) {
    let chunk = 0
    for (let i = 0; i < CHUNK_BYTES; i++) {
      chunk = chunk * 256 + hash[offset + i]!
    }
    out += String(chunk % CHUNK_MODULUS).padStart(5, '0')
  }
  return out
}

/** The stable identifier hashed with an account key: its account ID, as Signal hashes a service ID. */
function accountFingerprint(provider: CryptoProvider, accountKey: Uint8Array): Promise<Uint8Array> {
  return numericFingerprint(provider, accountKey, utf8(accountIdFromKey(accountKey)))
}

async function fingerprints(
  ctx: CryptoContext,
  local: SafetyNumberParty,
  remote: SafetyNumberParty,
): Promise<{ local: Uint8Array; remote: Uint8Array }> {
  assertEd25519PublicKey(local.accountKey, 'local account key')
  assertEd25519PublicKey(remote.accountKey, 'remote account key')
  return {
    local: await accountFingerprint(ctx.provider, local.accountKey),
    remote: await accountFingerprint(ctx.provider, remote.accountKey),
  }
}

/** The safety number between this account (`local`) and a contact (`remote`). */
export async function safetyNumber(
  ctx: CryptoContext,
  local: SafetyNumberParty,
  remote: SafetyNumberParty,
): Promise<SafetyNumber> {
  const fp = await fingerprints(ctx, local, remote)
  const localDigits = fingerprintDigits(fp.local)
  const remoteDigits = fingerprintDigits(fp.remote)
  const joined = localDigits <= remoteDigits ? localDigits + remoteDigits : remoteDigits + localDigits
  const digits = joined.match(/\d{5}/g)!.join(' ')
  const qr = concat(
    Uint8Array.of(SAFETY_NUMBER_QR_VERSION),
    fp.local.subarray(0, SAFETY_NUMBER_QR_FINGERPRINT_BYTES),
    fp.remote.subarray(0, SAFETY_NUMBER_QR_FINGERPRINT_BYTES),
  )
  return { digits, qr }
}

/**
 * True when `scanned` (the QR payload shown by the contact's device) is the safety number of this
 * pair: its "local" half must be the contact's fingerprint and its "remote" half ours (compared in
 * constant time). A payload of another length or version gives false.
 */
export async function compareScannedSafetyNumber(
  ctx: CryptoContext,
  local: SafetyNumberParty,
  remote: SafetyNumberParty,
  scanned: Uint8Array,
): Promise<boolean> {
  if (!(scanned instanceof Uint8Array) || scanned.byteLength !== QR_BYTES) {
    return false
  }
  if (scanned[0] !== SAFETY_NUMBER_QR_VERSION) {
    return false
  }
  const fp = await fingerprints(ctx, local, remote)
  const theirs = scanned.subarray(1, 1 + SAFETY_NUMBER_QR_FINGERPRINT_BYTES)
  const ours = scanned.subarray(1 + SAFETY_NUMBER_QR_FINGERPRINT_BYTES)
  const theirsMatches = constantTimeEqual(theirs, fp.remote.subarray(0, SAFETY_NUMBER_QR_FINGERPRINT_BYTES))
  const oursMatches = constantTimeEqual(ours, fp.local.subarray(0, SAFETY_NUMBER_QR_FINGERPRINT_BYTES))
  return theirsMatches && oursMatches
}
