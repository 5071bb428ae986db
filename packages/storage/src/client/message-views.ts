/**
 * Messages per conversation, ordered by (receivedAt, messageId), with the message-ID index beside
 * them, history paging (newest last) and per-device delivery status that only moves forward.
 *
 * Ordering uses this device's clock (receivedAt), never the sender's (sentAt): a sender's clock may
 * be off by days (FAULTS 31), and one skewed peer must not reorder a whole conversation.
 */
import { equalBytes } from '../binary.js'
import { upperBound } from '../database.js'
import { InvalidRequestError } from '../errors.js'
import { MAX_HISTORY_PAGE, MAX_MESSAGE_RECIPIENTS } from './constants.js'
import { type ClientKeys, checkAddress, checkId, checkLimit, conversationPart, TAG } from './keys.js'
import {
  DELIVERY_STATUSES,
  decodeLocation,
  decodeMessage,
  encodeLocation,
  encodeMessage,
} from './records-messages.js'
import type { Sink, Source } from './source.js'
import type { DeliveryStatus, DeviceAddress, FreshOptions, HistoryOptions, MessageRecord } from './types.js'

export class MessagesReader {
  constructor(
    protected readonly keys: ClientKeys,
    protected readonly source: Source,
  ) {}

  async get(messageId: Uint8Array): Promise<MessageRecord | undefined> {
    const located = await this.source.get(this.keys.messageIndex(messageId))
    if (located === undefined) {
      return undefined
    }
    const { conversation, receivedAt } = decodeLocation(located)
    const stored = await this.source.get(this.keys.message(conversation, receivedAt, messageId))
    return stored === undefined ? undefined : decodeMessage(stored)
  }

  /**
   * The newest `limit` messages of a conversation older than `before` (all when absent), oldest first
   * (newest last). For the previous page pass the first message of this one as `before`.
   */
  async history(conversation: Uint8Array, options: HistoryOptions): Promise<MessageRecord[]> {
    const limit = checkLimit(options.limit, MAX_HISTORY_PAGE)
    const prefix = this.keys.prefix(TAG.message, conversationPart(conversation))
    const before = options.before
    const lt =
      before === undefined
        ? upperBound(prefix)
        : this.keys.message(conversation, before.receivedAt, before.messageId)
    const out: MessageRecord[] = []
    if (limit === 0) {
      return out
    }
    for await (const [, value] of this.source.entries({ gte: prefix, lt, reverse: true })) {
      out.push(decodeMessage(value))
      if (out.length >= limit) {
        break
      }
    }
    return out.reverse()
  }
}

export class MessagesView extends MessagesReader {
  constructor(
    keys: ClientKeys,
    private readonly store: Source & Sink,
  ) {
    super(keys, store)
  }

  /** Adds the message, or replaces the one with the same ID (wherever it was). */
  async put(message: MessageRecord, options: FreshOptions = {}): Promise<void> {
    const value = encodeMessage(message)
    const key = this.keys.message(message.conversation, message.receivedAt, message.messageId)
    const indexKey = this.keys.messageIndex(message.messageId)
    const located = options.fresh === true ? undefined : await this.store.get(indexKey)
    if (located !== undefined) {
      const old = decodeLocation(located)
      const oldKey = this.keys.message(old.conversation, old.receivedAt, message.messageId)
      if (!equalBytes(oldKey, key)) {
        this.store.del(oldKey)
      }
    }
    this.store.put(key, value)
    this.store.put(indexKey, encodeLocation(message))
  }

  /**
   * Raises one recipient device's status of an outgoing message ('pending' < 'stored' < 'delivered' <
   * 'read'); a status at or below the current one changes nothing, so late or repeated receipts are
   * harmless. A device not yet listed is added. Returns the message as it now is, or undefined when no
   * message has this ID.
   */
  async updateStatus(
    messageId: Uint8Array,
    device: DeviceAddress,
    status: DeliveryStatus,
  ): Promise<MessageRecord | undefined> {
    checkId(messageId, 'a message ID')
    checkAddress(device)
    const rank = DELIVERY_STATUSES.indexOf(status)
    if (rank < 0) {
      throw new InvalidRequestError(`a delivery status must be one of ${DELIVERY_STATUSES.join(', ')}`)
    }
    const message = await this.get(messageId)
    if (message === undefined) {
      return undefined
    }
    const same = (d: DeviceAddress) =>
      d.deviceId === device.deviceId && equalBytes(d.accountKey, device.accountKey)
    const index = message.recipients.findIndex((r) => same(r.device))
    const current = message.recipients[index]
    if (current !== undefined && DELIVERY_STATUSES.indexOf(current.status) >= rank) {
      return message
    }
    if (current === undefined && message.recipients.length >= MAX_MESSAGE_RECIPIENTS) {
      throw new InvalidRequestError(`a message lists at most ${MAX_MESSAGE_RECIPIENTS} recipient devices`)
    }
    const entry = { device: { accountKey: device.accountKey.slice(), deviceId: device.deviceId }, status }
    const recipients =
      current === undefined
        ? [...message.recipients, entry]
        : message.recipients.map((r, i) => (i === index ? entry : r))
    const updated = { ...message, recipients }
    this.store.put(
      this.keys.message(message.conversation, message.receivedAt, messageId),
      encodeMessage(updated),
    )
    return updated
  }

  /** Removes the message and its index entry. Returns false when there was none. */
  async delete(messageId: Uint8Array): Promise<boolean> {
    const indexKey = this.keys.messageIndex(messageId)
    const located = await this.store.get(indexKey)
    if (located === undefined) {
      return false
    }
    const { conversation, receivedAt } = decodeLocation(located)
    this.store.del(this.keys.message(conversation, receivedAt, messageId))
    this.store.del(indexKey)
    return true
  }
}
