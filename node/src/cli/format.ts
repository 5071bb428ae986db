/**
 * How results read for people (without --json): accounts, contacts, messages, statuses and events.
 * Contacts are shown by their local name when they have one.
 */
import type {
  AccountInfo,
  Contact,
  GroupInfo,
  GroupSendResult,
  Message,
  MessengerEvent,
  SendResult,
} from '@ferry/client'
import { renderQr } from './qr.js'

/** Names of contacts by account ID, and this account's ID, for labels. */
export interface Names {
  readonly self?: string
  readonly byAccount: ReadonlyMap<string, string>
}

export function namesOf(contacts: readonly Contact[], self?: string): Names {
  const byAccount = new Map<string, string>()
  for (const contact of contacts) {
    if (contact.name !== undefined) {
      byAccount.set(contact.accountId, contact.name)
    }
  }
  return { ...(self === undefined ? {} : { self }), byAccount }
}

export function label(names: Names, accountId: string): string {
  if (accountId === names.self) {
    return 'me'
  }
  return names.byAccount.get(accountId) ?? shortId(accountId)
}

export function shortId(accountId: string): string {
  return accountId.length > 18 ? `${accountId.slice(0, 14)}…${accountId.slice(-4)}` : accountId
}

/** Local date and time, to the second. */
export function time(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

export function accountText(info: AccountInfo, options: { qr: boolean }): string {
  const lines = [
    `Account ID: ${info.accountId}`,
    `Device:     ${info.deviceId}${info.primary ? ' (primary)' : ''}`,
    `Invite:     ${info.invite}`,
  ]
  if (options.qr) {
    lines.push('', renderQr(info.invite))
  }
  return lines.join('\n')
}

export function contactText(contact: Contact): string {
  const devices =
    contact.devices.length === 0 ? 'no device list yet' : `devices ${contact.devices.join(', ')}`
  return `${contact.name ?? '-'}\t${contact.accountId}\t${devices}`
}

export function sendText(result: SendResult, names: Names): string {
  const lines = [`Sent ${result.id}`]
  for (const device of result.devices) {
    lines.push(`  ${label(names, device.account)}/${device.device}: ${device.status}`)
  }
  return lines.join('\n')
}

/** A group as one line, or with its members one per line. */
export function groupText(group: GroupInfo, names: Names, options: { members: boolean }): string {
  const flags = [group.admin ? 'admin' : '', group.left ? 'left' : ''].filter((f) => f !== '').join(', ')
  const head = `${group.id}\t${group.name}\t${group.members.length} members${flags === '' ? '' : ` (${flags})`}`
  if (!options.members) {
    return head
  }
  const lines = [head, `  revision ${group.revision}, ${group.online} member devices online`]
  for (const m of group.members) {
    lines.push(`  ${label(names, m.account)}${m.admin ? ' (admin)' : ''}\t${m.account}`)
  }
  return lines.join('\n')
}

/** "Sent …: delivered to 7 of 9 devices", then the status per device. */
export function groupSendText(result: GroupSendResult, names: Names): string {
  const r = result.receipts
  const rest = [
    r.stored > 0 ? `${r.stored} stored on relays` : '',
    r.pending > 0 ? `${r.pending} pending` : '',
  ]
    .filter((p) => p !== '')
    .join(', ')
  const lines = [
    `Sent ${result.id} to group ${shortGroup(result.group)}: delivered to ${r.delivered} of ${r.total} devices${rest === '' ? '' : ` (${rest})`}`,
  ]
  for (const device of result.devices) {
    lines.push(`  ${label(names, device.account)}/${device.device}: ${device.status}`)
  }
  return lines.join('\n')
}

function shortGroup(id: string): string {
  return id.slice(0, 8)
}

export function messageText(message: Message, names: Names): string {
  const where = message.group === undefined ? '' : ` [group ${shortGroup(message.group)}]`
  const who =
    message.direction === 'in'
      ? `${label(names, message.from)}/${message.fromDevice}${where}`
      : message.group === undefined
        ? `me/${message.fromDevice} → ${label(names, message.conversation)}`
        : `me/${message.fromDevice}${where}`
  return `${time(message.sentAt)} ${who}: ${message.text}`
}

export function statusText(message: Message, names: Names): string {
  const lines = [`${message.id}`, messageText(message, names)]
  for (const r of message.recipients) {
    lines.push(`  ${label(names, r.account)}/${r.device}: ${r.status}`)
  }
  return lines.join('\n')
}

/** An event as a JSON line: its type and cursor first, then its fields. */
export function eventRecord(event: MessengerEvent): Record<string, unknown> {
  const { type, ...rest } = event
  return { type, ...('cursor' in event ? { cursor: event.cursor } : {}), ...rest }
}

export function eventText(event: MessengerEvent, names: Names): string {
  const at = 'cursor' in event ? `#${event.cursor} ` : ''
  switch (event.type) {
    case 'message': {
      const where = event.group === undefined ? '' : ` [group ${shortGroup(event.group)}]`
      return event.direction === 'in'
        ? `${at}${time(event.sentAt)} ${label(names, event.from)}/${event.fromDevice}${where}: ${event.text}`
        : event.group === undefined
          ? `${at}${time(event.sentAt)} me/${event.fromDevice} → ${label(names, event.conversation)}: ${event.text}`
          : `${at}${time(event.sentAt)} me/${event.fromDevice}${where}: ${event.text}`
    }
    case 'group':
      return `${at}group ${shortGroup(event.group)} "${event.name}": ${event.action} by ${label(names, event.by)}${
        event.subjects.length === 0 ? '' : ` (${event.subjects.map((s) => label(names, s)).join(', ')})`
      }, revision ${event.revision}`
    case 'receipt':
      return `${at}${event.status} by ${label(names, event.from)}/${event.fromDevice}: ${event.id}`
    case 'status':
      return `${at}${event.id} → ${label(names, event.account)}/${event.device}: ${event.status}`
    case 'identity-changed':
      return `${at}the identity key of ${label(names, event.account)}/${event.device} changed: compare safety numbers (ferry verify), then accept with ferry verify --approve`
    case 'device-list':
      return `${at}devices of ${label(names, event.account)}: ${event.devices.join(', ')} (list version ${event.version})`
    case 'typing':
      return `${label(names, event.from)}/${event.fromDevice} ${event.started ? 'is typing…' : 'stopped typing'}`
    default: {
      // a kind of event this version does not describe in words: its fields as they are
      const { type, cursor, ...fields } = event as { type: string; cursor?: number }
      void cursor
      return `${at}${type}: ${JSON.stringify(fields)}`
    }
  }
}

/** 60 digits as 12 groups of 5, in 3 lines. */
export function safetyNumberText(digits: string): string {
  const groups = digits.replace(/\s+/g, '').match(/.{1,5}/g) ?? []
  const lines: string[] = []
  for (let i = 0; i < groups.length; i += 4) {
    lines.push(groups.slice(i, i + 4).join(' '))
  }
  return lines.join('\n')
}
