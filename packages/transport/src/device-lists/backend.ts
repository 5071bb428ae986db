/**
 * The storage a device-list server needs, and the record check it takes from the relay node.
 * packages/storage implements the backend (packages/storage/src/device-lists/types.ts declares the
 * same shape: change both together); relay-node builds the verifier from @ferry/crypto/records.
 */

export interface DeviceListBackend {
  /** The newest stored list of the account (framed Signed(DeviceListBody)), or undefined. */
  get(accountKey: Uint8Array): Promise<Uint8Array | undefined>
  /** Stores the record only if `listVersion` is newer than the stored one's. Durable when resolved. */
  put(accountKey: Uint8Array, listVersion: number, record: Uint8Array): Promise<'stored' | 'stale'>
}

/** What the verifier read from a list whose signature checked out. */
export interface VerifiedDeviceList {
  /** The account public key that signed the list (32 bytes). */
  accountKey: Uint8Array
  listVersion: number
}

/**
 * Checks a framed Signed(DeviceListBody): well-formed, signed by the account key it names, every
 * device certificate signed by that account key. Resolves to the account and version, or undefined
 * (or a rejection) when anything fails. Whether the version is newer than the stored one is the
 * backend's check, made atomically with the write.
 */
export type DeviceListVerifier = (record: Uint8Array) => Promise<VerifiedDeviceList | undefined>
