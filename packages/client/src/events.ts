/**
 * The messenger's events: what they carry, how they are kept in the event log (a versioned JSON
 * payload per entry), and how listeners are told. Every event except `typing` is committed to the log
 * before any listener hears of it, so a reader that resumes from a cursor misses nothing.
 *
 * Identifiers in events are strings a person or a script can use as they are: account IDs
 * (`ferry1…`), message IDs in hex, device numbers.
 */
import type { StoredEvent } from '@ferry/storage'

/** Format version of stored event payloads. */
const EVENT_FORMAT_VERSION = 1

export type DeliveryStatus = 'pending' | 'stored' | 'delivered' | 'read'

export interface MessageEvent {
  readonly type: 'message'
  readonly cursor: number
  /** Message ID, 32 hex digits. */
  readonly id: string
  /** The conversation: the peer's account ID, or for a group message the group ID (32 hex digits). */
  readonly conversation: string
  /** For a group message: the group ID (32 hex digits). */
  readonly group?: string
  /** 'in' for received messages, 'out' for what this account sent from another device. */
  readonly direction: 'in' | 'out'
  /** The sender's account ID. */
  readonly from: string
  readonly fromDevice: number
  readonly text: string
  /** The sender's clock. */
  readonly sentAt: number
  /** This device's clock. */
  readonly receivedAt: number
}

export interface ReceiptEvent {
  readonly type: 'receipt'
  readonly cursor: number
  /** The message the receipt is about. */
  readonly id: string
  readonly from: string
  readonly fromDevice: number
  readonly status: 'delivered' | 'read'
}

export interface StatusEvent {
  readonly type: 'status'
  readonly cursor: number
  readonly id: string
  readonly account: string
  readonly device: number
  readonly status: DeliveryStatus
}

export interface IdentityChangedEvent {
  readonly type: 'identity-changed'
  readonly cursor: number
  readonly account: string
  readonly device: number
}

export interface DeviceListEvent {
  readonly type: 'device-list'
  readonly cursor: number
  readonly account: string
  readonly version: number
  readonly devices: readonly number[]
}

/** A group's membership or name changed (an applied group-control message, or this device's own). */
export interface GroupEvent {
  readonly type: 'group'
  readonly cursor: number
  /** The group ID, 32 hex digits. */
  readonly group: string
  readonly action: 'create' | 'add' | 'remove' | 'leave' | 'rename' | 'set-admin'
  /** The account that made the change. */
  readonly by: string
  /** The accounts the change is about (added, removed, promoted, the leaver). */
  readonly subjects: readonly string[]
  readonly revision: number
  readonly name: string
}

/** Typing indicators are never stored: they have no cursor and reach only online devices. */
export interface TypingEvent {
  readonly type: 'typing'
  readonly from: string
  readonly fromDevice: number
  readonly started: boolean
}

export type StoredMessengerEvent =
  | MessageEvent
  | ReceiptEvent
  | StatusEvent
  | IdentityChangedEvent
  | DeviceListEvent
  | GroupEvent
export type MessengerEvent = StoredMessengerEvent | TypingEvent
export type MessengerEventType = MessengerEvent['type']

/** An event as appended in a unit of work, before it has a cursor. */
export type EventDraft = DistributiveOmit<StoredMessengerEvent, 'cursor'>
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function encodeEventPayload(event: EventDraft): Uint8Array {
  const { type, ...rest } = event
  void type
  return encoder.encode(JSON.stringify({ v: EVENT_FORMAT_VERSION, ...rest }))
}

/** Decodes a stored event; undefined for a type or version this code does not know (skipped). */
export function decodeStoredEvent(stored: StoredEvent): StoredMessengerEvent | undefined {
  let payload: { v?: unknown }
  try {
    payload = JSON.parse(decoder.decode(stored.payload)) as { v?: unknown }
  } catch {
    return undefined
  }
  if (payload.v !== EVENT_FORMAT_VERSION || !STORED_TYPES.has(stored.type)) {
    return undefined
  }
  const { v, ...rest } = payload
  void v
  return { ...rest, type: stored.type, cursor: stored.cursor } as StoredMessengerEvent
}

const STORED_TYPES = new Set<string>([
  'message',
  'receipt',
  'status',
  'identity-changed',
  'device-list',
  'group',
])

type Listener = (event: MessengerEvent) => void

/** A small typed event hub: listeners per type, plus '*' for every event. */
export class EventHub {
  readonly #listeners = new Map<string, Set<Listener>>()
  readonly #onError: (err: unknown) => void

  constructor(onError: (err: unknown) => void) {
    this.#onError = onError
  }

  on<T extends MessengerEventType | '*'>(
    type: T,
    listener: (
      event: T extends MessengerEventType ? Extract<MessengerEvent, { type: T }> : MessengerEvent,
    ) => void,
  ): () => void {
    let set = this.#listeners.get(type)
    if (set === undefined) {
      set = new Set()
      this.#listeners.set(type, set)
    }
    set.add(listener as Listener)
    return () => {
      set.delete(listener as Listener)
    }
  }

  emit(event: MessengerEvent): void {
    for (const key of [event.type, '*']) {
      for (const listener of this.#listeners.get(key) ?? []) {
        try {
          listener(event)
        } catch (err) {
          this.#onError(err)
        }
      }
    }
  }
}
