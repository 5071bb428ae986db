/**
 * Appending events inside a unit of work: internal inputs carry bytes, the log keeps the strings a
 * reader uses (account IDs, hex message IDs).
 */
import { accountIdFromKey, toHex } from '@ferry/crypto'
import type { ClientUnit } from '@ferry/storage'
import { type EventDraft, encodeEventPayload } from './events.js'

export type EventInput =
  | {
      readonly type: 'message'
      readonly id: Uint8Array
      readonly conversation: Uint8Array
      readonly direction: 'in' | 'out'
      readonly from: Uint8Array
      readonly fromDevice: number
      readonly text: string
      readonly sentAt: number
      readonly receivedAt: number
    }
  | {
      readonly type: 'receipt'
      readonly id: Uint8Array
      readonly from: Uint8Array
      readonly fromDevice: number
      readonly status: 'delivered' | 'read'
    }
  | {
      readonly type: 'status'
      readonly id: Uint8Array
      readonly account: Uint8Array
      readonly device: number
      readonly status: 'pending' | 'stored' | 'delivered' | 'read'
    }
  | { readonly type: 'identity-changed'; readonly account: Uint8Array; readonly device: number }
  | {
      readonly type: 'device-list'
      readonly account: Uint8Array
      readonly version: number
      readonly devices: readonly number[]
    }
  | {
      readonly type: 'group'
      readonly group: Uint8Array
      readonly action: 'create' | 'add' | 'remove' | 'leave' | 'rename' | 'set-admin'
      readonly by: Uint8Array
      readonly subjects: readonly Uint8Array[]
      readonly revision: number
      readonly name: string
    }

export function bytesOfHex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})*$/i.test(text)) {
    return undefined
  }
  const out = new Uint8Array(text.length / 2)
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(text.slice(2 * i, 2 * i + 2), 16)
  }
  return out
}

export function draftOf(input: EventInput): EventDraft {
  switch (input.type) {
    case 'message':
      return {
        ...input,
        id: toHex(input.id),
        conversation: conversationIdOf(input.conversation),
        from: accountIdFromKey(input.from),
        ...(input.conversation.byteLength === GROUP_ID_BYTES ? { group: toHex(input.conversation) } : {}),
      }
    case 'receipt':
      return { ...input, id: toHex(input.id), from: accountIdFromKey(input.from) }
    case 'status':
      return { ...input, id: toHex(input.id), account: accountIdFromKey(input.account) }
    case 'identity-changed':
      return { ...input, account: accountIdFromKey(input.account) }
    case 'device-list':
      return { ...input, account: accountIdFromKey(input.account) }
    case 'group':
      return {
        ...input,
        group: toHex(input.group),
        by: accountIdFromKey(input.by),
        subjects: input.subjects.map(accountIdFromKey),
      }
  }
}

/** Group IDs name group conversations; account keys (32 bytes) name the others. */
const GROUP_ID_BYTES = 16

/** A conversation as apps see it: the peer's account ID, or the group ID in hex. */
export function conversationIdOf(conversation: Uint8Array): string {
  return conversation.byteLength === GROUP_ID_BYTES ? toHex(conversation) : accountIdFromKey(conversation)
}

export async function appendEvent(unit: ClientUnit, input: EventInput): Promise<void> {
  const draft = draftOf(input)
  await unit.events.append(draft.type, encodeEventPayload(draft))
}
