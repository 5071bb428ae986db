/**
 * Device certificates: the account key's signature binding one device (number, libp2p PeerId, X25519
 * identity key, Ed25519 signing key) to the account. Issuing and verifying them is all this module
 * does; which devices an account has is the device list's business.
 */
import { DeviceCertificateBody } from '@ferry/wire'
import { constantTimeEqual, fromCharCodes } from '../bytes.js'
import { InvalidRecordError } from '../errors.js'
import type { CryptoContext, LocalDevice } from '../types.js'
import { SignatureContext, VERIFIED_CERTIFICATE_CACHE_ENTRIES } from './constants.js'
import {
  type AccountKeyPair,
  assertEd25519PublicKey,
  assertX25519PublicKey,
  generateDeviceKeys,
} from './keys.js'
import { decodeSigned, signRecord, verifyEnvelope } from './signed.js'

/** What a certificate binds, as the issuer gives it. */
export interface DeviceCertificateInit {
  /** Device number within the account, 1 or more. */
  readonly deviceId: number
  /** The device's Ed25519 public key that signs its pre-keys. */
  readonly signingKey: Uint8Array
  /** The device's X25519 identity public key used in sessions. */
  readonly identityKey: Uint8Array
  /** The device's libp2p PeerId as multihash bytes. */
  readonly peerId: Uint8Array
}

/** A certificate whose signature by the account key it names has been checked. */
export interface VerifiedDeviceCertificate {
  readonly accountKey: Uint8Array
  readonly deviceId: number
  readonly signingKey: Uint8Array
  readonly identityKey: Uint8Array
  readonly peerId: Uint8Array
  /** When the account issued it (ms since the epoch, the issuer's clock: informative only). */
  readonly createdAt: number
  /** The framed Signed bytes, exactly as verified. */
  readonly bytes: Uint8Array
}

/**
 * Signs a certificate for a device with the account key. The device's keys are checked first, so an
 * account never vouches for a key that verification would refuse. Returns framed Signed bytes.
 */
export async function issueDeviceCertificate(
  ctx: CryptoContext,
  account: AccountKeyPair,
  init: DeviceCertificateInit,
): Promise<Uint8Array> {
  assertX25519PublicKey(init.identityKey, 'device identity key')
  assertEd25519PublicKey(init.signingKey, 'device signing key')
  const body = DeviceCertificateBody.encode({
    accountKey: account.publicKey,
    deviceId: init.deviceId,
    signingKey: init.signingKey,
    identityKey: init.identityKey,
    peerId: init.peerId,
    createdAt: ctx.now(),
  })
  return signRecord(ctx.provider, account.secret.bytes, SignatureContext.DeviceCertificate, body)
}

/**
 * Verifies a device certificate. It must be signed by the account key it names; when
 * `expectedAccountKey` is given, the named key must equal it (constant-time) or InvalidRecordError is
 * thrown before any signature work. The body is decoded (by the hardened wire codec) before the signature
 * check only to learn which account it names; nothing else in it is used until the signature verifies.
 * The identity key must pass `assertX25519PublicKey` and the signing key `assertEd25519PublicKey`.
 *
 * Throws: the wire package's typed errors (malformed bytes), InvalidRecordError (another account),
 * InvalidKeyError (unusable key), InvalidSignatureError (bad signature).
 */
export async function verifyDeviceCertificate(
  ctx: CryptoContext,
  bytes: Uint8Array,
  expectedAccountKey?: Uint8Array,
): Promise<VerifiedDeviceCertificate> {
  const id = binaryString(bytes)
  const known = verified.get(id)
  if (known !== undefined) {
    if (expectedAccountKey !== undefined && !constantTimeEqual(known.accountKey, expectedAccountKey)) {
      throw new InvalidRecordError('device certificate: issued by another account')
    }
    verified.delete(id)
    verified.set(id, known)
    return copyOf(known)
  }
  const envelope = decodeSigned(bytes)
  const body = DeviceCertificateBody.decode(envelope.body)
  if (expectedAccountKey !== undefined && !constantTimeEqual(body.accountKey, expectedAccountKey)) {
    throw new InvalidRecordError('device certificate: issued by another account')
  }
  await verifyEnvelope(ctx.provider, body.accountKey, SignatureContext.DeviceCertificate, envelope)
  assertX25519PublicKey(body.identityKey, 'device certificate identity key')
  assertEd25519PublicKey(body.signingKey, 'device certificate signing key')
  // copies: decoded fields are views into the caller's buffer
  const result: VerifiedDeviceCertificate = {
    accountKey: body.accountKey.slice(),
    deviceId: body.deviceId,
    signingKey: body.signingKey.slice(),
    identityKey: body.identityKey.slice(),
    peerId: body.peerId.slice(),
    createdAt: body.createdAt,
    bytes: bytes.slice(),
  }
  verified.set(id, copyOf(result))
  if (verified.size > VERIFIED_CERTIFICATE_CACHE_ENTRIES) {
    const oldest = verified.keys().next()
    if (oldest.done !== true) {
      verified.delete(oldest.value)
    }
  }
  return result
}

/**
 * Certificates that verified, by their exact bytes (public data: a sender's certificate rides in every
 * sealed envelope, and checking its signature again each time is an Ed25519 verification per message).
 * The same bytes always verify the same way, so an entry can never be wrong; bounded, least recently
 * used first out.
 */
const verified = new Map<string, VerifiedDeviceCertificate>()

/** One UTF-16 code unit per byte: a Map key naming exactly these bytes. */
function binaryString(bytes: Uint8Array): string {
  return fromCharCodes(bytes)
}

function copyOf(c: VerifiedDeviceCertificate): VerifiedDeviceCertificate {
  return {
    accountKey: c.accountKey.slice(),
    deviceId: c.deviceId,
    signingKey: c.signingKey.slice(),
    identityKey: c.identityKey.slice(),
    peerId: c.peerId.slice(),
    createdAt: c.createdAt,
    bytes: c.bytes.slice(),
  }
}

/**
 * A new device of this account: fresh identity and signing key pairs and their certificate. For the
 * client when it links a device, and for tests.
 */
export async function createLocalDevice(
  ctx: CryptoContext,
  account: AccountKeyPair,
  init: { readonly deviceId: number; readonly peerId: Uint8Array },
): Promise<LocalDevice> {
  const keys = await generateDeviceKeys(ctx.provider)
  const certificate = await issueDeviceCertificate(ctx, account, {
    deviceId: init.deviceId,
    signingKey: keys.signingKeyPair.publicKey,
    identityKey: keys.identityKeyPair.publicKey,
    peerId: init.peerId,
  })
  return {
    address: { accountKey: account.publicKey.slice(), deviceId: init.deviceId },
    identityKeyPair: keys.identityKeyPair,
    signingKeyPair: keys.signingKeyPair,
    certificate,
  }
}
