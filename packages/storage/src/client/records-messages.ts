/**
 * Stored formats of messages (with per-device delivery status), of the message-ID index entry that
 * locates a message in its conversation, and of outbox entries. Enumerations are stored as small
 * integers in a fixed order; an unknown one is corruption.
 */
import { MAILBOX_ID_BYTES } from '@ferry/wire'
import { ByteReader } from '../binary.js'
import { InvalidRequestError } from '../errors.js'
import { checkCount, RecordWriter, readCount, readString, readStrings } from './codec.js'
import {
  ACCOUNT_KEY_BYTES,
  CLIENT_ID_BYTES,
  CLIENT_RECORD_VERSION,
  CONVERSATION_ID_LENGTHS,
  MAX_MESSAGE_RECIPIENTS,
  MAX_STORED_ADDR_BYTES,
  MAX_STORED_ENVELOPE_BYTES,
  MAX_STORED_MAILBOXES,
  MAX_STORED_PEER_ID_BYTES,
  MAX_STORED_RELAY_ADDRS,
  MAX_STORED_TEXT_BYTES,
} from './constants.js'
import { checkAddress, checkConversation, checkU32, readAddress } from './keys.js'
import type {
  DeliveryStatus,
  DeviceAddress,
  MessageDirection,
  MessageRecord,
  OutboxEntry,
  OutboxMailbox,
  OutboxState,
} from './types.js'

export const DIRECTIONS: readonly MessageDirection[] = ['in', 'out']
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'stored', 'delivered', 'read']
export const OUTBOX_STATES: readonly OutboxState[] = ['pending', 'stored', 'delivered']

function enumIndex<T>(values: readonly T[], value: T, what: string): number {
  const i = values.indexOf(value)
  if (i < 0) {
    throw new InvalidRequestError(`${what} must be one of ${values.join(', ')}`)
  }
  return i
}

function readEnum<T>(r: ByteReader, values: readonly T[]): T {
  const value = values[r.u8()]
  if (value === undefined) {
    throw r.corrupt('an unknown enumeration value')
  }
  return value
}

function writeAddress(w: RecordWriter, address: DeviceAddress, what: string): void {
  checkAddress(address, what)
  w.fixed(address.accountKey, ACCOUNT_KEY_BYTES, what).u32(address.deviceId)
}

function readAddressFrom(r: ByteReader): DeviceAddress {
  return readAddress(r.bytes(ACCOUNT_KEY_BYTES + 4), 0)
}

export function encodeMessage(m: MessageRecord): Uint8Array {
  if (typeof m !== 'object' || m === null) {
    throw new InvalidRequestError('a message record is missing')
  }
  checkConversation(m.conversation)
  const w = new RecordWriter()
    .u8(CLIENT_RECORD_VERSION)
    .fixed(m.messageId, CLIENT_ID_BYTES, 'a message ID')
    .u8(m.conversation.byteLength)
    .fixed(m.conversation, m.conversation.byteLength, 'a conversation ID')
    .u8(enumIndex(DIRECTIONS, m.direction, 'direction'))
  writeAddress(w, m.sender, 'the sender')
  w.string(m.text, MAX_STORED_TEXT_BYTES, 'a message text')
    .u64(m.sentAt, 'sentAt')
    .u64(m.receivedAt, 'receivedAt')
  checkCount(m.recipients, MAX_MESSAGE_RECIPIENTS, 'recipients')
  w.u32(m.recipients.length)
  for (const { device, status } of m.recipients) {
    writeAddress(w, device, 'a recipient device')
    w.u8(enumIndex(DELIVERY_STATUSES, status, 'a delivery status'))
  }
  return w.finish()
}

export function decodeMessage(bytes: Uint8Array): MessageRecord {
  const r = new ByteReader(bytes, 'message')
  r.version(CLIENT_RECORD_VERSION)
  const messageId = r.bytes(CLIENT_ID_BYTES)
  const length = r.u8()
  if (!CONVERSATION_ID_LENGTHS.includes(length)) {
    throw r.corrupt('a conversation ID of the wrong length')
  }
  const conversation = r.bytes(length)
  const direction = readEnum(r, DIRECTIONS)
  const sender = readAddressFrom(r)
  const text = readString(r, MAX_STORED_TEXT_BYTES)
  const sentAt = r.u64()
  const receivedAt = r.u64()
  const recipients: Array<{ device: DeviceAddress; status: DeliveryStatus }> = []
  for (let i = readCount(r, MAX_MESSAGE_RECIPIENTS); i > 0; i--) {
    recipients.push({ device: readAddressFrom(r), status: readEnum(r, DELIVERY_STATUSES) })
  }
  r.end()
  return { messageId, conversation, direction, sender, text, sentAt, receivedAt, recipients }
}

/** Where a message's record is: its conversation and receivedAt (the message ID completes the key). */
export interface MessageLocation {
  readonly conversation: Uint8Array
  readonly receivedAt: number
}

export function encodeLocation(l: MessageLocation): Uint8Array {
  return new RecordWriter()
    .u8(CLIENT_RECORD_VERSION)
    .u8(l.conversation.byteLength)
    .fixed(l.conversation, l.conversation.byteLength, 'a conversation ID')
    .u64(l.receivedAt, 'receivedAt')
    .finish()
}

export function decodeLocation(bytes: Uint8Array): MessageLocation {
  const r = new ByteReader(bytes, 'message index')
  r.version(CLIENT_RECORD_VERSION)
  const length = r.u8()
  if (!CONVERSATION_ID_LENGTHS.includes(length)) {
    throw r.corrupt('a conversation ID of the wrong length')
  }
  const location = { conversation: r.bytes(length), receivedAt: r.u64() }
  r.end()
  return location
}

function writeMailboxes(w: RecordWriter, mailboxes: readonly OutboxMailbox[]): void {
  checkCount(mailboxes, MAX_STORED_MAILBOXES, 'target mailboxes')
  w.u32(mailboxes.length)
  for (const m of mailboxes) {
    w.blob(m.relayPeerId, MAX_STORED_PEER_ID_BYTES, 'a relay PeerId')
      .strings(m.relayAddrs, MAX_STORED_RELAY_ADDRS, MAX_STORED_ADDR_BYTES, 'relay addresses')
      .fixed(m.mailboxId, MAILBOX_ID_BYTES, 'a mailbox ID')
  }
}

function readMailboxes(r: ByteReader): OutboxMailbox[] {
  const out: OutboxMailbox[] = []
  for (let i = readCount(r, MAX_STORED_MAILBOXES); i > 0; i--) {
    out.push({
      relayPeerId: r.blob(MAX_STORED_PEER_ID_BYTES),
      relayAddrs: readStrings(r, MAX_STORED_RELAY_ADDRS, MAX_STORED_ADDR_BYTES),
      mailboxId: r.bytes(MAILBOX_ID_BYTES),
    })
  }
  return out
}

export function encodeOutboxEntry(e: OutboxEntry): Uint8Array {
  if (typeof e !== 'object' || e === null) {
    throw new InvalidRequestError('an outbox entry is missing')
  }
  const w = new RecordWriter().u8(CLIENT_RECORD_VERSION).fixed(e.messageId, CLIENT_ID_BYTES, 'a message ID')
  writeAddress(w, e.recipient, 'the recipient device')
  w.fixed(e.envelopeId, CLIENT_ID_BYTES, 'an envelope ID').blob(
    e.envelope,
    MAX_STORED_ENVELOPE_BYTES,
    'an envelope',
  )
  writeMailboxes(w, e.mailboxes)
  checkU32(e.attempts, 'attempts')
  return w
    .u8(enumIndex(OUTBOX_STATES, e.state, 'an outbox state'))
    .u32(e.attempts)
    .u64(e.nextAttemptAt, 'nextAttemptAt')
    .u64(e.createdAt, 'createdAt')
    .finish()
}

export function decodeOutboxEntry(bytes: Uint8Array): OutboxEntry {
  const r = new ByteReader(bytes, 'outbox entry')
  r.version(CLIENT_RECORD_VERSION)
  const messageId = r.bytes(CLIENT_ID_BYTES)
  const recipient = readAddressFrom(r)
  const envelopeId = r.bytes(CLIENT_ID_BYTES)
  const envelope = r.blob(MAX_STORED_ENVELOPE_BYTES)
  const mailboxes = readMailboxes(r)
  const state = readEnum(r, OUTBOX_STATES)
  const attempts = r.u32()
  const nextAttemptAt = r.u64()
  const createdAt = r.u64()
  r.end()
  return { messageId, recipient, envelopeId, envelope, mailboxes, state, attempts, nextAttemptAt, createdAt }
}
