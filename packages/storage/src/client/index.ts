/**
 * The client stores: a device's whole state (crypto stores, account, contacts, messages, outbox, inbox
 * dedup, event log, held group messages) in one abstract-level database, changed only through units of
 * work that commit as one atomic durable batch, so session state and the message store are committed
 * together or not at all (FAULTS 37).
 *
 * @example
 * ```ts
 * import { MemoryLevel } from 'memory-level'
 * import { openClientStore } from '@ferry/storage'
 *
 * const store = await openClientStore(new MemoryLevel()) // ClassicLevel(dir) in Node
 * const unit = store.unit()
 * try {
 *   if (!(await unit.inbox.seen(messageId))) {
 *     await unit.crypto.sessions.storeSession(sender, sessionRecord) // what the decrypt wrote
 *     await unit.messages.put(message)
 *     await unit.inbox.markSeen(messageId, now)
 *     await unit.events.append('message', payload)
 *   }
 *   const { events } = await unit.commit() // one db.batch(ops, { sync: true })
 *   // only now: ack the envelope, tell listeners about `events` (each has its cursor)
 * } finally {
 *   unit.discard() // a no-op after commit; drops everything on an error
 * }
 * const page = await store.events.since(0, 100) // `receive --since CURSOR`
 * await store.close()
 * ```
 */

export type { AccountReader, AccountView, ContactsReader, ContactsView } from './account-views.js'
export { ClientStore, openClientStore } from './client-store.js'
export * from './constants.js'
export type {
  IdentityView,
  PreKeyView,
  SenderKeyView,
  SessionView,
} from './crypto-views.js'
export { HeldLimitError, UnitClosedError } from './errors.js'
export type {
  EventsReader,
  EventsView,
  HeldReader,
  HeldView,
  InboxReader,
  InboxView,
} from './log-views.js'
export type { MessagesReader, MessagesView } from './message-views.js'
export type { OutboxReader, OutboxView } from './outbox-views.js'
export { StoredAccount, StoredKeyPair, StoredMailbox } from './redacted.js'
export type * from './types.js'
export type { ClientUnit } from './unit.js'
