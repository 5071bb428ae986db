/**
 * For every codec, ways to break a valid value, each with the typed error encode must throw. A
 * breaker marked `onWire` produces a value protons can still write faithfully (an empty key, an
 * unspecified enum, a lone surrogate, a list over its limit): decode must then refuse the same bytes
 * with the same error. The others (a uint32 out of range, an unknown enum name, an unsafe integer)
 * cannot reach the wire through protons at all, and encode is what stands between them and a
 * silently different value.
 */
import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  ID_BYTES,
  KEM_CIPHERTEXT_BYTES,
  KEM_PUBLIC_KEY_BYTES,
  KEY_BYTES,
  LimitExceededError,
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
  MalformedError,
  OversizedError,
  SIGNATURE_BYTES,
  type WireError,
} from '../src/index.js'
import { type Content, GroupAction, ReceiptType, TypingAction } from '../src/proto/content.js'
import { MessageType } from '../src/proto/envelope.js'
import { PreKeyKind } from '../src/proto/records.js'
import type { CodecName, ValueOf } from './arbitraries.js'

export interface Breaker<T> {
  label: string
  make: (value: T) => unknown
  error: new (...args: never[]) => WireError
  /** Whether protons writes the broken value faithfully, so that decode meets it too. */
  onWire: boolean
}

const fill = (length: number, byte = 2) => new Uint8Array(length).fill(byte)
const TOO_BIG_U32 = 2 ** 32
const UNSAFE = 2 ** 53

function wire<T>(label: string, error: Breaker<T>['error'], make: (value: T) => unknown): Breaker<T> {
  return { label, make, error, onWire: true }
}

function local<T>(label: string, error: Breaker<T>['error'], make: (value: T) => unknown): Breaker<T> {
  return { label, make, error, onWire: false }
}

/** The Content's head fields with a replacement body (or none). */
function withBody(value: Content, body: Partial<Content>): Content {
  return { messageId: value.messageId, sentAt: value.sentAt, ...body }
}

const id = fill(ID_BYTES)
const key = fill(KEY_BYTES)
const mailbox = {
  relayPeerId: fill(38),
  relayAddrs: ['/ip4/127.0.0.1/tcp/4001'],
  mailboxId: fill(MAILBOX_ID_BYTES),
}
const device = { certificate: fill(100), mailboxes: [mailbox] }

export const invalid: { [N in CodecName]: Array<Breaker<ValueOf<N>>> } = {
  Signed: [
    wire('a 2-byte body', MalformedError, (v) => ({ ...v, body: fill(2) })),
    wire('a body over the framed device-list cap', OversizedError, (v) => ({
      ...v,
      body: fill(MAX_DEVICE_LIST_BYTES + MAX_FRAME_HEADER_BYTES + 1),
    })),
    wire('a 63-byte signature', MalformedError, (v) => ({ ...v, signature: fill(SIGNATURE_BYTES - 1) })),
    wire('a 65-byte signature', MalformedError, (v) => ({ ...v, signature: fill(SIGNATURE_BYTES + 1) })),
    wire('no signature', MalformedError, (v) => ({ ...v, signature: new Uint8Array(0) })),
  ],
  DeviceCertificateBody: [
    wire('a 31-byte account key', MalformedError, (v) => ({ ...v, accountKey: fill(31) })),
    wire('device id 0', MalformedError, (v) => ({ ...v, deviceId: 0 })),
    local('device id 2^32', MalformedError, (v) => ({ ...v, deviceId: TOO_BIG_U32 })),
    local('device id 1.5', MalformedError, (v) => ({ ...v, deviceId: 1.5 })),
    wire('a 33-byte signing key', MalformedError, (v) => ({ ...v, signingKey: fill(33) })),
    wire('no identity key', MalformedError, (v) => ({ ...v, identityKey: new Uint8Array(0) })),
    wire('no peer id', MalformedError, (v) => ({ ...v, peerId: new Uint8Array(0) })),
    wire('a peer id over MAX_PEER_ID_BYTES', OversizedError, (v) => ({
      ...v,
      peerId: fill(MAX_PEER_ID_BYTES + 1),
    })),
    local('createdAt -1', MalformedError, (v) => ({ ...v, createdAt: -1 })),
    local('createdAt 2^53', MalformedError, (v) => ({ ...v, createdAt: UNSAFE })),
  ],
  DeviceListBody: [
    wire('a 0-byte account key', MalformedError, (v) => ({ ...v, accountKey: new Uint8Array(0) })),
    wire('list version 0', MalformedError, (v) => ({ ...v, listVersion: 0 })),
    local('issuedAt -1', MalformedError, (v) => ({ ...v, issuedAt: -1 })),
    local('list version 2^53', MalformedError, (v) => ({ ...v, listVersion: UNSAFE })),
    wire('no devices', MalformedError, (v) => ({ ...v, devices: [] })),
    wire('MAX_DEVICES + 1 devices', LimitExceededError, (v) => ({
      ...v,
      devices: Array(MAX_DEVICES + 1).fill(device),
    })),
    wire('a 2-byte certificate', MalformedError, (v) => ({
      ...v,
      devices: [{ ...device, certificate: fill(2) }],
    })),
    wire('a certificate over MAX_RECORD_BYTES', OversizedError, (v) => ({
      ...v,
      devices: [{ ...device, certificate: fill(MAX_RECORD_BYTES + 1) }],
    })),
    wire('MAX_MAILBOXES_PER_DEVICE + 1 mailboxes', LimitExceededError, (v) => ({
      ...v,
      devices: [{ ...device, mailboxes: Array(MAX_MAILBOXES_PER_DEVICE + 1).fill(mailbox) }],
    })),
    wire('a 31-byte mailbox id', MalformedError, (v) => ({
      ...v,
      devices: [{ ...device, mailboxes: [{ ...mailbox, mailboxId: fill(MAILBOX_ID_BYTES - 1) }] }],
    })),
    wire('no relay peer id', MalformedError, (v) => ({
      ...v,
      devices: [{ ...device, mailboxes: [{ ...mailbox, relayPeerId: new Uint8Array(0) }] }],
    })),
    wire('MAX_RELAY_ADDRS + 1 addresses', LimitExceededError, (v) => ({
      ...v,
      devices: [
        { ...device, mailboxes: [{ ...mailbox, relayAddrs: Array(MAX_RELAY_ADDRS + 1).fill('/x') }] },
      ],
    })),
    wire('an address over MAX_ADDR_LENGTH bytes', OversizedError, (v) => ({
      ...v,
      devices: [
        { ...device, mailboxes: [{ ...mailbox, relayAddrs: ['ü'.repeat(MAX_ADDR_LENGTH / 2 + 1)] }] },
      ],
    })),
    wire('an address with a lone surrogate', MalformedError, (v) => ({
      ...v,
      devices: [{ ...device, mailboxes: [{ ...mailbox, relayAddrs: ['/dns4/\uD800'] }] }],
    })),
  ],
  PreKeyBody: [
    wire('an unspecified kind', MalformedError, (v) => ({ ...v, kind: PreKeyKind.PRE_KEY_KIND_UNSPECIFIED })),
    local('a kind protons does not know', MalformedError, (v) => ({ ...v, kind: 'EXTRA_KIND' })),
    wire('a signed X25519 pre-key with a KEM-sized key', MalformedError, (v) => ({
      ...v,
      kind: PreKeyKind.SIGNED_X25519,
      publicKey: fill(KEM_PUBLIC_KEY_BYTES),
    })),
    wire('a KEM pre-key with an X25519-sized key', MalformedError, (v) => ({
      ...v,
      kind: PreKeyKind.KEM_ONE_TIME,
      publicKey: fill(KEY_BYTES),
    })),
    local('id 2^32', MalformedError, (v) => ({ ...v, id: TOO_BIG_U32 })),
    local('id -1', MalformedError, (v) => ({ ...v, id: -1 })),
    local('createdAt NaN', MalformedError, (v) => ({ ...v, createdAt: Number.NaN })),
  ],
  PreKeyBundle: [
    wire('a 2-byte device certificate', MalformedError, (v) => ({ ...v, deviceCertificate: fill(2) })),
    wire('a signed pre-key over MAX_RECORD_BYTES', OversizedError, (v) => ({
      ...v,
      signedPreKey: fill(MAX_RECORD_BYTES + 1),
    })),
    wire('no KEM pre-key', MalformedError, (v) => ({ ...v, kemPreKey: new Uint8Array(0) })),
    wire('a 31-byte one-time pre-key', MalformedError, (v) => ({
      ...v,
      oneTimePreKey: { id: 1, publicKey: fill(31) },
    })),
    local('a one-time pre-key id of 2^32', MalformedError, (v) => ({
      ...v,
      oneTimePreKey: { id: TOO_BIG_U32, publicKey: key },
    })),
  ],
  RatchetHeader: [
    wire('a 31-byte ratchet key', MalformedError, (v) => ({ ...v, ratchetKey: fill(31) })),
    local('counter 2^32 (would wrap to 0)', MalformedError, (v) => ({ ...v, counter: TOO_BIG_U32 })),
    local('previous counter -1', MalformedError, (v) => ({ ...v, previousCounter: -1 })),
    local('counter NaN', MalformedError, (v) => ({ ...v, counter: Number.NaN })),
  ],
  RatchetMessage: [
    wire('a 2-byte header', MalformedError, (v) => ({ ...v, header: fill(2) })),
    wire('a 65-byte header', OversizedError, (v) => ({ ...v, header: fill(65) })),
    wire('a ciphertext shorter than its nonce and tag', MalformedError, (v) => ({
      ...v,
      ciphertext: fill(AEAD_NONCE_BYTES + AEAD_TAG_BYTES - 1),
    })),
    wire('a ciphertext over the padded-content cap', OversizedError, (v) => ({
      ...v,
      ciphertext: fill(AEAD_NONCE_BYTES + MAX_CONTENT_BYTES + AEAD_TAG_BYTES + 1),
    })),
  ],
  PreKeyMessage: [
    wire('a 31-byte identity key', MalformedError, (v) => ({ ...v, identityKey: fill(31) })),
    wire('a 33-byte base key', MalformedError, (v) => ({ ...v, baseKey: fill(33) })),
    wire('a short KEM ciphertext', MalformedError, (v) => ({
      ...v,
      kemCiphertext: fill(KEM_CIPHERTEXT_BYTES - 1),
    })),
    wire('a 2-byte message', MalformedError, (v) => ({ ...v, message: fill(2) })),
    local('signed pre-key id -1', MalformedError, (v) => ({ ...v, signedPreKeyId: -1 })),
    local('one-time pre-key id 2^32', MalformedError, (v) => ({ ...v, oneTimePreKeyId: TOO_BIG_U32 })),
    local('KEM pre-key id 0.5', MalformedError, (v) => ({ ...v, kemPreKeyId: 0.5 })),
  ],
  SenderKeyMessageBody: [
    wire('a 15-byte distribution id', MalformedError, (v) => ({ ...v, distributionId: fill(ID_BYTES - 1) })),
    local('chain id -1', MalformedError, (v) => ({ ...v, chainId: -1 })),
    local('iteration 2^32', MalformedError, (v) => ({ ...v, iteration: TOO_BIG_U32 })),
    wire('a ciphertext shorter than its tag', MalformedError, (v) => ({
      ...v,
      ciphertext: fill(AEAD_TAG_BYTES - 1),
    })),
  ],
  SenderKeyMessage: [
    wire('a 2-byte body', MalformedError, (v) => ({ ...v, body: fill(2) })),
    wire('no signature', MalformedError, (v) => ({ ...v, signature: new Uint8Array(0) })),
  ],
  SenderKeyDistribution: [
    wire('a 17-byte distribution id', MalformedError, (v) => ({ ...v, distributionId: fill(ID_BYTES + 1) })),
    wire('a 31-byte chain key', MalformedError, (v) => ({ ...v, chainKey: fill(31) })),
    wire('no signing key', MalformedError, (v) => ({ ...v, signingKey: new Uint8Array(0) })),
    local('chain id 2^32', MalformedError, (v) => ({ ...v, chainId: TOO_BIG_U32 })),
    local('iteration -1', MalformedError, (v) => ({ ...v, iteration: -1 })),
  ],
  GroupEnvelope: [
    wire('a 15-byte envelope id', MalformedError, (v) => ({ ...v, envelopeId: fill(ID_BYTES - 1) })),
    wire('an 11-byte nonce', MalformedError, (v) => ({ ...v, nonce: fill(11) })),
    wire('a ciphertext shorter than its tag', MalformedError, (v) => ({
      ...v,
      ciphertext: fill(AEAD_TAG_BYTES - 1),
    })),
    local('key id 2^32', MalformedError, (v) => ({ ...v, keyId: TOO_BIG_U32 })),
  ],
  SealedEnvelope: [
    wire('a 31-byte ephemeral key', MalformedError, (v) => ({ ...v, ephemeralKey: fill(31) })),
    wire('an unauthenticated static key', MalformedError, (v) => ({
      ...v,
      encryptedStatic: fill(KEY_BYTES),
    })),
    wire('a ciphertext shorter than its tag', MalformedError, (v) => ({
      ...v,
      ciphertext: fill(AEAD_TAG_BYTES - 1),
    })),
    wire('a ciphertext over MAX_ENVELOPE_BYTES', OversizedError, (v) => ({
      ...v,
      ciphertext: fill(MAX_ENVELOPE_BYTES + 1),
    })),
  ],
  SealedContent: [
    wire('a 2-byte sender certificate', MalformedError, (v) => ({ ...v, senderCertificate: fill(2) })),
    wire('an unspecified type', MalformedError, (v) => ({
      ...v,
      type: MessageType.MESSAGE_TYPE_UNSPECIFIED,
    })),
    local('a type protons does not know', MalformedError, (v) => ({ ...v, type: 'WHISPER' })),
    wire('a 2-byte message', MalformedError, (v) => ({ ...v, message: fill(2) })),
    wire('a group id on a pairwise message', MalformedError, (v) => ({
      ...v,
      type: MessageType.RATCHET,
      groupId: id,
    })),
    wire('a sender-key message without a group id', MalformedError, (v) => ({
      senderCertificate: v.senderCertificate,
      message: v.message,
      type: MessageType.SENDER_KEY,
    })),
    wire('a 15-byte group id', MalformedError, (v) => ({
      ...v,
      type: MessageType.SENDER_KEY,
      groupId: fill(ID_BYTES - 1),
    })),
  ],
  Content: [
    wire('a 15-byte message id', MalformedError, (v) => ({ ...v, messageId: fill(ID_BYTES - 1) })),
    local('sentAt -1', MalformedError, (v) => ({ ...v, sentAt: -1 })),
    local('sentAt 2^53', MalformedError, (v) => ({ ...v, sentAt: UNSAFE })),
    wire('no body', MalformedError, (v) => withBody(v, {})),
    wire('two bodies', MalformedError, (v) => ({
      ...withBody(v, { nullMessage: true }),
      typing: { action: TypingAction.STARTED },
    })),
    wire('a text over MAX_TEXT_BYTES', OversizedError, (v) =>
      withBody(v, { text: { body: 'x'.repeat(MAX_TEXT_BYTES + 1) } }),
    ),
    wire('a text with a lone surrogate', MalformedError, (v) => withBody(v, { text: { body: 'hi \uDE00' } })),
    wire('a text with a 15-byte quote id', MalformedError, (v) =>
      withBody(v, { text: { body: '', quoteId: fill(ID_BYTES - 1) } }),
    ),
    wire('a receipt of unspecified type', MalformedError, (v) =>
      withBody(v, { receipt: { type: ReceiptType.RECEIPT_TYPE_UNSPECIFIED, messageIds: [id] } }),
    ),
    wire('a receipt without ids', MalformedError, (v) =>
      withBody(v, { receipt: { type: ReceiptType.READ, messageIds: [] } }),
    ),
    wire('a receipt with MAX_RECEIPT_IDS + 1 ids', LimitExceededError, (v) =>
      withBody(v, { receipt: { type: ReceiptType.READ, messageIds: Array(MAX_RECEIPT_IDS + 1).fill(id) } }),
    ),
    wire('a receipt with a 17-byte id', MalformedError, (v) =>
      withBody(v, { receipt: { type: ReceiptType.DELIVERED, messageIds: [fill(ID_BYTES + 1)] } }),
    ),
    wire('typing with no action', MalformedError, (v) =>
      withBody(v, { typing: { action: TypingAction.TYPING_ACTION_UNSPECIFIED } }),
    ),
    wire('a transcript with both a destination and a group', MalformedError, (v) =>
      withBody(v, { syncTranscript: { destination: key, groupId: id, messageId: id, sentAt: 1 } }),
    ),
    wire('a transcript with neither a destination nor a group', MalformedError, (v) =>
      withBody(v, { syncTranscript: { messageId: id, sentAt: 1 } }),
    ),
    wire('MAX_READ_MARKS + 1 read marks', LimitExceededError, (v) =>
      withBody(v, { syncRead: { reads: Array(MAX_READ_MARKS + 1).fill({ sender: key, messageId: id }) } }),
    ),
    wire('a read mark with a 31-byte sender', MalformedError, (v) =>
      withBody(v, { syncRead: { reads: [{ sender: fill(31), messageId: id }] } }),
    ),
    wire('a 2-byte device list update', MalformedError, (v) =>
      withBody(v, { deviceListUpdate: { deviceList: fill(2) } }),
    ),
    wire('a group name over MAX_GROUP_NAME_BYTES', OversizedError, (v) =>
      withBody(v, {
        groupControl: {
          groupId: id,
          revision: 1,
          action: GroupAction.RENAME,
          name: 'n'.repeat(MAX_GROUP_NAME_BYTES + 1),
          members: [],
          subjects: [],
        },
      }),
    ),
    wire('MAX_GROUP_MEMBERS + 1 members', LimitExceededError, (v) =>
      withBody(v, {
        groupControl: {
          groupId: id,
          revision: 1,
          action: GroupAction.CREATE,
          name: '',
          members: Array(MAX_GROUP_MEMBERS + 1).fill({ accountKey: key, admin: false }),
          subjects: [],
        },
      }),
    ),
    wire('MAX_GROUP_SUBJECTS + 1 subjects', LimitExceededError, (v) =>
      withBody(v, {
        groupControl: {
          groupId: id,
          revision: 1,
          action: GroupAction.ADD,
          name: '',
          members: [],
          subjects: Array(MAX_GROUP_SUBJECTS + 1).fill(key),
        },
      }),
    ),
    wire('a group control with no action', MalformedError, (v) =>
      withBody(v, {
        groupControl: {
          groupId: id,
          revision: 1,
          action: GroupAction.GROUP_ACTION_UNSPECIFIED,
          name: '',
          members: [],
          subjects: [],
        },
      }),
    ),
    wire('a 257-byte sender-key distribution', OversizedError, (v) =>
      withBody(v, { senderKeyDistribution: fill(257) }),
    ),
    wire('a retry request with MAX_RECEIPT_IDS + 1 ids', LimitExceededError, (v) =>
      withBody(v, { retryRequest: { messageIds: Array(MAX_RECEIPT_IDS + 1).fill(id) } }),
    ),
    wire('nullMessage false', MalformedError, (v) => withBody(v, { nullMessage: false })),
  ],
}
