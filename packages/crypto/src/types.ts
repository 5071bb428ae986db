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

/** A stable string key for a device address: hex account key, a dot, the device number. */
export function addressKey(address: DeviceAddress): string {
  return `${toHex(address.accountKey)}.${address.deviceId}`
}
