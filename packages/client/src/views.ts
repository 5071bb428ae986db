/**
 * What the messenger hands to apps: records turned into plain objects with string identifiers.
 */
import { accountIdFromKey, toHex, type VerifiedDeviceList } from '@ferry/crypto'
import type { ContactRecord, MessageRecord } from '@ferry/storage'
import { conversationIdOf } from './event-log.js'

export interface Contact {
  readonly accountId: string
  readonly name?: string
  readonly addedAt: number
  readonly relays: readonly string[]
  /** Device numbers from the newest verified device list (empty when none was found yet). */
  readonly devices: readonly number[]
  readonly deviceListVersion?: number
  readonly verifiedAt?: number
}

export interface Message {
  /** 32 hex digits. */
  readonly id: string
  /** The peer's account ID, or for a group message the group ID (32 hex digits). */
  readonly conversation: string
  /** For a group message: the group ID. */
  readonly group?: string
  readonly direction: 'in' | 'out'
  readonly from: string
  readonly fromDevice: number
  readonly text: string
  readonly sentAt: number
  readonly receivedAt: number
  /** Messages this device sent: the status per recipient device. */
  readonly recipients: ReadonlyArray<{ account: string; device: number; status: string }>
}

export function contactOf(record: ContactRecord, list: VerifiedDeviceList | undefined): Contact {
  return {
    accountId: accountIdFromKey(record.accountKey),
    ...(record.name === undefined ? {} : { name: record.name }),
    addedAt: record.addedAt,
    relays: record.relays,
    devices: list?.devices.map((d) => d.certificate.deviceId) ?? [],
    ...(list === undefined ? {} : { deviceListVersion: list.listVersion }),
    ...(record.verifiedAt === undefined ? {} : { verifiedAt: record.verifiedAt }),
  }
}

export function messageOf(record: MessageRecord): Message {
  return {
    id: toHex(record.messageId),
    conversation: conversationIdOf(record.conversation),
    ...(record.conversation.byteLength === 16 ? { group: toHex(record.conversation) } : {}),
    direction: record.direction,
    from: accountIdFromKey(record.sender.accountKey),
    fromDevice: record.sender.deviceId,
    text: record.text,
    sentAt: record.sentAt,
    receivedAt: record.receivedAt,
    recipients: record.recipients.map((r) => ({
      account: accountIdFromKey(r.device.accountKey),
      device: r.device.deviceId,
      status: r.status,
    })),
  }
}
