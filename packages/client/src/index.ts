/**
 * @packageDocumentation
 *
 * `createMessenger()`: Ferry's messenger core, platform-neutral. One messenger per device: an
 * account (created here, or this device linked to one), contacts, sending to every device of a
 * contact and of this account, receiving from direct connections and relay mailboxes, and events
 * that are stored before anyone is told.
 *
 * @example
 * ```ts
 * import { createMessenger } from '@ferry/client'
 * import { ClassicLevel } from 'classic-level'
 *
 * const messenger = await createMessenger({ db: new ClassicLevel('./ferry-data') })
 * if (!messenger.hasAccount) {
 *   await messenger.createAccount({ relays: ['/ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…'] })
 * }
 * await messenger.start()
 * messenger.on('message', (m) => console.log(m.from, m.text))
 * await messenger.addContact(inviteLinkFromAFriend, { name: 'bob' })
 * const { id, devices } = await messenger.send('bob', 'hello')
 * ```
 */

export type { ConnectionPolicy } from '@ferry/transport'
export { installPolyfills } from '@ferry/transport'
export * from './constants.js'
export { deadlineSignal } from './deadline.js'
export * from './errors.js'
export type * from './events.js'
export type {
  GroupInfo,
  GroupMemberInfo,
  GroupSendResult,
  ReceiptSummary,
} from './groups/views.js'
export type { AccountInfo } from './identity.js'
export type { ReceiveOutcome, ReceiveResult } from './inbound.js'
export {
  type AbortOptions,
  createMessenger,
  Messenger,
  type MessengerInit,
  type SendResult,
} from './messenger.js'
export type { CreateHost, HostInit } from './network.js'
export { type BrowserHostOptions, browserHost } from './platform.browser.js'
export type { Contact, Message } from './views.js'
