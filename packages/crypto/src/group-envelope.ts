/**
 * Group envelopes: a group message is encrypted once with the sender's sender key (sender-keys.ts),
 * then sealed once for every member under the group's envelope key — a random 256-bit key that the
 * group's admins hand to the members with each membership change, over pairwise sessions. The sealed
 * content names the sender (its device certificate), so relays and gossip peers that are not members
 * learn neither the sender nor the group, and the envelope's size does not grow with the group.
 *
 * The envelope key authenticates membership, not the sender: any member could seal anything under
 * it. The sender is authenticated by the inner SenderKeyMessage, signed with the signing key that
 * sender distributed over its pairwise sessions; the caller must decrypt it as coming from the device
 * the certificate names (groupDecrypt does exactly that).
 *
 * Owns: the outer layer. Must not know: membership rules or stores.
 */
import { AEAD_NONCE_BYTES, GroupEnvelope, SealedContent } from '@ferry/wire'
import { concat, u32be, utf8 } from './bytes.js'
import { CryptoInputError, InvalidMessageError } from './errors.js'
import { type VerifiedDeviceCertificate, verifyDeviceCertificate } from './records/certificate.js'
import type { CryptoContext, LocalDevice } from './types.js'

const AAD_CONTEXT = utf8('ferry/group-envelope/v1')
/** Group envelope keys: AES-256. */
export const GROUP_ENVELOPE_KEY_BYTES = 32

export interface SealGroupInit {
  readonly sender: LocalDevice
  readonly key: Uint8Array
  readonly keyId: number
  /** 16 random bytes; the same ID is used for the relay deposit. */
  readonly envelopeId: Uint8Array
  readonly groupId: Uint8Array
  /** A framed SenderKeyMessage. */
  readonly message: Uint8Array
}

export interface OpenedGroupEnvelope {
  readonly envelopeId: Uint8Array
  readonly keyId: number
  readonly sender: VerifiedDeviceCertificate
  readonly groupId: Uint8Array
  /** The framed SenderKeyMessage: decrypt it as coming from `sender`. */
  readonly message: Uint8Array
}

function associatedData(keyId: number, envelopeId: Uint8Array): Uint8Array {
  return concat(AAD_CONTEXT, u32be(keyId), envelopeId)
}

export async function sealGroupEnvelope(ctx: CryptoContext, init: SealGroupInit): Promise<Uint8Array> {
  if (init.key.byteLength !== GROUP_ENVELOPE_KEY_BYTES) {
    throw new CryptoInputError(`a group envelope key is ${GROUP_ENVELOPE_KEY_BYTES} bytes`)
  }
  const content = SealedContent.encode({
    senderCertificate: init.sender.certificate,
    type: 'SENDER_KEY' as never,
    message: init.message,
    groupId: init.groupId,
  })
  const nonce = ctx.provider.randomBytes(AEAD_NONCE_BYTES)
  const ciphertext = await ctx.provider.aesGcmEncrypt(
    init.key,
    nonce,
    content,
    associatedData(init.keyId, init.envelopeId),
  )
  return GroupEnvelope.encode({ envelopeId: init.envelopeId, keyId: init.keyId, nonce, ciphertext })
}

/** The key ID and envelope ID of a group envelope, before anything is decrypted. */
export function groupEnvelopeHeader(envelope: Uint8Array): { keyId: number; envelopeId: Uint8Array } {
  const { keyId, envelopeId } = GroupEnvelope.decode(envelope)
  return { keyId, envelopeId }
}

/**
 * Opens a group envelope with the key its ID names (`keyFor` returns undefined for keys this device
 * does not hold: InvalidMessageError). Verifies the sender's certificate. Throws typed errors only.
 */
export async function openGroupEnvelope(
  ctx: CryptoContext,
  envelope: Uint8Array,
  keyFor: (keyId: number) => Uint8Array | undefined,
): Promise<OpenedGroupEnvelope> {
  const decoded = GroupEnvelope.decode(envelope)
  const key = keyFor(decoded.keyId)
  if (key === undefined) {
    throw new InvalidMessageError('a group envelope under a key this device does not hold')
  }
  const plaintext = await ctx.provider.aesGcmDecrypt(
    key,
    decoded.nonce,
    decoded.ciphertext,
    associatedData(decoded.keyId, decoded.envelopeId),
  )
  const content = SealedContent.decode(plaintext)
  if (content.type !== 'SENDER_KEY' || content.groupId === undefined) {
    throw new InvalidMessageError('a group envelope must hold a sender-key message')
  }
  const sender = await verifyDeviceCertificate(ctx, content.senderCertificate)
  return {
    envelopeId: decoded.envelopeId.slice(),
    keyId: decoded.keyId,
    sender,
    groupId: content.groupId.slice(),
    message: content.message.slice(),
  }
}
