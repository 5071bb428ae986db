/**
 * The safe codec of every top-level wire object. Each `X.decode` takes untrusted bytes and throws
 * only WireError subclasses; each `X.encode` refuses values that break the same limits.
 */
import { defineCodec } from './codec.js'
import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  ID_BYTES,
  KEM_CIPHERTEXT_BYTES,
  KEM_PUBLIC_KEY_BYTES,
  KEY_BYTES,
  MAILBOX_ID_BYTES,
  MAX_ADDR_LENGTH,
  MAX_CONTENT_BYTES,
  MAX_DEVICE_LIST_BYTES,
  MAX_DEVICES,
  MAX_ENVELOPE_BYTES,
  MAX_FRAME_HEADER_BYTES,
  MAX_GROUP_MEMBERS,
  MAX_GROUP_NAME_BYTES,
  MAX_GROUP_SUBJECTS,
  MAX_MAILBOXES_PER_DEVICE,
  MAX_PEER_ID_BYTES,
  MAX_READ_MARKS,
  MAX_RECEIPT_IDS,
  MAX_RECORD_BYTES,
  MAX_RELAY_ADDRS,
  MAX_TEXT_BYTES,
  SIGNATURE_BYTES,
} from './constants.js'
import { MalformedError } from './errors.js'
import { Kind } from './kinds.js'
import { Content as ContentPb, type Text as TextPb } from './proto/content.js'
import { SealedContent as SealedContentPb, SealedEnvelope as SealedEnvelopePb } from './proto/envelope.js'
import {
  GroupEnvelope as GroupEnvelopePb,
  SenderKeyDistribution as SenderKeyDistributionPb,
  SenderKeyMessageBody as SenderKeyMessageBodyPb,
  SenderKeyMessage as SenderKeyMessagePb,
} from './proto/group.js'
import {
  DeviceCertificateBody as DeviceCertificateBodyPb,
  DeviceListBody as DeviceListBodyPb,
  PreKeyBody as PreKeyBodyPb,
  PreKeyBundle as PreKeyBundlePb,
  Signed as SignedPb,
} from './proto/records.js'
import {
  PreKeyMessage as PreKeyMessagePb,
  RatchetHeader as RatchetHeaderPb,
  RatchetMessage as RatchetMessagePb,
} from './proto/session.js'
import {
  exactLength,
  lengthBetween,
  maxEntries,
  maxUtf8,
  optionalExactLength,
  positive,
  safeInteger,
  specified,
  uint32,
} from './validate.js'

/** Frames nested inside another frame never need more than their container's cap. */
const MAX_NESTED = MAX_ENVELOPE_BYTES

// ---------------------------------------------------------------- records

export const Signed = defineCodec<SignedPb>({
  kind: Kind.Signed,
  codec: SignedPb,
  // body and signature with their tags and lengths (at most 4 + 2 bytes)
  maxBodyBytes: MAX_DEVICE_LIST_BYTES + MAX_FRAME_HEADER_BYTES + SIGNATURE_BYTES + 16,
  validate(v) {
    // the largest signed body is a framed DeviceListBody: its cap plus the frame header
    lengthBetween(v.body, 3, MAX_DEVICE_LIST_BYTES + MAX_FRAME_HEADER_BYTES, 'Signed.body')
    exactLength(v.signature, SIGNATURE_BYTES, 'Signed.signature')
  },
})

export const DeviceCertificateBody = defineCodec<DeviceCertificateBodyPb>({
  kind: Kind.DeviceCertificate,
  codec: DeviceCertificateBodyPb,
  maxBodyBytes: MAX_RECORD_BYTES,
  validate(v) {
    exactLength(v.accountKey, KEY_BYTES, 'DeviceCertificate.accountKey')
    positive(v.deviceId, 'DeviceCertificate.deviceId')
    uint32(v.deviceId, 'DeviceCertificate.deviceId')
    exactLength(v.signingKey, KEY_BYTES, 'DeviceCertificate.signingKey')
    exactLength(v.identityKey, KEY_BYTES, 'DeviceCertificate.identityKey')
    lengthBetween(v.peerId, 1, MAX_PEER_ID_BYTES, 'DeviceCertificate.peerId')
    safeInteger(v.createdAt, 'DeviceCertificate.createdAt')
  },
})

export const DeviceListBody = defineCodec<DeviceListBodyPb>({
  kind: Kind.DeviceList,
  codec: DeviceListBodyPb,
  maxBodyBytes: MAX_DEVICE_LIST_BYTES,
  limits: {
    devices: MAX_DEVICES,
    devices$: { mailboxes: MAX_MAILBOXES_PER_DEVICE, mailboxes$: { relayAddrs: MAX_RELAY_ADDRS } },
  } as never,
  validate(v) {
    exactLength(v.accountKey, KEY_BYTES, 'DeviceList.accountKey')
    positive(v.listVersion, 'DeviceList.listVersion')
    safeInteger(v.issuedAt, 'DeviceList.issuedAt')
    maxEntries(v.devices, MAX_DEVICES, 'DeviceList.devices')
    if (v.devices.length === 0) {
      throw new MalformedError('DeviceList.devices: a device list names at least one device')
    }
    for (const device of v.devices) {
      lengthBetween(device.certificate, 3, MAX_RECORD_BYTES, 'DeviceList.devices.certificate')
      maxEntries(device.mailboxes, MAX_MAILBOXES_PER_DEVICE, 'DeviceList.devices.mailboxes')
      for (const mailbox of device.mailboxes) {
        lengthBetween(mailbox.relayPeerId, 1, MAX_PEER_ID_BYTES, 'Mailbox.relayPeerId')
        exactLength(mailbox.mailboxId, MAILBOX_ID_BYTES, 'Mailbox.mailboxId')
        maxEntries(mailbox.relayAddrs, MAX_RELAY_ADDRS, 'Mailbox.relayAddrs')
        for (const addr of mailbox.relayAddrs) {
          maxUtf8(addr, MAX_ADDR_LENGTH, 'Mailbox.relayAddrs')
        }
      }
    }
  },
})

export const PreKeyBody = defineCodec<PreKeyBodyPb>({
  kind: Kind.PreKey,
  codec: PreKeyBodyPb,
  maxBodyBytes: MAX_RECORD_BYTES,
  validate(v) {
    specified(v.kind, 'PreKey.kind')
    uint32(v.id, 'PreKey.id')
    exactLength(
      v.publicKey,
      v.kind === 'SIGNED_X25519' ? KEY_BYTES : KEM_PUBLIC_KEY_BYTES,
      'PreKey.publicKey',
    )
    safeInteger(v.createdAt, 'PreKey.createdAt')
  },
})

export const PreKeyBundle = defineCodec<PreKeyBundlePb>({
  kind: Kind.PreKeyBundle,
  codec: PreKeyBundlePb,
  maxBodyBytes: 3 * MAX_RECORD_BYTES,
  validate(v) {
    lengthBetween(v.deviceCertificate, 3, MAX_RECORD_BYTES, 'PreKeyBundle.deviceCertificate')
    lengthBetween(v.signedPreKey, 3, MAX_RECORD_BYTES, 'PreKeyBundle.signedPreKey')
    lengthBetween(v.kemPreKey, 3, MAX_RECORD_BYTES, 'PreKeyBundle.kemPreKey')
    if (v.oneTimePreKey !== undefined) {
      uint32(v.oneTimePreKey.id, 'PreKeyBundle.oneTimePreKey.id')
      exactLength(v.oneTimePreKey.publicKey, KEY_BYTES, 'PreKeyBundle.oneTimePreKey.publicKey')
    }
  },
})

// ---------------------------------------------------------------- pairwise sessions

export const RatchetHeader = defineCodec<RatchetHeaderPb>({
  kind: Kind.RatchetHeader,
  codec: RatchetHeaderPb,
  maxBodyBytes: 64,
  validate(v) {
    exactLength(v.ratchetKey, KEY_BYTES, 'RatchetHeader.ratchetKey')
    uint32(v.counter, 'RatchetHeader.counter')
    uint32(v.previousCounter, 'RatchetHeader.previousCounter')
  },
})

export const RatchetMessage = defineCodec<RatchetMessagePb>({
  kind: Kind.RatchetMessage,
  codec: RatchetMessagePb,
  maxBodyBytes: MAX_NESTED,
  validate(v) {
    lengthBetween(v.header, 3, 64, 'RatchetMessage.header')
    lengthBetween(
      v.ciphertext,
      AEAD_NONCE_BYTES + AEAD_TAG_BYTES,
      AEAD_NONCE_BYTES + MAX_CONTENT_BYTES + AEAD_TAG_BYTES,
      'RatchetMessage.ciphertext',
    )
  },
})

export const PreKeyMessage = defineCodec<PreKeyMessagePb>({
  kind: Kind.PreKeyMessage,
  codec: PreKeyMessagePb,
  maxBodyBytes: MAX_NESTED,
  validate(v) {
    exactLength(v.identityKey, KEY_BYTES, 'PreKeyMessage.identityKey')
    exactLength(v.baseKey, KEY_BYTES, 'PreKeyMessage.baseKey')
    exactLength(v.kemCiphertext, KEM_CIPHERTEXT_BYTES, 'PreKeyMessage.kemCiphertext')
    uint32(v.signedPreKeyId, 'PreKeyMessage.signedPreKeyId')
    if (v.oneTimePreKeyId !== undefined) {
      uint32(v.oneTimePreKeyId, 'PreKeyMessage.oneTimePreKeyId')
    }
    uint32(v.kemPreKeyId, 'PreKeyMessage.kemPreKeyId')
    lengthBetween(v.message, 3, MAX_NESTED, 'PreKeyMessage.message')
  },
})

// ---------------------------------------------------------------- groups

export const SenderKeyMessageBody = defineCodec<SenderKeyMessageBodyPb>({
  kind: Kind.SenderKeyMessageBody,
  codec: SenderKeyMessageBodyPb,
  maxBodyBytes: MAX_NESTED,
  validate(v) {
    exactLength(v.distributionId, ID_BYTES, 'SenderKeyMessage.distributionId')
    uint32(v.chainId, 'SenderKeyMessage.chainId')
    uint32(v.iteration, 'SenderKeyMessage.iteration')
    lengthBetween(
      v.ciphertext,
      AEAD_TAG_BYTES,
      MAX_CONTENT_BYTES + AEAD_TAG_BYTES,
      'SenderKeyMessage.ciphertext',
    )
  },
})

export const SenderKeyMessage = defineCodec<SenderKeyMessagePb>({
  kind: Kind.SenderKeyMessage,
  codec: SenderKeyMessagePb,
  maxBodyBytes: MAX_NESTED,
  validate(v) {
    lengthBetween(v.body, 3, MAX_NESTED, 'SenderKeyMessage.body')
    exactLength(v.signature, SIGNATURE_BYTES, 'SenderKeyMessage.signature')
  },
})

export const GroupEnvelope = defineCodec<GroupEnvelopePb>({
  kind: Kind.GroupEnvelope,
  codec: GroupEnvelopePb,
  maxBodyBytes: MAX_ENVELOPE_BYTES,
  validate(v) {
    exactLength(v.envelopeId, ID_BYTES, 'GroupEnvelope.envelopeId')
    uint32(v.keyId, 'GroupEnvelope.keyId')
    exactLength(v.nonce, AEAD_NONCE_BYTES, 'GroupEnvelope.nonce')
    lengthBetween(v.ciphertext, AEAD_TAG_BYTES, MAX_ENVELOPE_BYTES, 'GroupEnvelope.ciphertext')
  },
})

export const SenderKeyDistribution = defineCodec<SenderKeyDistributionPb>({
  kind: Kind.SenderKeyDistribution,
  codec: SenderKeyDistributionPb,
  maxBodyBytes: 256,
  validate(v) {
    exactLength(v.distributionId, ID_BYTES, 'SenderKeyDistribution.distributionId')
    uint32(v.chainId, 'SenderKeyDistribution.chainId')
    uint32(v.iteration, 'SenderKeyDistribution.iteration')
    exactLength(v.chainKey, KEY_BYTES, 'SenderKeyDistribution.chainKey')
    exactLength(v.signingKey, KEY_BYTES, 'SenderKeyDistribution.signingKey')
  },
})

// ---------------------------------------------------------------- sealing

export const SealedEnvelope = defineCodec<SealedEnvelopePb>({
  kind: Kind.SealedEnvelope,
  codec: SealedEnvelopePb,
  maxBodyBytes: MAX_ENVELOPE_BYTES,
  validate(v) {
    exactLength(v.ephemeralKey, KEY_BYTES, 'SealedEnvelope.ephemeralKey')
    exactLength(v.encryptedStatic, KEY_BYTES + AEAD_TAG_BYTES, 'SealedEnvelope.encryptedStatic')
    lengthBetween(v.ciphertext, AEAD_TAG_BYTES, MAX_ENVELOPE_BYTES, 'SealedEnvelope.ciphertext')
  },
})

export const SealedContent = defineCodec<SealedContentPb>({
  kind: Kind.SealedContent,
  codec: SealedContentPb,
  maxBodyBytes: MAX_ENVELOPE_BYTES,
  validate(v) {
    lengthBetween(v.senderCertificate, 3, MAX_RECORD_BYTES, 'SealedContent.senderCertificate')
    specified(v.type, 'SealedContent.type')
    lengthBetween(v.message, 3, MAX_ENVELOPE_BYTES, 'SealedContent.message')
    optionalExactLength(v.groupId, ID_BYTES, 'SealedContent.groupId')
    if ((v.type === 'SENDER_KEY') !== (v.groupId !== undefined)) {
      throw new MalformedError('SealedContent.groupId: set exactly for sender-key messages')
    }
  },
})

// ---------------------------------------------------------------- content

/** The body fields of Content, of which exactly one is set. */
export const CONTENT_BODIES = [
  'text',
  'receipt',
  'typing',
  'syncTranscript',
  'syncRead',
  'deviceListUpdate',
  'groupControl',
  'senderKeyDistribution',
  'retryRequest',
  'nullMessage',
] as const satisfies ReadonlyArray<keyof ContentPb>

export type ContentBody = (typeof CONTENT_BODIES)[number]

function validateText(t: TextPb, field: string): void {
  maxUtf8(t.body, MAX_TEXT_BYTES, `${field}.body`)
  optionalExactLength(t.groupId, ID_BYTES, `${field}.groupId`)
  optionalExactLength(t.quoteId, ID_BYTES, `${field}.quoteId`)
}

function ids(values: Uint8Array[], max: number, field: string): void {
  maxEntries(values, max, field)
  for (const id of values) {
    exactLength(id, ID_BYTES, field)
  }
}

export const Content = defineCodec<ContentPb>({
  kind: Kind.Content,
  codec: ContentPb,
  // the framed Content plus at least one padding byte fits MAX_CONTENT_BYTES
  maxBodyBytes: MAX_CONTENT_BYTES - MAX_FRAME_HEADER_BYTES - 1,
  limits: {
    receipt: { messageIds: MAX_RECEIPT_IDS },
    syncRead: { reads: MAX_READ_MARKS },
    groupControl: { members: MAX_GROUP_MEMBERS, subjects: MAX_GROUP_SUBJECTS },
    retryRequest: { messageIds: MAX_RECEIPT_IDS },
  } as never,
  validate(v) {
    exactLength(v.messageId, ID_BYTES, 'Content.messageId')
    safeInteger(v.sentAt, 'Content.sentAt')
    const set = CONTENT_BODIES.filter((body) => v[body] !== undefined)
    if (set.length !== 1) {
      throw new MalformedError(`Content: expected exactly one body, found ${set.length}`)
    }
    if (v.text !== undefined) {
      validateText(v.text, 'Content.text')
    }
    if (v.receipt !== undefined) {
      specified(v.receipt.type, 'Receipt.type')
      ids(v.receipt.messageIds, MAX_RECEIPT_IDS, 'Receipt.messageIds')
      if (v.receipt.messageIds.length === 0) {
        throw new MalformedError('Receipt.messageIds: empty')
      }
    }
    if (v.typing !== undefined) {
      specified(v.typing.action, 'Typing.action')
      optionalExactLength(v.typing.groupId, ID_BYTES, 'Typing.groupId')
    }
    if (v.syncTranscript !== undefined) {
      const s = v.syncTranscript
      optionalExactLength(s.destination, KEY_BYTES, 'SyncTranscript.destination')
      optionalExactLength(s.groupId, ID_BYTES, 'SyncTranscript.groupId')
      if ((s.destination === undefined) === (s.groupId === undefined)) {
        throw new MalformedError('SyncTranscript: exactly one of destination and groupId')
      }
      exactLength(s.messageId, ID_BYTES, 'SyncTranscript.messageId')
      safeInteger(s.sentAt, 'SyncTranscript.sentAt')
      if (s.text !== undefined) {
        validateText(s.text, 'SyncTranscript.text')
      }
    }
    if (v.syncRead !== undefined) {
      maxEntries(v.syncRead.reads, MAX_READ_MARKS, 'SyncRead.reads')
      for (const mark of v.syncRead.reads) {
        exactLength(mark.sender, KEY_BYTES, 'ReadMark.sender')
        exactLength(mark.messageId, ID_BYTES, 'ReadMark.messageId')
      }
    }
    if (v.deviceListUpdate !== undefined) {
      lengthBetween(v.deviceListUpdate.deviceList, 3, MAX_DEVICE_LIST_BYTES, 'DeviceListUpdate.deviceList')
    }
    if (v.groupControl !== undefined) {
      const g = v.groupControl
      exactLength(g.groupId, ID_BYTES, 'GroupControl.groupId')
      safeInteger(g.revision, 'GroupControl.revision')
      specified(g.action, 'GroupControl.action')
      maxUtf8(g.name, MAX_GROUP_NAME_BYTES, 'GroupControl.name')
      maxEntries(g.members, MAX_GROUP_MEMBERS, 'GroupControl.members')
      for (const member of g.members) {
        exactLength(member.accountKey, KEY_BYTES, 'GroupMember.accountKey')
      }
      maxEntries(g.subjects, MAX_GROUP_SUBJECTS, 'GroupControl.subjects')
      for (const subject of g.subjects) {
        exactLength(subject, KEY_BYTES, 'GroupControl.subjects')
      }
      optionalExactLength(g.envelopeKey, KEY_BYTES, 'GroupControl.envelopeKey')
      if ((g.envelopeKey === undefined) !== (g.envelopeKeyId === undefined)) {
        throw new MalformedError('GroupControl: an envelope key comes with its ID')
      }
      if (g.envelopeKeyId !== undefined) {
        uint32(g.envelopeKeyId, 'GroupControl.envelopeKeyId')
      }
    }
    if (v.senderKeyDistribution !== undefined) {
      lengthBetween(v.senderKeyDistribution, 3, 256, 'Content.senderKeyDistribution')
    }
    if (v.retryRequest !== undefined) {
      ids(v.retryRequest.messageIds, MAX_RECEIPT_IDS, 'RetryRequest.messageIds')
    }
    if (v.nullMessage !== undefined && v.nullMessage !== true) {
      throw new MalformedError('Content.nullMessage: must be true when set')
    }
  },
})
