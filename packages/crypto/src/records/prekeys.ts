/**
 * Pre-keys and pre-key bundles: generating a device's signed X25519 pre-key, signed ML-KEM-768
 * pre-keys (last-resort and one-time) and unsigned one-time X25519 pre-keys; verifying a pre-key
 * record (the relay does on upload) and a whole bundle (a sender does before PQXDH). Every X25519 key
 * in a bundle passes `assertX25519PublicKey` here, before any DH can see it. No session logic.
 */
import { PreKeyBody, PreKeyBundle, type pb } from '@ferry/wire'
import { CryptoInputError, InvalidRecordError } from '../errors.js'
import type { KeyPair } from '../provider/types.js'
import type { CryptoContext, VerifiedPreKeyBundle } from '../types.js'
import { verifyDeviceCertificate } from './certificate.js'
import { MAX_ONE_TIME_PRE_KEYS_PER_BATCH, MAX_PRE_KEY_ID, SignatureContext } from './constants.js'
import { assertX25519PublicKey } from './keys.js'
import { openSignedRecord, signRecord } from './signed.js'

/** The kinds of signed pre-key record (the wire enum's values, without the unspecified one). */
export type PreKeyKind = Exclude<`${pb.PreKeyKind}`, 'PRE_KEY_KIND_UNSPECIFIED'>

export const PreKeyKind = {
  SignedX25519: 'SIGNED_X25519',
  KemLastResort: 'KEM_LAST_RESORT',
  KemOneTime: 'KEM_ONE_TIME',
} as const satisfies Record<string, PreKeyKind>

/** A pre-key this device generated: its ID, key pair (keep it in the PreKeyStore) and signed record. */
export interface GeneratedPreKey {
  readonly id: number
  readonly keyPair: KeyPair
  /** Framed Signed(PreKeyBody), signed by the device signing key: what is published. */
  readonly record: Uint8Array
}

/** A one-time X25519 pre-key: unsigned, as in X3DH/PQXDH. */
export interface OneTimePreKeyPair {
  readonly id: number
  readonly keyPair: KeyPair
}

/** A pre-key record whose signature by the device signing key has been checked. */
export interface VerifiedPreKey {
  readonly kind: PreKeyKind
  readonly id: number
  readonly publicKey: Uint8Array
  /** When the device made it (ms since the epoch, the device's clock: informative only). */
  readonly createdAt: number
}

function assertPreKeyId(id: number, what: string): void {
  if (!Number.isInteger(id) || id < 0 || id > MAX_PRE_KEY_ID) {
    throw new CryptoInputError(`${what}: a pre-key ID is an integer from 0 to ${MAX_PRE_KEY_ID}`)
  }
}

/**
 * Signs a pre-key record (kind, ID, public key, `ctx.now()` as its creation time) with the device
 * signing key. Ed25519 is deterministic: the same inputs at the same time give the same record, so a
 * device can re-create the record of a pre-key it keeps instead of storing it.
 */
export async function signPreKey(
  ctx: CryptoContext,
  signingKeyPair: KeyPair,
  kind: PreKeyKind,
  id: number,
  publicKey: Uint8Array,
): Promise<Uint8Array> {
  const body = PreKeyBody.encode({
    kind: kind as pb.PreKeyKind,
    id,
    publicKey,
    createdAt: ctx.now(),
  })
  return signRecord(ctx.provider, signingKeyPair.secretKey, SignatureContext.PreKey, body)
}

/** A fresh X25519 signed pre-key, signed by the device signing key (Ed25519 key pair). */
export async function generateSignedPreKey(
  ctx: CryptoContext,
  signingKeyPair: KeyPair,
  id: number,
): Promise<GeneratedPreKey> {
  assertPreKeyId(id, 'signed pre-key')
  const keyPair = await ctx.provider.x25519Keygen()
  const record = await signPreKey(ctx, signingKeyPair, PreKeyKind.SignedX25519, id, keyPair.publicKey)
  return { id, keyPair, record }
}

/**
 * A fresh ML-KEM-768 pre-key, signed by the device signing key: the last-resort key (always
 * published, reused until replaced) or a one-time key (handed out once by a relay).
 */
export async function generateKemPreKey(
  ctx: CryptoContext,
  signingKeyPair: KeyPair,
  id: number,
  options: { readonly lastResort: boolean },
): Promise<GeneratedPreKey> {
  assertPreKeyId(id, 'KEM pre-key')
  const keyPair = await ctx.provider.mlKem768Keygen()
  const kind = options.lastResort ? PreKeyKind.KemLastResort : PreKeyKind.KemOneTime
  const record = await signPreKey(ctx, signingKeyPair, kind, id, keyPair.publicKey)
  return { id, keyPair, record }
}

/**
 * `count` fresh one-time X25519 pre-keys with IDs firstId, firstId + 1, ... (1 to
 * MAX_ONE_TIME_PRE_KEYS_PER_BATCH of them; every ID within the uint32 range).
 */
export async function generateOneTimePreKeys(
  ctx: CryptoContext,
  firstId: number,
  count: number,
): Promise<OneTimePreKeyPair[]> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_ONE_TIME_PRE_KEYS_PER_BATCH) {
    throw new CryptoInputError(
      `one-time pre-keys: generate 1 to ${MAX_ONE_TIME_PRE_KEYS_PER_BATCH} at a time, not ${count}`,
    )
  }
  assertPreKeyId(firstId, 'one-time pre-key')
  assertPreKeyId(firstId + count - 1, 'one-time pre-key')
  const out: OneTimePreKeyPair[] = []
  for (let i = 0; i < count; i++) {
    out.push({ id: firstId + i, keyPair: await ctx.provider.x25519Keygen() })
  }
  return out
}

/**
 * Verifies a signed pre-key record under the device signing key `signingKey` (from the device's
 * verified certificate) and returns what it holds. Its kind must be one of `expectedKinds` (else
 * InvalidRecordError); an X25519 key must pass `assertX25519PublicKey` (else InvalidKeyError). A bad
 * signature throws InvalidSignatureError; malformed bytes the wire package's typed errors. The relay
 * calls this on upload, the sender (through `verifyPreKeyBundle`) before PQXDH.
 *
 * An ML-KEM key's length is checked by the wire codec; its FIPS 203 encapsulation-key check happens
 * in the provider's `mlKem768Encapsulate`, which throws InvalidKeyError for a bad key.
 */
export async function verifySignedPreKey(
  ctx: CryptoContext,
  signingKey: Uint8Array,
  record: Uint8Array,
  expectedKinds: readonly PreKeyKind[],
): Promise<VerifiedPreKey> {
  const body = PreKeyBody.decode(
    await openSignedRecord(ctx.provider, signingKey, SignatureContext.PreKey, record),
  )
  const kind = body.kind as string as PreKeyKind
  if (!expectedKinds.includes(kind)) {
    throw new InvalidRecordError(`pre-key: kind ${kind} where ${expectedKinds.join(' or ')} was expected`)
  }
  if (kind === PreKeyKind.SignedX25519) {
    assertX25519PublicKey(body.publicKey, 'signed pre-key')
  }
  return { kind, id: body.id, publicKey: body.publicKey.slice(), createdAt: body.createdAt }
}

/** The parts of a bundle, as a device publishes them (records exactly as generated). */
export interface PreKeyBundleInit {
  /** Framed Signed(DeviceCertificateBody). */
  readonly certificate: Uint8Array
  /** Framed Signed(PreKeyBody) of kind SIGNED_X25519. */
  readonly signedPreKey: Uint8Array
  /** Framed Signed(PreKeyBody) of kind KEM_LAST_RESORT or KEM_ONE_TIME. */
  readonly kemPreKey: Uint8Array
  /** A one-time X25519 pre-key, when one is left. */
  readonly oneTimePreKey?: { readonly id: number; readonly publicKey: Uint8Array }
}

/** Frames a pre-key bundle (the relay assembles one per claim). Wire limits apply. */
export function buildPreKeyBundle(init: PreKeyBundleInit): Uint8Array {
  const bundle: pb.PreKeyBundle = {
    deviceCertificate: init.certificate,
    signedPreKey: init.signedPreKey,
    kemPreKey: init.kemPreKey,
  }
  if (init.oneTimePreKey !== undefined) {
    assertPreKeyId(init.oneTimePreKey.id, 'one-time pre-key')
    bundle.oneTimePreKey = { id: init.oneTimePreKey.id, publicKey: init.oneTimePreKey.publicKey }
  }
  return PreKeyBundle.encode(bundle)
}

export interface VerifyPreKeyBundleOptions {
  /** The account the device must belong to (compared in constant time). */
  readonly accountKey?: Uint8Array
  /** The device number the bundle was claimed for. */
  readonly deviceId?: number
}

/**
 * Verifies a claimed pre-key bundle before any DH uses it:
 * 1. the device certificate verifies under the account key it names, which must be
 *    `options.accountKey` when given; its device ID must be `options.deviceId` when given
 *    (InvalidRecordError); its identity key passes `assertX25519PublicKey`;
 * 2. the signed pre-key (kind SIGNED_X25519) and the KEM pre-key (KEM_LAST_RESORT or KEM_ONE_TIME)
 *    verify under the certificate's signing key (InvalidSignatureError), the X25519 one passing
 *    `assertX25519PublicKey`;
 * 3. the one-time pre-key, when present, passes `assertX25519PublicKey`.
 * Malformed bytes throw the wire package's typed errors.
 */
export async function verifyPreKeyBundle(
  ctx: CryptoContext,
  bytes: Uint8Array,
  options: VerifyPreKeyBundleOptions = {},
): Promise<VerifiedPreKeyBundle> {
  const bundle = PreKeyBundle.decode(bytes)
  const certificate = await verifyDeviceCertificate(ctx, bundle.deviceCertificate, options.accountKey)
  if (options.deviceId !== undefined && certificate.deviceId !== options.deviceId) {
    throw new InvalidRecordError('pre-key bundle: certificate of another device')
  }
  const signedPreKey = await verifySignedPreKey(ctx, certificate.signingKey, bundle.signedPreKey, [
    PreKeyKind.SignedX25519,
  ])
  const kemPreKey = await verifySignedPreKey(ctx, certificate.signingKey, bundle.kemPreKey, [
    PreKeyKind.KemLastResort,
    PreKeyKind.KemOneTime,
  ])
  const oneTime = bundle.oneTimePreKey
  if (oneTime !== undefined) {
    assertX25519PublicKey(oneTime.publicKey, 'one-time pre-key')
  }
  return {
    address: { accountKey: certificate.accountKey, deviceId: certificate.deviceId },
    identityKey: certificate.identityKey,
    signingKey: certificate.signingKey,
    signedPreKey: { id: signedPreKey.id, publicKey: signedPreKey.publicKey },
    kemPreKey: {
      id: kemPreKey.id,
      publicKey: kemPreKey.publicKey,
      lastResort: kemPreKey.kind === PreKeyKind.KemLastResort,
    },
    ...(oneTime === undefined
      ? {}
      : { oneTimePreKey: { id: oneTime.id, publicKey: oneTime.publicKey.slice() } }),
  }
}
