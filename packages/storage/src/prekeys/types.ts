/**
 * The relay pre-key contract, as the pre-key protocol server in packages/transport asks for it
 * (packages/transport/src/prekeys/backend.ts declares the same shape). The relay stores what a device
 * uploaded and hands out bundles; it verifies nothing itself: the caller has checked the upload's
 * signatures and derived the device key from the verified certificate.
 */

/**
 * Which device the keys belong to: the device address key, account public key (32 bytes) followed by
 * the device ID as a big-endian u32. Opaque to the store (at most MAX_DEVICE_KEY_BYTES).
 */
export type DeviceKey = Uint8Array

export interface OneTimePreKey {
  id: number
  /** X25519 public key, 32 bytes. */
  publicKey: Uint8Array
}

export interface OneTimeKemPreKey {
  /** The pre-key ID inside the signed record (used to store each key once). */
  id: number
  /** Framed Signed(PreKeyBody), kind KEM_ONE_TIME. */
  record: Uint8Array
}

export interface PreKeyUpload {
  /** Framed Signed(DeviceCertificateBody). Replaces the stored one. */
  certificate: Uint8Array
  /** Framed Signed(PreKeyBody), kind SIGNED_X25519. Replaces the stored one. */
  signedPreKey: Uint8Array
  /** Framed Signed(PreKeyBody), kind KEM_LAST_RESORT. Replaces the stored one. */
  kemLastResort: Uint8Array
  /** Appended to those held; an ID already held is replaced, not added twice. */
  oneTimePreKeys: OneTimePreKey[]
  /** Appended likewise, keyed by ID. */
  oneTimeKemPreKeys: OneTimeKemPreKey[]
}

export interface PreKeyCounts {
  oneTime: number
  oneTimeKem: number
}

export type PreKeyUploadOutcome =
  | ({ status: 'stored' } & PreKeyCounts)
  /** Storing the upload would exceed the per-device key quota (MAX_ONE_TIME_PRE_KEYS, MAX_ONE_TIME_KEM_PRE_KEYS): nothing stored. */
  | { status: 'refused'; reason: 'too-many-keys' }

/** What a claim hands out: the fields of a PreKeyBundle. */
export interface ClaimedBundle {
  deviceCertificate: Uint8Array
  signedPreKey: Uint8Array
  /** A one-time KEM pre-key while any is left (and one-time keys are asked for), else the last-resort KEM pre-key. */
  kemPreKey: Uint8Array
  /** Absent once the device's one-time X25519 keys are used up, or when none were asked for. */
  oneTimePreKey?: OneTimePreKey
}

export interface ClaimOptions {
  /**
   * Hand out one-time keys (X25519 and KEM) if any are left. `false` answers with the signed pre-key
   * and the last-resort KEM key only and consumes nothing: the server asks for that once a target is
   * over its one-time claim rate (FAULTS 27). Default: true.
   */
  oneTime?: boolean
}

export interface PreKeyBackend {
  /** Replaces the device's certificate, signed pre-key and last-resort key; appends one-time keys. Durable when resolved. */
  upload(device: DeviceKey, upload: PreKeyUpload): Promise<PreKeyUploadOutcome>
  /**
   * A bundle for the device, or undefined when it never uploaded. Each one-time key is handed out at
   * most once: it is deleted, durably, before the bundle is returned.
   */
  claim(device: DeviceKey, options?: ClaimOptions): Promise<ClaimedBundle | undefined>
  /** One-time keys held for the device. */
  count(device: DeviceKey): Promise<PreKeyCounts>
}
