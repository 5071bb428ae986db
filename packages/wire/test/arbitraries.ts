/**
 * Test support for the wire codecs: a fast-check arbitrary of valid values for every codec exported
 * from src/codecs.ts (respecting exact key lengths, repeated-field limits, exactly-one Content body),
 * the codec table the specs iterate over, and a structural equality that compares bytes by content.
 *
 * Sizes stay well inside each codec's body cap so that every generated value encodes; the caps
 * themselves are exercised by the boundary tests in codecs.spec.ts.
 */
import fc from 'fast-check'
import type { ProtonsMessage } from '../src/codec.js'
import * as codecs from '../src/codecs.js'
import type { WireCodec } from '../src/index.js'
import * as wire from '../src/index.js'
import {
  AEAD_NONCE_BYTES,
  AEAD_TAG_BYTES,
  ID_BYTES,
  KEM_CIPHERTEXT_BYTES,
  KEM_PUBLIC_KEY_BYTES,
  KEY_BYTES,
  MAILBOX_ID_BYTES,
  MAX_DEVICES,
  MAX_MAILBOXES_PER_DEVICE,
  MAX_PEER_ID_BYTES,
  MAX_RELAY_ADDRS,
  SIGNATURE_BYTES,
} from '../src/index.js'
import * as contentPb from '../src/proto/content.js'
import {
  type Content,
  GroupAction,
  type GroupControl,
  ReceiptType,
  type SyncTranscript,
  type Text,
  TypingAction,
} from '../src/proto/content.js'
import * as envelopePb from '../src/proto/envelope.js'
import { MessageType, type SealedContent } from '../src/proto/envelope.js'
import * as groupPb from '../src/proto/group.js'
import * as recordsPb from '../src/proto/records.js'
import {
  type DeviceEntry,
  type DeviceListBody,
  type Mailbox,
  type PreKeyBundle,
  PreKeyKind,
} from '../src/proto/records.js'
import type { PreKeyMessage } from '../src/proto/session.js'
import * as sessionPb from '../src/proto/session.js'

export type CodecName = Exclude<keyof typeof codecs, 'CONTENT_BODIES'>
export type ValueOf<N extends CodecName> = (typeof codecs)[N] extends WireCodec<infer T> ? T : never

/** Every codec exported from src/codecs.ts, found by shape so that a new codec cannot be missed. */
export function exportedCodecs(): Array<[string, WireCodec<unknown>]> {
  return codecsIn(codecs)
}

/**
 * Every codec the package exports (src/codecs.ts and any other module index.ts re-exports, such as
 * the relay protocol codecs): the hostile-input checks that need no valid value run over all of them.
 */
export const everyCodec = codecsIn(wire).map(([name, codec]) => ({ name, codec }))

function codecsIn(module: object): Array<[string, WireCodec<unknown>]> {
  const found: Array<[string, WireCodec<unknown>]> = []
  for (const [name, value] of Object.entries(module) as Array<[string, unknown]>) {
    if (isCodec(value)) {
      found.push([name, value])
    }
  }
  return found
}

function isCodec(value: unknown): value is WireCodec<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'encode' in value &&
    'decode' in value &&
    'kind' in value &&
    'maxBodyBytes' in value
  )
}

// ---------------------------------------------------------------- building blocks

export const bytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length })
export const bytesBetween = (minLength: number, maxLength: number) => fc.uint8Array({ minLength, maxLength })
export const u32 = fc.integer({ min: 0, max: 0xffff_ffff })
export const u64 = fc.maxSafeNat()
const positive64 = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })
/** Well-formed Unicode of any plane (graphemes never contain lone surrogates). */
const text = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength })
/** Byte strings standing in for nested frames or ciphertexts: the codecs only bound their length. */
const blob = (min: number) => bytesBetween(min, min + 96)

// ---------------------------------------------------------------- records

const signed = fc.record({ body: blob(3), signature: bytes(SIGNATURE_BYTES) })

const deviceCertificateBody = fc.record({
  accountKey: bytes(KEY_BYTES),
  deviceId: fc.integer({ min: 1, max: 0xffff_ffff }),
  signingKey: bytes(KEY_BYTES),
  identityKey: bytes(KEY_BYTES),
  peerId: bytesBetween(1, MAX_PEER_ID_BYTES),
  createdAt: u64,
})

const mailbox: fc.Arbitrary<Mailbox> = fc.record({
  relayPeerId: bytesBetween(1, MAX_PEER_ID_BYTES),
  // at most 16 × 8 × 8 addresses of 24 units: the whole list stays under MAX_DEVICE_LIST_BYTES
  relayAddrs: fc.array(text(24), { maxLength: MAX_RELAY_ADDRS }),
  mailboxId: bytes(MAILBOX_ID_BYTES),
})

const deviceEntry: fc.Arbitrary<DeviceEntry> = fc.record({
  certificate: blob(3),
  mailboxes: fc.array(mailbox, { maxLength: MAX_MAILBOXES_PER_DEVICE }),
})

const deviceListBody: fc.Arbitrary<DeviceListBody> = fc.record({
  accountKey: bytes(KEY_BYTES),
  listVersion: positive64,
  issuedAt: u64,
  devices: fc.array(deviceEntry, { minLength: 1, maxLength: MAX_DEVICES }),
})

const preKeyBody = fc.oneof(
  fc.record({
    kind: fc.constant(PreKeyKind.SIGNED_X25519),
    id: u32,
    publicKey: bytes(KEY_BYTES),
    createdAt: u64,
  }),
  fc.record({
    kind: fc.constantFrom(PreKeyKind.KEM_LAST_RESORT, PreKeyKind.KEM_ONE_TIME),
    id: u32,
    publicKey: bytes(KEM_PUBLIC_KEY_BYTES),
    createdAt: u64,
  }),
)

const preKeyBundle: fc.Arbitrary<PreKeyBundle> = fc.record(
  {
    deviceCertificate: blob(3),
    signedPreKey: blob(3),
    kemPreKey: blob(3),
    oneTimePreKey: fc.record({ id: u32, publicKey: bytes(KEY_BYTES) }),
  },
  { requiredKeys: ['deviceCertificate', 'signedPreKey', 'kemPreKey'] },
)

// ---------------------------------------------------------------- sessions

const ratchetHeader = fc.record({ ratchetKey: bytes(KEY_BYTES), counter: u32, previousCounter: u32 })

const ratchetMessage = fc.record({
  header: bytesBetween(3, 64),
  ciphertext: blob(AEAD_NONCE_BYTES + AEAD_TAG_BYTES),
})

const preKeyMessage: fc.Arbitrary<PreKeyMessage> = fc.record(
  {
    identityKey: bytes(KEY_BYTES),
    baseKey: bytes(KEY_BYTES),
    signedPreKeyId: u32,
    oneTimePreKeyId: u32,
    kemPreKeyId: u32,
    kemCiphertext: bytes(KEM_CIPHERTEXT_BYTES),
    message: blob(3),
  },
  {
    requiredKeys: ['identityKey', 'baseKey', 'signedPreKeyId', 'kemPreKeyId', 'kemCiphertext', 'message'],
  },
)

// ---------------------------------------------------------------- groups

const senderKeyMessageBody = fc.record({
  distributionId: bytes(ID_BYTES),
  chainId: u32,
  iteration: u32,
  ciphertext: blob(AEAD_TAG_BYTES),
})

const senderKeyMessage = fc.record({ body: blob(3), signature: bytes(SIGNATURE_BYTES) })

const senderKeyDistribution = fc.record({
  distributionId: bytes(ID_BYTES),
  chainId: u32,
  iteration: u32,
  chainKey: bytes(KEY_BYTES),
  signingKey: bytes(KEY_BYTES),
})

const groupEnvelope = fc.record({
  envelopeId: bytes(ID_BYTES),
  keyId: u32,
  nonce: bytes(AEAD_NONCE_BYTES),
  ciphertext: blob(AEAD_TAG_BYTES),
})

// ---------------------------------------------------------------- sealing

const sealedEnvelope = fc.record({
  ephemeralKey: bytes(KEY_BYTES),
  encryptedStatic: bytes(KEY_BYTES + AEAD_TAG_BYTES),
  ciphertext: blob(AEAD_TAG_BYTES),
})

const sealedContent: fc.Arbitrary<SealedContent> = fc.oneof(
  fc.record({
    senderCertificate: blob(3),
    type: fc.constantFrom(MessageType.PRE_KEY, MessageType.RATCHET),
    message: blob(3),
  }),
  fc.record({
    senderCertificate: blob(3),
    type: fc.constant(MessageType.SENDER_KEY),
    message: blob(3),
    groupId: bytes(ID_BYTES),
  }),
)

// ---------------------------------------------------------------- content

const textBody: fc.Arbitrary<Text> = fc.record(
  { body: text(64), groupId: bytes(ID_BYTES), quoteId: bytes(ID_BYTES) },
  { requiredKeys: ['body'] },
)

const ids = (minLength: number) => fc.array(bytes(ID_BYTES), { minLength, maxLength: 24 })

const syncTranscript: fc.Arbitrary<SyncTranscript> = fc
  .tuple(
    fc.oneof(fc.record({ destination: bytes(KEY_BYTES) }), fc.record({ groupId: bytes(ID_BYTES) })),
    fc.record(
      { messageId: bytes(ID_BYTES), sentAt: u64, text: textBody },
      { requiredKeys: ['messageId', 'sentAt'] },
    ),
  )
  .map(([to, rest]) => ({ ...to, ...rest }))

const groupControl: fc.Arbitrary<GroupControl> = fc.record({
  groupId: bytes(ID_BYTES),
  revision: u64,
  action: fc.constantFrom(
    GroupAction.CREATE,
    GroupAction.ADD,
    GroupAction.REMOVE,
    GroupAction.LEAVE,
    GroupAction.RENAME,
    GroupAction.SET_ADMIN,
  ),
  name: text(32),
  members: fc.array(fc.record({ accountKey: bytes(KEY_BYTES), admin: fc.boolean() }), { maxLength: 12 }),
  subjects: fc.array(bytes(KEY_BYTES), { maxLength: 12 }),
})

/** One arbitrary per Content body, so tests can ask for a given body. */
export const contentBodies = {
  text: textBody,
  receipt: fc.record({ type: fc.constantFrom(ReceiptType.DELIVERED, ReceiptType.READ), messageIds: ids(1) }),
  typing: fc.record(
    { action: fc.constantFrom(TypingAction.STARTED, TypingAction.STOPPED), groupId: bytes(ID_BYTES) },
    { requiredKeys: ['action'] },
  ),
  syncTranscript,
  syncRead: fc.record({
    reads: fc.array(fc.record({ sender: bytes(KEY_BYTES), messageId: bytes(ID_BYTES) }), { maxLength: 16 }),
  }),
  deviceListUpdate: fc.record({ deviceList: blob(3) }),
  groupControl,
  senderKeyDistribution: bytesBetween(3, 256),
  retryRequest: fc.record({ messageIds: ids(0) }),
  nullMessage: fc.constant(true as const),
} satisfies { [K in (typeof codecs.CONTENT_BODIES)[number]]: fc.Arbitrary<NonNullable<Content[K]>> }

const content: fc.Arbitrary<Content> = fc
  .tuple(
    fc.record({ messageId: bytes(ID_BYTES), sentAt: u64 }),
    fc.oneof(
      ...codecs.CONTENT_BODIES.map((name) =>
        (contentBodies[name] as fc.Arbitrary<unknown>).map((body) => ({ [name]: body })),
      ),
    ),
  )
  .map(([head, body]) => ({ ...head, ...body }) as Content)

/** A valid value of every codec, keyed by the codec's export name. */
export const valid: { [N in CodecName]: fc.Arbitrary<ValueOf<N>> } = {
  Signed: signed,
  DeviceCertificateBody: deviceCertificateBody,
  DeviceListBody: deviceListBody,
  PreKeyBody: preKeyBody,
  PreKeyBundle: preKeyBundle,
  RatchetHeader: ratchetHeader,
  RatchetMessage: ratchetMessage,
  PreKeyMessage: preKeyMessage,
  SenderKeyMessageBody: senderKeyMessageBody,
  SenderKeyMessage: senderKeyMessage,
  SenderKeyDistribution: senderKeyDistribution,
  GroupEnvelope: groupEnvelope,
  SealedEnvelope: sealedEnvelope,
  SealedContent: sealedContent,
  Content: content,
}

/** The protons-generated message behind each codec: encodes without any validation. */
export const raw: { [N in CodecName]: ProtonsMessage<ValueOf<N>> } = {
  Signed: recordsPb.Signed,
  DeviceCertificateBody: recordsPb.DeviceCertificateBody,
  DeviceListBody: recordsPb.DeviceListBody,
  PreKeyBody: recordsPb.PreKeyBody,
  PreKeyBundle: recordsPb.PreKeyBundle,
  RatchetHeader: sessionPb.RatchetHeader,
  RatchetMessage: sessionPb.RatchetMessage,
  PreKeyMessage: sessionPb.PreKeyMessage,
  SenderKeyMessageBody: groupPb.SenderKeyMessageBody,
  SenderKeyMessage: groupPb.SenderKeyMessage,
  SenderKeyDistribution: groupPb.SenderKeyDistribution,
  GroupEnvelope: groupPb.GroupEnvelope,
  SealedEnvelope: envelopePb.SealedEnvelope,
  SealedContent: envelopePb.SealedContent,
  Content: contentPb.Content,
}

/** The codec table the specs iterate over: name, codec, arbitrary of valid values, raw protons codec. */
const codecByName = new Map(exportedCodecs())

export const table = (Object.keys(valid) as CodecName[]).map((name) => ({
  name,
  codec: codecByName.get(name)!,
  arbitrary: valid[name] as fc.Arbitrary<unknown>,
  raw: raw[name] as ProtonsMessage<unknown>,
}))

/** A valid encoding of every codec: arbitrary value, encoded. */
export const frames = table.map(({ name, codec, arbitrary }) => ({
  name,
  codec,
  arbitrary: arbitrary.map((value) => ({ value, bytes: codec.encode(value) })),
}))

/** One fixed sample value per codec (fast-check's own sampler, under the configured global seed). */
export function sample<T>(arbitrary: fc.Arbitrary<T>, count: number): T[] {
  return fc.sample(arbitrary, count)
}

/** One fixed sample value. */
export function one<T>(arbitrary: fc.Arbitrary<T>): T {
  const [value] = fc.sample(arbitrary, 1)
  if (value === undefined) {
    throw new Error('fast-check produced no sample')
  }
  return value
}

/**
 * Structural equality in which byte arrays compare by content (whatever their class: protons hands
 * out both Uint8Array and Buffer) and an absent key equals an undefined one.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.byteLength !== b.byteLength) {
      return false
    }
    return a.every((byte, i) => byte === b[i])
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => sameValue(item, b[i]))
    )
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)])
    for (const key of keys) {
      if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) {
        return false
      }
    }
    return true
  }
  return Object.is(a, b)
}
