/**
 * What each content type does to this device's state, inside the state job that decrypted it: a text
 * becomes a message (and a delivery receipt back), a receipt moves statuses, a sync transcript records
 * what this account sent from another device, a device-list update is verified and kept, group-control
 * messages and sender keys go to the group receiver, and typing is told after the commit, never stored.
 *
 * Owns: the effect of each content. Must not know: how envelopes arrive or are opened.
 */
import { accountIdFromKey, type CryptoContext, constantTimeEqual, verifyDeviceList } from '@ferry/crypto'
import type { AccountRecord, ClientUnit, DeviceAddress } from '@ferry/storage'
import type { pb } from '@ferry/wire'
import { updateStatus } from './delivery-status.js'
import type { Directory } from './directory.js'
import { appendEvent } from './event-log.js'
import type { TypingEvent } from './events.js'
import type { GroupReceiver } from './groups/receive.js'
import type { Log } from './log.js'

/** What a content changes beyond the unit: acted on after the commit. */
export interface Effects {
  ephemeral?: TypingEvent
  /** Held group envelopes whose sender key just arrived: processed again. */
  release?: Uint8Array[]
  /** Messages whose statuses a receipt moved. */
  receipts?: Uint8Array[]
}

export interface ContentsInit {
  readonly context: CryptoContext
  readonly directory: Directory
  readonly account: () => AccountRecord
  readonly log: Log
  /** Group-control messages and sender keys go here. */
  readonly groups: () => GroupReceiver
  /** Inside the job: a delivery receipt to the device that sent the messages. */
  readonly sendReceipt: (
    unit: ClientUnit,
    to: DeviceAddress,
    type: 'DELIVERED' | 'READ',
    messageIds: Uint8Array[],
  ) => Promise<void>
}

export class Contents {
  readonly #init: ContentsInit

  constructor(init: ContentsInit) {
    this.#init = init
  }

  /** Inside a state job: applies one decrypted content from `sender`; returns what to do after the commit. */
  async apply(unit: ClientUnit, sender: DeviceAddress, content: pb.Content, now: number): Promise<Effects> {
    const account = this.#init.account()
    const fromOwnDevice = constantTimeEqual(sender.accountKey, account.accountKey)
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
      await this.#init.sendReceipt(unit, sender, 'DELIVERED', [content.messageId])
      return {}
    }
    // receipts from this account's other devices count too: they are member devices of its groups
    if (content.receipt !== undefined) {
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
      return { receipts: content.receipt.messageIds }
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
      return {}
    }
    if (content.typing !== undefined && content.typing.groupId === undefined) {
      return {
        ephemeral: {
          type: 'typing',
          from: accountIdFromKey(sender.accountKey),
          fromDevice: sender.deviceId,
          started: content.typing.action === 'STARTED',
        },
      }
    }
    if (content.deviceListUpdate !== undefined) {
      await this.#applyDeviceList(unit, sender, content.deviceListUpdate.deviceList, fromOwnDevice)
      return {}
    }
    if (content.groupControl !== undefined) {
      await this.#init.groups().applyControl(unit, sender, content.groupControl)
      return {}
    }
    if (content.senderKeyDistribution !== undefined) {
      const release = await this.#init.groups().applyDistribution(unit, sender, content.senderKeyDistribution)
      return release.length > 0 ? { release } : {}
    }
    // null messages only set up sessions; a group text outside a group envelope is ignored; read
    // sync and retry requests come later
    return {}
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
        const before = await directory
          .known(account.accountKey, account.deviceList?.signed)
          .catch(() => undefined)
        if (dropsDevices(before, list)) {
          await this.#init.groups().devicesRemoved(unit, account.accountKey)
        }
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
      // an introduction (a group admin who is not a contact yet): kept in memory, recorded with the
      // contact the group's members become when the group-control message is applied
      try {
        const list = await verifyDeviceList(context, signed, { accountKey: sender.accountKey })
        if (list.devices.some((d) => d.certificate.deviceId === sender.deviceId)) {
          const known = directory.cached(sender.accountKey)
          if (known === undefined || known.listVersion < list.listVersion) {
            directory.remember(list)
          }
        }
      } catch (err) {
        this.#init.log('an introduced device list was refused: %s', (err as Error).message)
      }
      return
    }
    const before = await directory
      .known(contact.accountKey, contact.deviceList?.signed)
      .catch(() => undefined)
    if ((await directory.acceptForContact(unit, contact, signed)) === 'accepted') {
      const list = await directory.known(contact.accountKey, signed)
      if (dropsDevices(before, list)) {
        // FAULTS 35: the removed device must read nothing sent in a group from now on
        await this.#init.groups().devicesRemoved(unit, contact.accountKey)
      }
      await appendEvent(unit, {
        type: 'device-list',
        account: contact.accountKey,
        version: list?.listVersion ?? 0,
        devices: list?.devices.map((d) => d.certificate.deviceId) ?? [],
      })
    }
  }
}

/** True when `after` lacks a device that `before` listed. */
function dropsDevices(
  before: { devices: ReadonlyArray<{ certificate: { deviceId: number } }> } | undefined,
  after: { devices: ReadonlyArray<{ certificate: { deviceId: number } }> } | undefined,
): boolean {
  if (before === undefined || after === undefined) {
    return false
  }
  const kept = new Set(after.devices.map((d) => d.certificate.deviceId))
  return before.devices.some((d) => !kept.has(d.certificate.deviceId))
}
