/**
 * The relay device-list contract, as the device-list protocol server in packages/transport asks for
 * it (packages/transport/src/device-lists/backend.ts declares the same shape). The caller verified the
 * list's signature and read its version; the store only keeps the newest.
 */

export interface DeviceListBackend {
  /** The newest stored list of the account (framed Signed(DeviceListBody)), or undefined. */
  get(accountKey: Uint8Array): Promise<Uint8Array | undefined>
  /** Stores the record only if `listVersion` is newer than the stored one's. Durable when resolved. */
  put(accountKey: Uint8Array, listVersion: number, record: Uint8Array): Promise<'stored' | 'stale'>
}
