/**
 * Conversations with contacts: sending a text to every device of a contact (and a sync transcript to
 * this account's other devices) and waiting until each is covered, history and per-device status, read
 * receipts, and typing indicators (online devices only, never stored).
 *
 * Owns: what a pairwise send writes and how long it waits. Must not know: how the outbox delivers.
 */
import { type CryptoContext, toHex } from '@ferry/crypto'
import type { ClientStore, DeviceAddress } from '@ferry/storage'
import { Content, pad, type pb } from '@ferry/wire'
import type { AbortOptions, SendResult } from './api-types.js'
import { MAX_MESSAGE_TEXT_BYTES, MESSAGE_ID_BYTES } from './constants.js'
import type { Contacts } from './contacts.js'
import { type Courier, coverDeadline } from './courier.js'
import type { DeviceState } from './device-state.js'
import type { Devices } from './devices.js'
import { type Directory, deviceKey, targetsOf } from './directory.js'
import { DeviceListUnavailableError, IdentityChangedError, InvalidArgumentError } from './errors.js'
import { appendEvent, bytesOfHex } from './event-log.js'
import type { Inbound } from './inbound.js'
import type { Outbound } from './outbound.js'
import type { StateQueue } from './state-queue.js'
import { type Message, messageOf } from './views.js'

/** Messages `history` returns when no limit is given. */
const DEFAULT_HISTORY_LIMIT = 50

export interface MessagesInit {
  readonly context: CryptoContext
  /** The time for a message record (record-clock.ts): later than the one before. */
  readonly recordTime: () => number
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly state: DeviceState
  readonly directory: Directory
  readonly outbound: Pick<Outbound, 'claimBundles' | 'prepare' | 'sendEphemeral'>
  readonly courier: Pick<Courier, 'kick' | 'waitCovered'>
  readonly inbound: Pick<Inbound, 'sendReceipt'>
  readonly contacts: Pick<Contacts, 'record' | 'conversationOf'>
  readonly devices: Pick<Devices, 'ownTargets'>
}

export class Messages {
  readonly #init: MessagesInit

  constructor(init: MessagesInit) {
    this.#init = init
  }

  /** Sends a text to a contact; resolves once every device is covered or after SEND_COVER_TIMEOUT_MS. */
  async send(to: string, text: string, options: AbortOptions): Promise<SendResult> {
    const { context, courier, outbound, queue, state } = this.#init
    const account = state.requireAccount()
    state.requireStarted()
    checkMessageText(text)
    const contact = await this.#init.contacts.record(to)
    const list = await this.#init.directory.contactList(contact, options)
    const recipients = targetsOf(list)
    const own = this.#init.devices.ownTargets()
    const bundles = await outbound.claimBundles([...recipients, ...own], options)
    const { provider } = context
    const messageId = provider.randomBytes(MESSAGE_ID_BYTES)
    const syncId = provider.randomBytes(MESSAGE_ID_BYTES)
    const sentAt = this.#init.recordTime()
    const content = pad(Content.encode({ messageId, sentAt, text: { body: text } }))
    const sync = pad(
      Content.encode({
        messageId: syncId,
        sentAt,
        syncTranscript: { destination: contact.accountKey, messageId, sentAt, text: { body: text } },
      }),
    )
    const { value: made } = await this.recordingIdentityChanges(() =>
      queue.run(async (unit) => {
        // both IDs were just drawn at random: nothing is stored under them yet
        const fresh = { fresh: true }
        const entries = await outbound.prepare(unit, messageId, recipients, content, bundles, fresh)
        if (entries.length === 0) {
          throw new DeviceListUnavailableError(
            "none of the contact's devices can be reached (no session, no pre-keys)",
          )
        }
        const synced = await outbound.prepare(unit, syncId, own, sync, bundles, fresh)
        await unit.messages.put(
          {
            messageId,
            conversation: contact.accountKey,
            direction: 'out',
            sender: { accountKey: account.accountKey, deviceId: account.deviceId },
            text,
            sentAt,
            receivedAt: sentAt,
            recipients: entries.map((e) => ({ device: e.recipient, status: 'pending' as const })),
          },
          fresh,
        )
        await unit.inbox.markSeen(messageId, sentAt, fresh)
        return [...entries, ...synced]
      }),
    )
    courier.kick(made)
    await courier.waitCovered(messageId, coverDeadline(options.signal))
    const status = await this.status(toHex(messageId))
    return { id: toHex(messageId), devices: status?.recipients ?? [] }
  }

  /** A conversation's messages, oldest first (the newest `limit`, or those before `before`). */
  async history(who: string, options: { limit?: number; before?: string }): Promise<Message[]> {
    const { store } = this.#init
    const conversation = await this.#init.contacts.conversationOf(who)
    const before =
      options.before === undefined ? undefined : await store.messages.get(idBytes(options.before))
    const records = await store.messages.history(conversation, {
      limit: options.limit ?? DEFAULT_HISTORY_LIMIT,
      ...(before === undefined
        ? {}
        : { before: { receivedAt: before.receivedAt, messageId: before.messageId } }),
    })
    return records.map(messageOf)
  }

  /** One message and, for a message this device sent, the status per recipient device. */
  async status(id: string): Promise<Message | undefined> {
    const record = await this.#init.store.messages.get(idBytes(id))
    return record === undefined ? undefined : messageOf(record)
  }

  /** Sends read receipts for received messages (to the devices that sent them). */
  async markRead(ids: readonly string[]): Promise<void> {
    this.#init.state.requireStarted()
    const bySender = new Map<string, { device: DeviceAddress; ids: Uint8Array[] }>()
    for (const id of ids) {
      const record = await this.#init.store.messages.get(idBytes(id))
      if (record === undefined || record.direction !== 'in') {
        continue
      }
      const key = deviceKey(record.sender)
      const entry = bySender.get(key) ?? { device: record.sender, ids: [] }
      entry.ids.push(record.messageId)
      bySender.set(key, entry)
    }
    await this.#init.queue.run(async (unit) => {
      for (const { device, ids: messageIds } of bySender.values()) {
        await this.#init.inbound.sendReceipt(unit, device, 'READ', messageIds)
      }
    })
    this.#init.courier.kick()
  }

  /** Tells a contact's online devices that this user started or stopped typing (never stored). */
  async typing(to: string, started: boolean): Promise<void> {
    const { context, directory } = this.#init
    this.#init.state.requireStarted()
    const contact = await this.#init.contacts.record(to)
    const list = await directory.known(contact.accountKey, contact.deviceList?.signed)
    if (list === undefined) {
      return
    }
    const plaintext = pad(
      Content.encode({
        messageId: context.provider.randomBytes(MESSAGE_ID_BYTES),
        sentAt: context.now(),
        typing: { action: (started ? 'STARTED' : 'STOPPED') as pb.TypingAction },
      }),
    )
    await this.#init.outbound.sendEphemeral(targetsOf(list), plaintext)
  }

  /** Runs `work`; an identity change it hits is logged as an event (committed) before it is rethrown. */
  async recordingIdentityChanges<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (err) {
      if (err instanceof IdentityChangedError) {
        await this.#init.queue.run(async (unit) => {
          await appendEvent(unit, { type: 'identity-changed', account: err.accountKey, device: err.deviceId })
        })
      }
      throw err
    }
  }
}

/** Refuses a text longer than a message may be (MAX_MESSAGE_TEXT_BYTES of UTF-8). */
export function checkMessageText(text: string): void {
  if (new TextEncoder().encode(text).byteLength > MAX_MESSAGE_TEXT_BYTES) {
    throw new InvalidArgumentError(`a message is at most ${MAX_MESSAGE_TEXT_BYTES} bytes of UTF-8`)
  }
}

function idBytes(id: string): Uint8Array {
  const bytes = bytesOfHex(id)
  if (bytes === undefined || bytes.byteLength !== MESSAGE_ID_BYTES) {
    throw new InvalidArgumentError('a message ID is 32 hex digits')
  }
  return bytes
}
