/**
 * The storage a pre-key server needs, and the record check it takes from the relay node (DESIGN §1:
 * transport neither stores nor verifies Ferry records itself). packages/storage implements the
 * backend (packages/storage/src/prekeys/types.ts declares the same shape: change both together);
 * relay-node builds the verifier from @ferry/crypto/records.
 */

/**
 * Which device the keys belong to: the device address key, account public key (32 bytes) followed by
 * the device ID as a big-endian u32. See `deviceKey`.
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
  /** Storing the upload would exceed the store's per-device key quota: nothing stored. */
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

/** Who signed an upload, as the verifier found it in the upload's certificate. */
export interface VerifiedUploader {
  /** The account public key the certificate is signed by (32 bytes). */
  accountKey: Uint8Array
  deviceId: number
  /** The device signing key the certificate binds (raw Ed25519, 32 bytes). */
  signingKey: Uint8Array
}

/**
 * Checks an upload's records: the certificate's account signature, and that the signed pre-key, the
 * last-resort key and every one-time KEM record are signed by the certificate's device signing key
 * and of the right kind. Resolves to the uploader, or undefined (or a rejection) when anything fails.
 * The relay node may also require the device to be in the account's current device list.
 */
export type PreKeyUploadVerifier = (upload: PreKeyUpload) => Promise<VerifiedUploader | undefined>

/** The device address key of (account key, device ID): account key || u32be(device ID). */
export function deviceKey(accountKey: Uint8Array, deviceId: number): DeviceKey {
  const key = new Uint8Array(accountKey.byteLength + 4)
  key.set(accountKey)
  new DataView(key.buffer).setUint32(accountKey.byteLength, deviceId)
  return key
}
