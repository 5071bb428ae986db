/**
 * @packageDocumentation
 *
 * `@ferry/crypto/records`: Ferry's public records and the checks on them, importable without the
 * session layers (the relay uses this entry point). Keys, account IDs and invites, device
 * certificates, device lists, pre-keys and bundles, safety numbers.
 *
 * @example
 * ```ts
 * import { AccountKeyPair, accountIdFromKey, createLocalDevice, issueDeviceList, verifyDeviceList } from '@ferry/crypto/records'
 *
 * const ctx = { provider, now: Date.now }
 * const account = await AccountKeyPair.generate(provider)
 * const id = accountIdFromKey(account.publicKey) // 'ferry1…', 64 characters, typo-detecting
 * const device = await createLocalDevice(ctx, account, { deviceId: 1, peerId })
 * const list = await issueDeviceList(ctx, account, {
 *   listVersion: 1,
 *   devices: [{ certificate: device.certificate, mailboxes: [] }],
 * })
 * const verified = await verifyDeviceList(ctx, list, { accountKey: account.publicKey, knownVersion: 0 })
 * ```
 */
export {
  accountIdFromKey,
  formatInvite,
  type Invite,
  parseAccountId,
  parseInvite,
} from './account-id.js'
export {
  createLocalDevice,
  type DeviceCertificateInit,
  issueDeviceCertificate,
  type VerifiedDeviceCertificate,
  verifyDeviceCertificate,
} from './certificate.js'
export * from './constants.js'
export {
  compareDeviceLists,
  type DeviceListEntry,
  type DeviceListInit,
  type DeviceListOrderKey,
  issueDeviceList,
  type Mailbox,
  selectDeviceList,
  selectDeviceListRecord,
  type VerifiedDeviceList,
  type VerifyDeviceListOptions,
  verifyDeviceList,
} from './device-list.js'
export {
  AccountKeyPair,
  assertEd25519PublicKey,
  assertX25519PublicKey,
  type DeviceKeys,
  ED25519_SMALL_ORDER_ENCODINGS,
  generateDeviceKeys,
  PUBLIC_KEY_BYTES,
  X25519_LOW_ORDER_POINTS,
} from './keys.js'
export {
  buildPreKeyBundle,
  type GeneratedPreKey,
  generateKemPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  type OneTimePreKeyPair,
  type PreKeyBundleInit,
  PreKeyKind,
  signPreKey,
  type VerifiedPreKey,
  type VerifyPreKeyBundleOptions,
  verifyPreKeyBundle,
  verifySignedPreKey,
} from './prekeys.js'
export {
  compareScannedSafetyNumber,
  type SafetyNumber,
  type SafetyNumberParty,
  safetyNumber,
} from './safety-number.js'
export { openSignedRecord, signedMessage, signRecord } from './signed.js'
