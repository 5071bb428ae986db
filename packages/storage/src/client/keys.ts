/**
 * The client store's key layout (every key under the keyspace of sublevel 'client'), and the
 * argument checks that keep malformed IDs out of it. Integers in keys are big-endian, so key order is
 * numeric order; variable-length parts are length-prefixed, so no range contains another's keys.
 *
 *   v                                      → store format version (u32)
 *   a                                      → account record
 *   i  address                             → identity key
 *   s  address                             → session record
 *   p  u32 id                              → signed pre-key pair
 *   k  u32 id                              → ML-KEM pre-key pair + last-resort flag
 *   o  u32 id                              → one-time pre-key pair
 *   l  u32 kemId  u32 signedId  baseKey    → (empty) a last-resort pre-key use
 *   g  address  distributionId             → sender-key record
 *   c  accountKey                          → contact
 *   M  u8 len  conversation  u64 receivedAt  messageId → message
 *   m  messageId                           → where the message is (conversation, receivedAt)
 *   D  id                                  → when it was seen (u64)
 *   d  u64 seenAt  id                      → (empty) prune index of D
 *   O  messageId  address                  → outbox entry
 *   Q  u64 nextAttemptAt  messageId  address → (empty) schedule of pending outbox entries
 *   E  u64 cursor                          → event
 *   n                                      → the last event cursor ever assigned (u64)
 *   h  address  distributionId  u64 seq    → a held group envelope
 *   G  groupId                             → group
 *   r  address  messageId                  → (empty) a delivery receipt owed to that device
 *
 * An address is the 32-byte account key followed by the u32 device ID (36 bytes).
 */
import { ByteWriter, concatBytes, copyBytes } from '../binary.js'
import type { Keyspace } from '../database.js'
import { InvalidRequestError } from '../errors.js'
import { FORMAT_TAG } from '../format.js'
import {
  ACCOUNT_KEY_BYTES,
  BASE_KEY_BYTES,
  CLIENT_ID_BYTES,
  CONVERSATION_ID_LENGTHS,
  DEVICE_ADDRESS_BYTES,
} from './constants.js'
import type { DeviceAddress } from './types.js'

const tag = (c: string): Uint8Array => Uint8Array.of(c.charCodeAt(0))

export const TAG = {
  format: FORMAT_TAG,
  account: tag('a'),
  identity: tag('i'),
  session: tag('s'),
  signedPreKey: tag('p'),
  kemPreKey: tag('k'),
  oneTimePreKey: tag('o'),
  lastResortUse: tag('l'),
  senderKey: tag('g'),
  contact: tag('c'),
  message: tag('M'),
  messageIndex: tag('m'),
  seen: tag('D'),
  seenByTime: tag('d'),
  outbox: tag('O'),
  outboxSchedule: tag('Q'),
  event: tag('E'),
  group: tag('G'),
  eventCounter: tag('n'),
  held: tag('h'),
  receiptOwed: tag('r'),
} as const

export const u32 = (n: number): Uint8Array => new ByteWriter(4).u32(n).finish()
export const u64 = (n: number): Uint8Array => new ByteWriter(8).u64(n).finish()

// ------------------------------------------------------------------------------ checks

export function checkBytes(
  value: unknown,
  lengths: readonly number[],
  what: string,
): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || !lengths.includes(value.byteLength)) {
    throw new InvalidRequestError(`${what} must be ${lengths.join(' or ')} bytes`)
  }
}

export function checkId(value: unknown, what: string): asserts value is Uint8Array {
  checkBytes(value, [CLIENT_ID_BYTES], what)
}

export function checkU32(n: unknown, what: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new InvalidRequestError(`${what} must be a u32`)
  }
}

/** A time or counter: a non-negative safe integer (stored as u64). */
export function checkU64(n: unknown, what: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new InvalidRequestError(`${what} must be a non-negative safe integer`)
  }
}

/** A caller's page size: a non-negative integer, clamped to `max`. */
export function checkLimit(limit: unknown, max: number): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0) {
    throw new InvalidRequestError('a limit must be a non-negative integer')
  }
  return Math.min(limit, max)
}

export function checkAddress(address: DeviceAddress, what = 'a device address'): void {
  if (typeof address !== 'object' || address === null) {
    throw new InvalidRequestError(`${what} is missing`)
  }
  checkBytes(address.accountKey, [ACCOUNT_KEY_BYTES], `${what}'s account key`)
  checkU32(address.deviceId, `${what}'s device ID`)
}

export function checkConversation(conversation: unknown): asserts conversation is Uint8Array {
  checkBytes(conversation, CONVERSATION_ID_LENGTHS, 'a conversation ID')
}

export function checkBaseKey(baseKey: unknown): asserts baseKey is Uint8Array {
  checkBytes(baseKey, [BASE_KEY_BYTES], 'a base key')
}

// ------------------------------------------------------------------------------ parts

export function addressPart(address: DeviceAddress): Uint8Array {
  checkAddress(address)
  const out = new Uint8Array(DEVICE_ADDRESS_BYTES)
  out.set(address.accountKey)
  new DataView(out.buffer).setUint32(ACCOUNT_KEY_BYTES, address.deviceId)
  return out
}

export function readAddress(bytes: Uint8Array, offset: number): DeviceAddress {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return {
    accountKey: copyBytes(bytes, offset, offset + ACCOUNT_KEY_BYTES),
    deviceId: view.getUint32(offset + ACCOUNT_KEY_BYTES),
  }
}

export function conversationPart(conversation: Uint8Array): Uint8Array {
  checkConversation(conversation)
  return concatBytes(Uint8Array.of(conversation.byteLength), conversation)
}

/** Key builders for one keyspace. */
export class ClientKeys {
  readonly #ks: Keyspace

  constructor(ks: Keyspace) {
    this.#ks = ks
  }

  /** The full prefix of every key under a tag (and optional leading parts). */
  prefix(...parts: readonly Uint8Array[]): Uint8Array {
    return this.#ks.key(...parts)
  }

  get prefixLength(): number {
    return this.#ks.prefix.byteLength
  }

  account(): Uint8Array {
    return this.#ks.key(TAG.account)
  }

  identity(address: DeviceAddress): Uint8Array {
    return this.#ks.key(TAG.identity, addressPart(address))
  }

  session(address: DeviceAddress): Uint8Array {
    return this.#ks.key(TAG.session, addressPart(address))
  }

  signedPreKey(id: number): Uint8Array {
    checkU32(id, 'a signed pre-key ID')
    return this.#ks.key(TAG.signedPreKey, u32(id))
  }

  kemPreKey(id: number): Uint8Array {
    checkU32(id, 'a KEM pre-key ID')
    return this.#ks.key(TAG.kemPreKey, u32(id))
  }

  oneTimePreKey(id: number): Uint8Array {
    checkU32(id, 'a one-time pre-key ID')
    return this.#ks.key(TAG.oneTimePreKey, u32(id))
  }

  lastResortUse(kemId: number, signedId: number, baseKey: Uint8Array): Uint8Array {
    checkU32(kemId, 'a KEM pre-key ID')
    checkU32(signedId, 'a signed pre-key ID')
    checkBaseKey(baseKey)
    return this.#ks.key(TAG.lastResortUse, u32(kemId), u32(signedId), baseKey)
  }

  senderKey(sender: DeviceAddress, distributionId: Uint8Array): Uint8Array {
    checkId(distributionId, 'a distribution ID')
    return this.#ks.key(TAG.senderKey, addressPart(sender), distributionId)
  }

  contact(accountKey: Uint8Array): Uint8Array {
    checkBytes(accountKey, [ACCOUNT_KEY_BYTES], 'an account key')
    return this.#ks.key(TAG.contact, accountKey)
  }

  message(conversation: Uint8Array, receivedAt: number, messageId: Uint8Array): Uint8Array {
    checkU64(receivedAt, 'receivedAt')
    checkId(messageId, 'a message ID')
    return this.#ks.key(TAG.message, conversationPart(conversation), u64(receivedAt), messageId)
  }

  messageIndex(messageId: Uint8Array): Uint8Array {
    checkId(messageId, 'a message ID')
    return this.#ks.key(TAG.messageIndex, messageId)
  }

  seen(id: Uint8Array): Uint8Array {
    checkId(id, 'an envelope or message ID')
    return this.#ks.key(TAG.seen, id)
  }

  seenByTime(at: number, id: Uint8Array): Uint8Array {
    return this.#ks.key(TAG.seenByTime, u64(at), id)
  }

  outbox(messageId: Uint8Array, recipient: DeviceAddress): Uint8Array {
    checkId(messageId, 'a message ID')
    return this.#ks.key(TAG.outbox, messageId, addressPart(recipient))
  }

  outboxSchedule(nextAttemptAt: number, messageId: Uint8Array, recipient: DeviceAddress): Uint8Array {
    return this.#ks.key(TAG.outboxSchedule, u64(nextAttemptAt), messageId, addressPart(recipient))
  }

  event(cursor: number): Uint8Array {
    return this.#ks.key(TAG.event, u64(cursor))
  }

  eventCounter(): Uint8Array {
    return this.#ks.key(TAG.eventCounter)
  }

  group(groupId: Uint8Array): Uint8Array {
    checkId(groupId, 'a group ID')
    return this.#ks.key(TAG.group, groupId)
  }

  held(sender: DeviceAddress, distributionId: Uint8Array, seq: number): Uint8Array {
    return this.#ks.key(TAG.held, addressPart(sender), distributionId, u64(seq))
  }

  receiptOwed(to: DeviceAddress, messageId: Uint8Array): Uint8Array {
    checkId(messageId, 'a message ID')
    return this.#ks.key(TAG.receiptOwed, addressPart(to), messageId)
  }
}
