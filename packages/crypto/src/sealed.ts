/**
 * Sealed envelopes (Signal's sealed sender v1 construction, with AES-256-GCM): the sender's identity
 * travels inside the ciphertext, so a relay that stores or forwards an envelope learns its recipient
 * mailbox, its size and its timing, never who wrote it.
 *
 * Owns: sealing an already-encrypted session or group message together with the sender's device
 * certificate, and opening it again with checks that the certificate is genuine and belongs to the key
 * that sealed. It does not decrypt the inner message and does not decide whether the sender is trusted
 * (known account, current device list, accepted identity key): the caller does, with what it returns.
 *
 *   e            fresh X25519 key pair, one per envelope
 *   chainKey, key1, nonce1 = HKDF(ikm = DH(e, IK_r), salt = IK_r || e.pub, info = 'ferry/sealed/v1/ephemeral')
 *   encryptedStatic = AES-GCM(key1, nonce1, IK_s.pub, aad)
 *   key2, nonce2 = HKDF(ikm = DH(IK_s, IK_r), salt = chainKey || encryptedStatic, info = 'ferry/sealed/v1/static')
 *   ciphertext = AES-GCM(key2, nonce2, SealedContent { certificate, type, message, groupId }, aad)
 *   aad = 'ferry/sealed/v1' || e.pub || IK_r
 *
 * Nonces: each key above encrypts exactly one plaintext (key1 and, through chainKey, key2 depend on
 * the fresh ephemeral key), so even a constant nonce would never repeat under a key. The nonces are
 * derived from the same HKDF output anyway, as TLS 1.3 derives its IVs: a constant nonce shared by
 * every envelope makes multi-target key search against many envelopes cheaper, while a derived one
 * gives each (key, nonce) pair the full secret entropy at no cost.
 *
 * DH(IK_s, IK_r) depends on the two identity keys alone: it is remembered per local identity key and
 * remote identity key (staticAgreement below), so a seal costs one key generation and one agreement
 * after the first envelope between two devices, and an open one agreement.
 */
import { KEY_BYTES, SealedContent, SealedEnvelope } from '@ferry/wire'
import { concat, constantTimeEqual, toHex, utf8 } from './bytes.js'
import { MAX_REMEMBERED_STATIC_AGREEMENTS } from './constants.js'
import { CryptoInputError, InvalidRecordError } from './errors.js'
import type { CryptoProvider } from './provider/types.js'
import {
  assertX25519PublicKey,
  type VerifiedDeviceCertificate,
  verifyDeviceCertificate,
} from './records/index.js'
import { Secret } from './secret.js'
import type { CryptoContext, LocalDevice } from './types.js'

/** The kind of message inside an envelope: a session's first message, a ratchet message, a group message. */
export type SealedMessageType = 'PRE_KEY' | 'RATCHET' | 'SENDER_KEY'

export interface SealInit {
  /** This device: its identity key seals, its certificate travels inside. */
  readonly sender: LocalDevice
  /** The recipient device's X25519 identity key (from its verified certificate). */
  readonly recipientIdentityKey: Uint8Array
  readonly type: SealedMessageType
  /** Framed PreKeyMessage, RatchetMessage or SenderKeyMessage (already a ciphertext of padded plaintext). */
  readonly message: Uint8Array
  /** The group's ID: required for SENDER_KEY messages, absent otherwise. */
  readonly groupId?: Uint8Array
}

export interface OpenInit {
  /** This device, the envelope's recipient. */
  readonly recipient: LocalDevice
  readonly envelope: Uint8Array
}

export interface OpenedEnvelope {
  /** The sender's device certificate, verified against the account key it names and the sealing key. */
  readonly sender: VerifiedDeviceCertificate
  readonly type: SealedMessageType
  readonly message: Uint8Array
  readonly groupId?: Uint8Array
}

const EPHEMERAL_INFO = utf8('ferry/sealed/v1/ephemeral')
const STATIC_INFO = utf8('ferry/sealed/v1/static')
const AAD_CONTEXT = utf8('ferry/sealed/v1')
const AES_KEY_BYTES = 32
const NONCE_BYTES = 12

/**
 * Seals `message` for the device whose identity key is `recipientIdentityKey`. Returns framed
 * SealedEnvelope bytes. Its length is the message's length plus an overhead that depends only on the
 * sender's certificate, so envelopes of messages in one padding bucket have one length.
 */
export async function sealEnvelope(ctx: CryptoContext, init: SealInit): Promise<Uint8Array> {
  const { provider } = ctx
  assertX25519PublicKey(init.recipientIdentityKey, 'recipient identity key')
  if ((init.type === 'SENDER_KEY') !== (init.groupId !== undefined)) {
    throw new CryptoInputError('sealed envelope: a group ID goes with SENDER_KEY messages and only with them')
  }
  // encoded first, so a message the wire format refuses costs no key agreement
  const content = SealedContent.encode({
    senderCertificate: init.sender.certificate,
    type: messageType(init.type),
    message: init.message,
    ...(init.groupId === undefined ? {} : { groupId: init.groupId }),
  })
  const ephemeral = await provider.x25519Keygen()
  const ephemeralSecret = new Secret(ephemeral.secretKey)
  try {
    const recipientKey = init.recipientIdentityKey
    const aad = concat(AAD_CONTEXT, ephemeral.publicKey, recipientKey)
    const first = await ephemeralKeys(
      provider,
      await provider.x25519(ephemeralSecret.bytes, recipientKey),
      recipientKey,
      ephemeral.publicKey,
    )
    const encryptedStatic = await provider.aesGcmEncrypt(
      first.key.bytes,
      first.nonce,
      init.sender.identityKeyPair.publicKey,
      aad,
    )
    const second = await staticKeys(
      provider,
      await staticAgreement(provider, init.sender.identityKeyPair.secretKey, recipientKey),
      first.chainKey,
      encryptedStatic,
    )
    const ciphertext = await provider.aesGcmEncrypt(second.key.bytes, second.nonce, content, aad)
    return SealedEnvelope.encode({ ephemeralKey: ephemeral.publicKey, encryptedStatic, ciphertext })
  } finally {
    ephemeralSecret.wipe()
  }
}

/**
 * Opens an envelope sealed for `recipient`. Checks, in order: the envelope's framing; the ephemeral
 * key; the sender's identity key decrypts and is a usable X25519 key; the content decrypts; the
 * certificate inside verifies under the account key it names; that certificate's identity key is the
 * one that sealed (else InvalidRecordError); it is not the recipient device itself (a reflected
 * envelope, InvalidRecordError).
 *
 * Throws only typed errors: WireError subclasses, AuthenticationError, InvalidKeyError,
 * InvalidSignatureError, InvalidRecordError.
 */
export async function openEnvelope(ctx: CryptoContext, init: OpenInit): Promise<OpenedEnvelope> {
  const { provider } = ctx
  const { recipient } = init
  const envelope = SealedEnvelope.decode(init.envelope)
  assertX25519PublicKey(envelope.ephemeralKey, 'sealed envelope ephemeral key')
  const recipientKey = recipient.identityKeyPair.publicKey
  const aad = concat(AAD_CONTEXT, envelope.ephemeralKey, recipientKey)
  const first = await ephemeralKeys(
    provider,
    await provider.x25519(recipient.identityKeyPair.secretKey, envelope.ephemeralKey),
    recipientKey,
    envelope.ephemeralKey,
  )
  const senderKey = await provider.aesGcmDecrypt(first.key.bytes, first.nonce, envelope.encryptedStatic, aad)
  assertX25519PublicKey(senderKey, 'sealed sender identity key')
  const second = await staticKeys(
    provider,
    await staticAgreement(provider, recipient.identityKeyPair.secretKey, senderKey),
    first.chainKey,
    envelope.encryptedStatic,
  )
  const content = SealedContent.decode(
    await provider.aesGcmDecrypt(second.key.bytes, second.nonce, envelope.ciphertext, aad),
  )
  const sender = await verifyDeviceCertificate(ctx, content.senderCertificate)
  if (!constantTimeEqual(sender.identityKey, senderKey)) {
    throw new InvalidRecordError(
      'sealed envelope: the certificate names another identity key than the sealing one',
    )
  }
  if (
    constantTimeEqual(sender.accountKey, recipient.address.accountKey) &&
    sender.deviceId === recipient.address.deviceId
  ) {
    throw new InvalidRecordError('sealed envelope: sent by this device itself (reflected)')
  }
  return {
    sender,
    type: sealedMessageType(content.type),
    message: content.message.slice(),
    ...(content.groupId === undefined ? {} : { groupId: content.groupId.slice() }),
  }
}

// ------------------------------------------------------------------------------ key schedule

/** The static agreements of one local identity key, by remote identity key (hex), oldest first. */
interface StaticAgreements {
  /** A copy of the local secret key: an entry is used only while the key it was made for is unchanged. */
  readonly snapshot: Secret
  readonly byPeer: Map<string, Secret>
}

/**
 * Remembered static agreements, by the local secret key's bytes object (a device's identity key pair
 * stays one object while its account record is loaded; when it is dropped, its entries go with it).
 */
const staticAgreements = new WeakMap<Uint8Array, StaticAgreements>()

/**
 * DH(secretKey, publicKey) for sealed sender's static keys, remembered: returns a copy the caller may
 * wipe. Only successful agreements are kept (a low-order key throws every time), at most
 * MAX_REMEMBERED_STATIC_AGREEMENTS per local key; an evicted one is wiped. A local key whose bytes
 * changed since its entries were made (wiped, say) starts again with none.
 */
async function staticAgreement(
  provider: CryptoProvider,
  secretKey: Uint8Array,
  publicKey: Uint8Array,
): Promise<Uint8Array> {
  let memo = staticAgreements.get(secretKey)
  if (memo !== undefined && !constantTimeEqual(memo.snapshot.bytes, secretKey)) {
    forget(secretKey, memo)
    memo = undefined
  }
  // a remote identity key is public: it may name its entry
  const peer = toHex(publicKey)
  const known = memo?.byPeer.get(peer)
  if (memo !== undefined && known !== undefined) {
    // most recently used last
    memo.byPeer.delete(peer)
    memo.byPeer.set(peer, known)
    return known.bytes.slice()
  }
  const shared = await provider.x25519(secretKey, publicKey)
  // the key may have changed while the agreement ran: look again before remembering
  memo = staticAgreements.get(secretKey)
  if (memo === undefined || !constantTimeEqual(memo.snapshot.bytes, secretKey)) {
    if (memo !== undefined) {
      forget(secretKey, memo)
    }
    memo = { snapshot: new Secret(secretKey.slice()), byPeer: new Map() }
    staticAgreements.set(secretKey, memo)
  }
  memo.byPeer.get(peer)?.wipe()
  memo.byPeer.delete(peer)
  memo.byPeer.set(peer, new Secret(shared.slice()))
  if (memo.byPeer.size > MAX_REMEMBERED_STATIC_AGREEMENTS) {
    const [oldest, agreement] = memo.byPeer.entries().next().value!
    memo.byPeer.delete(oldest)
    agreement.wipe()
  }
  return shared
}

function forget(secretKey: Uint8Array, memo: StaticAgreements): void {
  for (const agreement of memo.byPeer.values()) {
    agreement.wipe()
  }
  memo.snapshot.wipe()
  staticAgreements.delete(secretKey)
}

interface EphemeralKeys {
  readonly chainKey: Secret
  readonly key: Secret
  readonly nonce: Uint8Array
}

async function ephemeralKeys(
  provider: CryptoProvider,
  sharedSecret: Uint8Array,
  recipientKey: Uint8Array,
  ephemeralKey: Uint8Array,
): Promise<EphemeralKeys> {
  const okm = await provider.hkdfSha256(
    sharedSecret,
    concat(recipientKey, ephemeralKey),
    EPHEMERAL_INFO,
    KEY_BYTES + AES_KEY_BYTES + NONCE_BYTES,
  )
  sharedSecret.fill(0)
  return {
    chainKey: new Secret(okm.slice(0, KEY_BYTES)),
    key: new Secret(okm.slice(KEY_BYTES, KEY_BYTES + AES_KEY_BYTES)),
    nonce: okm.slice(KEY_BYTES + AES_KEY_BYTES),
  }
}

async function staticKeys(
  provider: CryptoProvider,
  sharedSecret: Uint8Array,
  chainKey: Secret,
  encryptedStatic: Uint8Array,
): Promise<{ readonly key: Secret; readonly nonce: Uint8Array }> {
  const okm = await provider.hkdfSha256(
    sharedSecret,
    concat(chainKey.bytes, encryptedStatic),
    STATIC_INFO,
    AES_KEY_BYTES + NONCE_BYTES,
  )
  sharedSecret.fill(0)
  return { key: new Secret(okm.slice(0, AES_KEY_BYTES)), nonce: okm.slice(AES_KEY_BYTES) }
}

// ------------------------------------------------------------------------------ message types

type WireMessageType = Parameters<typeof SealedContent.encode>[0]['type']

function messageType(type: SealedMessageType): WireMessageType {
  return type as WireMessageType
}

function sealedMessageType(type: WireMessageType): SealedMessageType {
  switch (type) {
    case 'PRE_KEY':
    case 'RATCHET':
    case 'SENDER_KEY':
      return type
    default:
      // the wire codec refuses any other value; this keeps the return type honest
      throw new InvalidRecordError('sealed envelope: unknown message type')
  }
}
