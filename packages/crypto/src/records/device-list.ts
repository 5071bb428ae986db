/**
 * Device lists: the account key's signed, versioned statement of which devices the account has and
 * where each can be reached (its mailboxes). This module issues, verifies and orders them; it does not
 * fetch, store or publish them.
 */
import { DeviceListBody, type pb } from '@ferry/wire'
import { constantTimeEqual, toHex } from '../bytes.js'
import { InvalidRecordError, StaleRecordError } from '../errors.js'
import type { CryptoContext } from '../types.js'
import { type VerifiedDeviceCertificate, verifyDeviceCertificate } from './certificate.js'
import { SignatureContext } from './constants.js'
import type { AccountKeyPair } from './keys.js'
import { decodeSigned, signRecord, verifyEnvelope } from './signed.js'

/** One mailbox of a device: relay PeerId bytes, relay multiaddrs, mailbox ID. */
export type Mailbox = pb.Mailbox

/** A device as the issuer lists it: its certificate (framed Signed bytes) and its mailboxes. */
export interface DeviceListEntry {
  readonly certificate: Uint8Array
  readonly mailboxes: readonly Mailbox[]
}

export interface DeviceListInit {
  /** Strictly greater than every version this account published before. */
  readonly listVersion: number
  readonly devices: readonly DeviceListEntry[]
}

/** A device list whose signature, certificates and consistency have been checked. */
export interface VerifiedDeviceList {
  readonly accountKey: Uint8Array
  readonly listVersion: number
  /** When the account issued it (ms since the epoch, the issuer's clock: a tie-breaker only). */
  readonly issuedAt: number
  readonly devices: ReadonlyArray<{
    readonly certificate: VerifiedDeviceCertificate
    readonly mailboxes: readonly Mailbox[]
  }>
  /** The framed Signed bytes, exactly as verified. */
  readonly bytes: Uint8Array
}

export interface VerifyDeviceListOptions {
  /** The account the list must belong to; compared in constant time. */
  readonly accountKey?: Uint8Array
  /** The highest version already accepted for this account: a list must be strictly newer. */
  readonly knownVersion?: number
}

/**
 * Signs a device list with the account key (issuedAt = ctx.now()). Every certificate is verified
 * against this account and the list is checked exactly as `verifyDeviceList` checks it, so an account
 * never publishes a list its contacts would refuse. Returns framed Signed bytes.
 */
export async function issueDeviceList(
  ctx: CryptoContext,
  account: AccountKeyPair,
  init: DeviceListInit,
): Promise<Uint8Array> {
  const certificates: VerifiedDeviceCertificate[] = []
  for (const device of init.devices) {
    certificates.push(await verifyDeviceCertificate(ctx, device.certificate, account.publicKey))
  }
  checkDistinct(certificates, init.devices)
  const body = DeviceListBody.encode({
    accountKey: account.publicKey,
    listVersion: init.listVersion,
    issuedAt: ctx.now(),
    devices: init.devices.map((d) => ({
      certificate: d.certificate,
      mailboxes: d.mailboxes.map((m) => ({
        relayPeerId: m.relayPeerId,
        relayAddrs: [...m.relayAddrs],
        mailboxId: m.mailboxId,
      })),
    })),
  })
  return signRecord(ctx.provider, account.secret.bytes, SignatureContext.DeviceList, body)
}

/**
 * Verifies a device list:
 * - it names `options.accountKey` when given (else InvalidRecordError) and is signed by the account key
 *   it names (else InvalidSignatureError; a zero or missing signature included);
 * - its version is strictly greater than `options.knownVersion` when given (else StaleRecordError: a
 *   replayed or rolled-back list is never accepted, FAULTS 32/34);
 * - every certificate in it is signed by this same account and names it (a forged entry throws
 *   InvalidRecordError for a certificate of another account, InvalidSignatureError for a bad signature);
 * - no two entries share a device ID, identity key, signing key, PeerId or mailbox ID (InvalidRecordError).
 * Malformed bytes throw the wire package's typed errors.
 */
export async function verifyDeviceList(
  ctx: CryptoContext,
  bytes: Uint8Array,
  options: VerifyDeviceListOptions = {},
): Promise<VerifiedDeviceList> {
  const envelope = decodeSigned(bytes)
  const body = DeviceListBody.decode(envelope.body)
  if (options.accountKey !== undefined && !constantTimeEqual(body.accountKey, options.accountKey)) {
    throw new InvalidRecordError('device list: belongs to another account')
  }
  await verifyEnvelope(ctx.provider, body.accountKey, SignatureContext.DeviceList, envelope)
  if (options.knownVersion !== undefined && body.listVersion <= options.knownVersion) {
    throw new StaleRecordError(
      `device list: version ${body.listVersion} is not newer than the known version ${options.knownVersion}`,
    )
  }
  const certificates: VerifiedDeviceCertificate[] = []
  for (const device of body.devices) {
    certificates.push(await verifyDeviceCertificate(ctx, device.certificate, body.accountKey))
  }
  checkDistinct(certificates, body.devices)
  return {
    accountKey: body.accountKey.slice(),
    listVersion: body.listVersion,
    issuedAt: body.issuedAt,
    devices: body.devices.map((device, i) => ({
      certificate: certificates[i]!,
      mailboxes: device.mailboxes.map((m) => ({
        relayPeerId: m.relayPeerId.slice(),
        relayAddrs: [...m.relayAddrs],
        mailboxId: m.mailboxId.slice(),
      })),
    })),
    bytes: bytes.slice(),
  }
}

function checkDistinct(
  certificates: readonly VerifiedDeviceCertificate[],
  devices: readonly DeviceListEntry[],
): void {
  const seen = {
    'device ID': new Set<string>(),
    'identity key': new Set<string>(),
    'signing key': new Set<string>(),
    PeerId: new Set<string>(),
    'mailbox ID': new Set<string>(),
  }
  const once = (what: keyof typeof seen, key: string): void => {
    if (seen[what].has(key)) {
      throw new InvalidRecordError(`device list: two entries share a ${what}`)
    }
    seen[what].add(key)
  }
  certificates.forEach((c, i) => {
    once('device ID', String(c.deviceId))
    once('identity key', toHex(c.identityKey))
    once('signing key', toHex(c.signingKey))
    once('PeerId', toHex(c.peerId))
    for (const mailbox of devices[i]?.mailboxes ?? []) {
      once('mailbox ID', toHex(mailbox.mailboxId))
    }
  })
}

/** What the order of device lists looks at. */
export interface DeviceListOrderKey {
  readonly listVersion: number
  readonly issuedAt: number
  readonly bytes: Uint8Array
}

/**
 * Orders two verified lists of the same account: positive when `a` should win. The higher version
 * wins. Two different lists with the same version (the account signed twice, e.g. after restoring a
 * backup) are ordered by the later issuedAt, then by the bytes (lexicographically greater wins), so
 * every relay and DHT node settles on the same list whatever order the lists arrived in.
 */
export function compareDeviceLists(a: DeviceListOrderKey, b: DeviceListOrderKey): number {
  if (a.listVersion !== b.listVersion) {
    return a.listVersion > b.listVersion ? 1 : -1
  }
  if (a.issuedAt !== b.issuedAt) {
    return a.issuedAt > b.issuedAt ? 1 : -1
  }
  return compareBytes(a.bytes, b.bytes)
}

/**
 * Picks the list to keep from two verified lists (the DHT selector's rule): see `compareDeviceLists`
 * for the order and its tie rule. Returns `a` when they are identical.
 */
export function selectDeviceList(a: VerifiedDeviceList, b: VerifiedDeviceList): VerifiedDeviceList {
  return compareDeviceLists(a, b) >= 0 ? a : b
}

/**
 * A kad-dht selector over device-list records (framed Signed bytes): the index of the record to keep,
 * by the order of `compareDeviceLists`. DHT selectors are synchronous and run after the DHT's
 * validator, so every record here must already have passed `verifyDeviceList` (the validator's job);
 * this only decodes them to read version and issue time. A record that does not decode never wins.
 * Returns 0 for an empty array.
 */
export function selectDeviceListRecord(records: readonly Uint8Array[]): number {
  let best = 0
  let bestKey: DeviceListOrderKey | undefined
  records.forEach((bytes, i) => {
    let key: DeviceListOrderKey
    try {
      const body = DeviceListBody.decode(decodeSigned(bytes).body)
      key = { listVersion: body.listVersion, issuedAt: body.issuedAt, bytes }
    } catch {
      return
    }
    if (bestKey === undefined || compareDeviceLists(key, bestKey) > 0) {
      best = i
      bestKey = key
    }
  })
  return best
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength)
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return a[i]! > b[i]! ? 1 : -1
    }
  }
  return a.byteLength === b.byteLength ? 0 : a.byteLength > b.byteLength ? 1 : -1
}
