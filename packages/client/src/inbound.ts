/**
 * Receiving: one path for every envelope, whether it came directly or from a relay mailbox. The
 * envelope is opened (sealed sender), its sender checked against the sender's device list, decrypted
 * and applied inside one state job, so the ratchet step, the message, the dedup marks, the event and
 * any receipt to send back are committed together; only then is the envelope acknowledged and are
 * listeners told (FAULTS 1, 19, 30, 37).
 *
 * Owns: what each content type does to this device's state. Must not know: how envelopes arrive.
 */
import {
  accountIdFromKey,
  type CryptoContext,
  CryptoError,
  DuplicateMessageError,
  type LocalDevice,
  type OpenedEnvelope,
  openEnvelope,
  SessionCipher,
  UntrustedIdentityError,
  verifyDeviceList,
} from '@ferry/crypto'
import type { AccountRecord, ClientStore, ClientUnit, ContactRecord, DeviceAddress } from '@ferry/storage'
import { Content, pad, type pb, unpad, WireError } from '@ferry/wire'
import { MESSAGE_ID_BYTES } from './constants.js'
import type { DeviceTarget, Directory } from './directory.js'
import { targetsOf } from './directory.js'
import { appendEvent } from './event-log.js'
import type { TypingEvent } from './events.js'
import type { Log } from './log.js'
import { deviceKey, type Outbound, updateStatus } from './outbound.js'
import type { StateQueue } from './state-queue.js'

/** Held envelopes whose sender's identity key changed use this distribution ID in the held store. */
export const IDENTITY_HOLD = new Uint8Array(16)

export type ReceiveOutcome = 'stored' | 'duplicate' | 'held' | 'rejected' | 'undecryptable'

export interface InboundInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly directory: Directory
  readonly outbound: Outbound
  readonly local: () => LocalDevice
  readonly account: () => AccountRecord
  readonly log: Log
  /** Ephemeral events (typing), told after the commit; they are never stored. */
  readonly emitEphemeral: (event: TypingEvent) => void
  /** A device whose messages no longer decrypt: its session should be reset. */
  readonly onUndecryptable: (address: DeviceAddress) => void
}

export class Inbound {
  readonly #init: InboundInit

  constructor(init: InboundInit) {
    this.#init = init
  }

  /**
   * Processes one envelope; resolves once everything it changed is durable (then acknowledge it).
   * Never rejects for bad input: garbage is recorded as seen and reported as 'rejected'.
   */
  async receive(
    envelopeId: Uint8Array,
    payload: Uint8Array,
    options: { held?: boolean } = {},
  ): Promise<ReceiveOutcome> {
    const { store, context, log } = this.#init
    if (options.held !== true && (await store.inbox.seen(envelopeId))) {
      return 'duplicate'
    }
    let opened: OpenedEnvelope
    try {
      opened = await openEnvelope(context, { recipient: this.#init.local(), envelope: payload })
    } catch (err) {
      log('an envelope could not be opened: %s', (err as Error).message)
      return this.#markOnly(envelopeId, 'rejected')
    }
    const sender: DeviceAddress = { accountKey: opened.sender.accountKey, deviceId: opened.sender.deviceId }
    if (!(await this.#senderIsListed(sender))) {
      log('an envelope from a device that is not in its account device list was refused')
      return this.#markOnly(envelopeId, 'rejected')
    }
    if (opened.type === 'SENDER_KEY') {
      log('group messages are not handled by this version')
      return this.#markOnly(envelopeId, 'rejected')
    }
    const type = opened.type
    let ephemeral: TypingEvent | undefined
    const { value: outcome } = await this.#init.queue.run(async (unit): Promise<ReceiveOutcome> => {
      ephemeral = undefined
      if (options.held !== true && (await unit.inbox.seen(envelopeId))) {
        return 'duplicate'
      }
      const now = context.now()
      const cipher = new SessionCipher({ context, stores: unit.crypto, local: this.#init.local() })
      let plaintext: Uint8Array
      try {
        const result = await cipher.decrypt(
          sender,
          { type, body: opened.message },
          { identityKey: opened.sender.identityKey },
        )
        plaintext = result.plaintext
      } catch (err) {
        await unit.inbox.markSeen(envelopeId, now)
        if (err instanceof DuplicateMessageError) {
          return 'duplicate'
        }
        if (err instanceof UntrustedIdentityError) {
          await unit.held.add(sender, IDENTITY_HOLD, payload).catch((e: unknown) => {
            log('held-message limit reached for a device: %s', (e as Error).message)
          })
          await appendEvent(unit, {
            type: 'identity-changed',
            account: sender.accountKey,
            device: sender.deviceId,
          })
          return 'held'
        }
        if (err instanceof CryptoError || err instanceof WireError) {
          log('a message could not be decrypted: %s', (err as Error).message)
          return 'undecryptable'
        }
        throw err
      }
      let content: pb.Content
      try {
        content = Content.decode(unpad(plaintext))
      } catch (err) {
        log('a decrypted message is malformed: %s', (err as Error).message)
        await unit.inbox.markSeen(envelopeId, now)
        return 'rejected'
      }
      await unit.inbox.markSeen(envelopeId, now)
      if (await unit.inbox.seen(content.messageId)) {
        return 'duplicate'
      }
      await unit.inbox.markSeen(content.messageId, now)
      ephemeral = await this.#apply(unit, sender, content, now)
      return 'stored'
    })
    if (outcome === 'undecryptable') {
      this.#init.onUndecryptable(sender)
    }
    if (ephemeral !== undefined) {
      this.#init.emitEphemeral(ephemeral)
    }
    if (outcome === 'stored') {
      this.#init.outbound.kick()
    }
    return outcome
  }

  async #markOnly(envelopeId: Uint8Array, outcome: ReceiveOutcome): Promise<ReceiveOutcome> {
    await this.#init.queue.run(async (unit) => {
      await unit.inbox.markSeen(envelopeId, this.#init.context.now())
    })
    return outcome
  }

  /**
   * True when the sending device is in its account's device list as this device knows it (fetched
   * again from the relays when it is not there yet: a newly linked device). A device removed from
   * its list is refused (FAULTS 35). Senders that are not contacts are accepted (message requests).
   */
  async #senderIsListed(sender: DeviceAddress): Promise<boolean> {
    const account = this.#init.account()
    const { directory } = this.#init
    const listed = (list: { devices: ReadonlyArray<{ certificate: { deviceId: number } }> } | undefined) =>
      list?.devices.some((d) => d.certificate.deviceId === sender.deviceId) ?? false
    if (sameBytes(sender.accountKey, account.accountKey)) {
      const own = await directory.known(account.accountKey, account.deviceList?.signed)
      if (listed(own)) {
        return true
      }
      // a device linked since this one last looked: ask this account's relays
      const relays = account.mailboxes.flatMap((m) => m.relayAddrs)
      const fresh = await directory
        .fetch(account.accountKey, relays, own?.listVersion ?? 0)
        .catch(() => undefined)
      if (fresh === undefined || !listed(fresh)) {
        return false
      }
      await this.#init.queue.run(async (unit) => {
        const current = (await unit.account.get()) ?? account
        if ((current.deviceList?.version ?? 0) < fresh.listVersion) {
          await unit.account.put({
            ...current,
            deviceList: { signed: fresh.bytes, version: fresh.listVersion },
          })
        }
      })
      return true
    }
    const contact = await this.#init.store.contacts.get(sender.accountKey)
    if (contact === undefined || contact.deviceList === undefined) {
      return true
    }
    if (listed(await directory.known(contact.accountKey, contact.deviceList.signed))) {
      return true
    }
    const fresh = await directory.contactList(contact, { refresh: true }).catch(() => undefined)
    if (fresh !== undefined && listed(fresh) && fresh.listVersion > contact.deviceList.version) {
      await this.#init.queue.run(async (unit) => {
        const current = await unit.contacts.get(contact.accountKey)
        if (current !== undefined) {
          await directory.acceptForContact(unit, current, fresh.bytes)
        }
      })
      return true
    }
    return false
  }

  async #apply(
    unit: ClientUnit,
    sender: DeviceAddress,
    content: pb.Content,
    now: number,
  ): Promise<TypingEvent | undefined> {
    const account = this.#init.account()
    const fromOwnDevice = sameBytes(sender.accountKey, account.accountKey)
    if (content.text !== undefined && content.text.groupId === undefined && !fromOwnDevice) {
      await unit.messages.put({
        messageId: content.messageId,
        conversation: sender.accountKey,
        direction: 'in',
        sender,
        text: content.text.body,
        sentAt: content.sentAt,
        receivedAt: now,
        recipients: [],
      })
      await appendEvent(unit, {
        type: 'message',
        id: content.messageId,
        conversation: sender.accountKey,
        direction: 'in',
        from: sender.accountKey,
        fromDevice: sender.deviceId,
        text: content.text.body,
        sentAt: content.sentAt,
        receivedAt: now,
      })
      await this.#sendReceipt(unit, sender, 'DELIVERED', [content.messageId])
      return undefined
    }
    if (content.receipt !== undefined && !fromOwnDevice) {
      const status = content.receipt.type === 'READ' ? 'read' : 'delivered'
      for (const messageId of content.receipt.messageIds) {
        await unit.outbox.delete(messageId, sender)
        await updateStatus(unit, messageId, sender, status)
        await appendEvent(unit, {
          type: 'receipt',
          id: messageId,
          from: sender.accountKey,
          fromDevice: sender.deviceId,
          status,
        })
      }
      return undefined
    }
    if (content.syncTranscript !== undefined && fromOwnDevice) {
      const sync = content.syncTranscript
      if (sync.destination !== undefined && sync.text !== undefined) {
        await unit.messages.put({
          messageId: sync.messageId,
          conversation: sync.destination,
          direction: 'out',
          sender,
          text: sync.text.body,
          sentAt: sync.sentAt,
          receivedAt: now,
          recipients: [],
        })
        await unit.inbox.markSeen(sync.messageId, now)
        await appendEvent(unit, {
          type: 'message',
          id: sync.messageId,
          conversation: sync.destination,
          direction: 'out',
          from: sender.accountKey,
          fromDevice: sender.deviceId,
          text: sync.text.body,
          sentAt: sync.sentAt,
          receivedAt: now,
        })
      }
      return undefined
    }
    if (content.typing !== undefined && content.typing.groupId === undefined) {
      return {
        type: 'typing',
        from: accountIdFromKey(sender.accountKey),
        fromDevice: sender.deviceId,
        started: content.typing.action === 'STARTED',
      }
    }
    if (content.deviceListUpdate !== undefined) {
      await this.#applyDeviceList(unit, sender, content.deviceListUpdate.deviceList, fromOwnDevice)
      return undefined
    }
    // null messages only set up sessions; groups, read sync and retry requests come later
    return undefined
  }

  async #applyDeviceList(
    unit: ClientUnit,
    sender: DeviceAddress,
    signed: Uint8Array,
    fromOwnDevice: boolean,
  ): Promise<void> {
    const { directory, context } = this.#init
    if (fromOwnDevice) {
      const account = (await unit.account.get()) ?? this.#init.account()
      try {
        const list = await verifyDeviceList(context, signed, {
          accountKey: account.accountKey,
          knownVersion: account.deviceList?.version ?? 0,
        })
        await unit.account.put({ ...account, deviceList: { signed: list.bytes, version: list.listVersion } })
        directory.remember(list)
        await appendEvent(unit, {
          type: 'device-list',
          account: list.accountKey,
          version: list.listVersion,
          devices: list.devices.map((d) => d.certificate.deviceId),
        })
      } catch (err) {
        this.#init.log('an own device list update was refused: %s', (err as Error).message)
      }
      return
    }
    const contact = await unit.contacts.get(sender.accountKey)
    if (contact === undefined) {
      return
    }
    if ((await directory.acceptForContact(unit, contact, signed)) === 'accepted') {
      const list = await directory.known(contact.accountKey, signed)
      await appendEvent(unit, {
        type: 'device-list',
        account: contact.accountKey,
        version: list?.listVersion ?? 0,
        devices: list?.devices.map((d) => d.certificate.deviceId) ?? [],
      })
    }
  }

  /** A delivery or read receipt to the device that sent the messages (when it can be reached). */
  async #sendReceipt(
    unit: ClientUnit,
    to: DeviceAddress,
    type: 'DELIVERED' | 'READ',
    messageIds: Uint8Array[],
  ): Promise<void> {
    const target = await this.targetOf(unit, to)
    if (target === undefined) {
      return
    }
    const { provider, now } = this.#init.context
    const receiptId = provider.randomBytes(MESSAGE_ID_BYTES)
    const plaintext = pad(
      Content.encode({
        messageId: receiptId,
        sentAt: now(),
        receipt: { type: type as pb.ReceiptType, messageIds },
      }),
    )
    await this.#init.outbound.prepare(unit, receiptId, [target], plaintext, new Map())
  }

  /** The delivery target of a contact's device, from the contact's recorded device list. */
  async targetOf(unit: ClientUnit, address: DeviceAddress): Promise<DeviceTarget | undefined> {
    const contact: ContactRecord | undefined = await unit.contacts.get(address.accountKey)
    const list = await this.#init.directory
      .known(address.accountKey, contact?.deviceList?.signed)
      .catch(() => undefined)
    return list === undefined
      ? undefined
      : targetsOf(list).find((t) => deviceKey(t.address) === deviceKey(address))
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
}
