/**
 * PQXDH key agreement (Signal's specification, revision 3) with X25519 and ML-KEM-768.
 *
 * Owns: the DH and KEM computations of both roles and the KDF that turns them into the shared secret
 * SK. Must not know: sessions, stores or message formats — it takes keys that were already checked
 * (bundle signatures, low-order points) and returns SK.
 *
 *   DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)   DH4 = DH(EK_A, OPK_B)
 *   (CT, SS) = ML-KEM-768.Encaps(PQPK_B)
 *   SK = HKDF-SHA-256(salt = 0^32, ikm = 0xFF^32 || DH1 || DH2 || DH3 [|| DH4] || SS, info)
 *
 * DH4 is present only when the bundle had a one-time X25519 pre-key. PQPK_B is a one-time ML-KEM
 * pre-key when one was available, otherwise the signed last-resort ML-KEM pre-key.
 */
import { concat, utf8 } from './bytes.js'
import type { CryptoProvider, KeyPair } from './provider/types.js'
import { assertX25519PublicKey } from './records/keys.js'
import type { VerifiedPreKeyBundle } from './types.js'

/** The KDF info string: names the protocol and its primitives, as the specification asks. */
const PQXDH_INFO = utf8('Ferry_PQXDH_X25519_SHA-256_ML-KEM-768')
/** 32 bytes of 0xFF in front of the DH outputs (domain separation from XEdDSA, per the spec). */
const KDF_PREFIX = new Uint8Array(32).fill(0xff)
const KDF_SALT = new Uint8Array(32)

async function deriveSharedSecret(provider: CryptoProvider, secrets: Uint8Array[]): Promise<Uint8Array> {
  return provider.hkdfSha256(concat(KDF_PREFIX, ...secrets), KDF_SALT, PQXDH_INFO, 32)
}

export interface InitiatorAgreement {
  sharedSecret: Uint8Array
  /** EK_A: its public half travels in the PreKeyMessage. */
  baseKeyPair: KeyPair
  kemCiphertext: Uint8Array
}

/** Alice's side: from her identity key pair and Bob's verified bundle. */
export async function initiatorAgreement(
  provider: CryptoProvider,
  identityKeyPair: KeyPair,
  bundle: VerifiedPreKeyBundle,
): Promise<InitiatorAgreement> {
  // bundles are checked by verifyPreKeyBundle already; these checks keep this module safe on its own
  assertX25519PublicKey(bundle.identityKey, 'identity key')
  assertX25519PublicKey(bundle.signedPreKey.publicKey, 'signed pre-key')
  if (bundle.oneTimePreKey !== undefined) {
    assertX25519PublicKey(bundle.oneTimePreKey.publicKey, 'one-time pre-key')
  }
  const baseKeyPair = await provider.x25519Keygen()
  const kem = await provider.mlKem768Encapsulate(bundle.kemPreKey.publicKey)
  const dhs = await Promise.all([
    provider.x25519(identityKeyPair.secretKey, bundle.signedPreKey.publicKey),
    provider.x25519(baseKeyPair.secretKey, bundle.identityKey),
    provider.x25519(baseKeyPair.secretKey, bundle.signedPreKey.publicKey),
    ...(bundle.oneTimePreKey === undefined
      ? []
      : [provider.x25519(baseKeyPair.secretKey, bundle.oneTimePreKey.publicKey)]),
  ])
  const sharedSecret = await deriveSharedSecret(provider, [...dhs, kem.sharedSecret])
  return { sharedSecret, baseKeyPair, kemCiphertext: kem.ciphertext }
}

export interface ResponderKeys {
  identityKeyPair: KeyPair
  signedPreKeyPair: KeyPair
  oneTimePreKeyPair: KeyPair | undefined
  kemSecretKey: Uint8Array
}

/** Bob's side: from his pre-key secrets and the public values of Alice's PreKeyMessage. */
export async function responderAgreement(
  provider: CryptoProvider,
  keys: ResponderKeys,
  remoteIdentityKey: Uint8Array,
  baseKey: Uint8Array,
  kemCiphertext: Uint8Array,
): Promise<Uint8Array> {
  assertX25519PublicKey(remoteIdentityKey, 'identity key')
  assertX25519PublicKey(baseKey, 'base key')
  const dhs = await Promise.all([
    provider.x25519(keys.signedPreKeyPair.secretKey, remoteIdentityKey),
    provider.x25519(keys.identityKeyPair.secretKey, baseKey),
    provider.x25519(keys.signedPreKeyPair.secretKey, baseKey),
    ...(keys.oneTimePreKeyPair === undefined
      ? []
      : [provider.x25519(keys.oneTimePreKeyPair.secretKey, baseKey)]),
  ])
  const kemSecret = await provider.mlKem768Decapsulate(keys.kemSecretKey, kemCiphertext)
  return deriveSharedSecret(provider, [...dhs, kemSecret])
}
