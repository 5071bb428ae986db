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
 * const store = await openClientStore(new MemoryLevel()) // new ClassicLevel(dir) in Node
 * const alice = { accountKey: new Uint8Array(32).fill(1), deviceId: 1 }
 * const messageId = crypto.getRandomValues(new Uint8Array(16))
 * const now = Date.now()
 *
 * // one receive step: ratchet state, message, dedup mark and event commit together or not at all
 * const unit = store.unit()
 * try {
 *   if (!(await unit.inbox.seen(messageId))) {
 *     // a SessionCipher given `unit.crypto` as its stores writes the advanced session here
 *     await unit.crypto.sessions.storeSession(alice, Uint8Array.of(1, 2, 3))
 *     await unit.messages.put({
 *       messageId,
 *       conversation: alice.accountKey,
 *       direction: 'in',
 *       sender: alice,
 *       text: 'hello',
 *       sentAt: now,
 *       receivedAt: now,
 *       recipients: [],
 *     })
 *     await unit.inbox.markSeen(messageId, now)
 *     await unit.events.append('message', messageId)
 *   }
 *   const { events } = await unit.commit() // one db.batch(ops, { sync: true })
 *   // only now: ack the envelope to the relay, then tell listeners (each event has its cursor)
 * } finally {
 *   unit.discard() // a no-op after commit; drops everything after an error
 * }
 *
 * // reads outside a unit go straight to the database
 * const history = await store.messages.history(alice.accountKey, { limit: 50 }) // newest last
 * const page = await store.events.since(0, 100) // `ferry receive --since CURSOR`
 * await store.close()
 * ```
 */

export type { AccountReader, AccountView, ContactsReader, ContactsView } from './account-views.js'
export type { ClientStoreInit } from './client-store.js'
export { ClientStore, openClientStore } from './client-store.js'
export * from './constants.js'
export type {
  IdentityView,
  PreKeyView,
  SenderKeyView,
  SessionView,
} from './crypto-views.js'
export { HeldLimitError, UnitClosedError, UnitStaleError } from './errors.js'
export type { GroupsReader, GroupsView } from './group-views.js'
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
export type { OwedReceipt, ReceiptsOwedReader, ReceiptsOwedView } from './receipt-views.js'
export { StoredAccount, StoredKeyPair, StoredMailbox } from './redacted.js'
export type * from './types.js'
export type { ClientUnit } from './unit.js'
