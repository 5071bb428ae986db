/**
 * Types shared by the crypto layers: who a device is, and what a verified pre-key bundle holds.
 */
import { toHex } from './bytes.js'
import type { CryptoProvider, KeyPair } from './provider/types.js'

/** A device of an account: the account's Ed25519 public key and the device number. */
export interface DeviceAddress {
  readonly accountKey: Uint8Array
  readonly deviceId: number
}

/** This device's own keys, as the session layers need them. */
export interface LocalDevice {
  readonly address: DeviceAddress
  /** X25519 identity key pair used in PQXDH and sealing. */
  readonly identityKeyPair: KeyPair
  /** Ed25519 key pair that signs this device's pre-keys. */
  readonly signingKeyPair: KeyPair
  /** Framed Signed(DeviceCertificateBody) issued by the account key. */
  readonly certificate: Uint8Array
}

/** A pre-key bundle whose certificate chain and signatures have been checked. */
export interface VerifiedPreKeyBundle {
  readonly address: DeviceAddress
  /** The device's X25519 identity key, from its account-signed certificate. */
  readonly identityKey: Uint8Array
  /** The device's Ed25519 signing key, from the same certificate. */
  readonly signingKey: Uint8Array
  readonly signedPreKey: { readonly id: number; readonly publicKey: Uint8Array }
  readonly kemPreKey: { readonly id: number; readonly publicKey: Uint8Array; readonly lastResort: boolean }
  readonly oneTimePreKey?: { readonly id: number; readonly publicKey: Uint8Array }
}

/**
 * Time and randomness are inputs: every operation that needs them takes this, defaulted at the
 * facade (`now` = Date.now, `provider` = the platform provider).
 */
export interface CryptoContext {
  readonly provider: CryptoProvider
  readonly now: () => number
}

/**
 * Device numbers whose address strings are remembered per account-key array: an account has a few
 * devices; the bound keeps an array reused with many device numbers from growing its entry.
 */
const MAX_REMEMBERED_DEVICES_PER_KEY = 64

/**
 * The hex of account keys already seen, per key array, with a copy of the bytes it was made from: an
 * entry serves only while the array still holds those bytes (a caller may reuse an array), and lives
 * as long as the array does. Public keys only.
 */
const accountKeyHex = new WeakMap<
  Uint8Array,
  { readonly bytes: Uint8Array; readonly hex: string; readonly byDevice: Map<number, string> }
>()

/**
 * A stable string key for a device address: hex account key, a dot, the device number. Every lock and
 * store access names its device this way, so the hex of each account-key array is remembered.
 */
export function addressKey(address: DeviceAddress): string {
  const key = address.accountKey
  let known = accountKeyHex.get(key)
  if (known === undefined || !sameBytes(known.bytes, key)) {
    known = { bytes: key.slice(), hex: toHex(key), byDevice: new Map() }
    accountKeyHex.set(key, known)
  }
  // one string per (key, device): a Map that sees the same string again does not hash it again
  let text = known.byDevice.get(address.deviceId)
  if (text === undefined) {
    text = `${known.hex}.${address.deviceId}`
    if (known.byDevice.size < MAX_REMEMBERED_DEVICES_PER_KEY) {
      known.byDevice.set(address.deviceId, text)
    }
  }
  return text
}

/** Equality of public bytes (no secrets here, so no need for constant time). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const length = a.byteLength
  if (length !== b.byteLength) {
    return false
  }
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) {
      return false
    }
  }
  return true
}
