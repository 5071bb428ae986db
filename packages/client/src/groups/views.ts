/**
 * What the messenger hands to apps about groups: plain objects with string identifiers (group IDs as
 * 32 hex digits, members as account IDs), and the receipt summary of a group message.
 */
import { accountIdFromKey, constantTimeEqual, toHex } from '@ferry/crypto'
import type { GroupRecord, RecipientStatus } from '@ferry/storage'
import { bytesOfHex } from '../event-log.js'

export interface GroupMemberInfo {
  readonly account: string
  readonly admin: boolean
  /** This account. */
  readonly self: boolean
}

export interface GroupInfo {
  /** 32 hex digits. */
  readonly id: string
  readonly name: string
  /** Strictly increasing with every membership change. */
  readonly revision: number
  readonly members: readonly GroupMemberInfo[]
  /** This account is an admin (may add and remove members). */
  readonly admin: boolean
  /** This account left the group or was removed: nothing is sent or accepted any more. */
  readonly left: boolean
  readonly createdAt: number
  /** Member devices this device is connected to on the group's gossip topic right now. */
  readonly online: number
}

/** Per-device receipts of one group message, summed up ("delivered to 7 of 9"). */
export interface ReceiptSummary {
  /** Member devices the message was for (every device of every member, except the sending one). */
  readonly total: number
  /** Devices that confirmed it (delivered or read). */
  readonly delivered: number
  readonly read: number
  /** Devices that have not confirmed it but whose relays hold it for them. */
  readonly stored: number
  /** Devices neither confirmed nor covered by a relay yet. */
  readonly pending: number
}

export interface GroupSendResult {
  /** The message ID, 32 hex digits. */
  readonly id: string
  /** The group ID. */
  readonly group: string
  readonly receipts: ReceiptSummary
  readonly devices: ReadonlyArray<{ account: string; device: number; status: string }>
}

export function groupInfoOf(record: GroupRecord, self: Uint8Array, online: number): GroupInfo {
  return {
    id: toHex(record.groupId),
    name: record.name,
    revision: record.revision,
    members: record.members.map((m) => ({
      account: accountIdFromKey(m.accountKey),
      admin: m.admin,
      self: constantTimeEqual(m.accountKey, self),
    })),
    admin: !record.left && record.members.some((m) => m.admin && constantTimeEqual(m.accountKey, self)),
    left: record.left,
    createdAt: record.createdAt,
    online,
  }
}

export function summarise(recipients: readonly RecipientStatus[]): ReceiptSummary {
  let delivered = 0
  let read = 0
  let stored = 0
  let pending = 0
  for (const r of recipients) {
    if (r.status === 'read') {
      read++
      delivered++
    } else if (r.status === 'delivered') {
      delivered++
    } else if (r.status === 'stored') {
      stored++
    } else {
      pending++
    }
  }
  return { total: recipients.length, delivered, read, stored, pending }
}

/** A group ID from its 32-hex-digit form, or undefined. */
export function groupIdOf(text: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F]{32}$/.test(text)) {
    return undefined
  }
  return bytesOfHex(text.toLowerCase())
}

/** Conversations are named by a 32-byte account key or a 16-byte group ID. */
export function isGroupConversation(conversation: Uint8Array): boolean {
  return conversation.byteLength === 16
}
