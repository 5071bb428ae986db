/**
 * @packageDocumentation
 *
 * `createBrowserMessenger()`: Ferry in a web page. The tab is a full Ferry device: its own keys in
 * IndexedDB, its own mailboxes on its relays (reached over secure WebSockets), reachable through
 * them by circuit relay, and connected straight to other browsers over WebRTC when both are online.
 * One tab at a time runs a store; another tab is told so and can take it over.
 *
 * @example
 * ```ts
 * import { createBrowserMessenger } from '@ferry/browser'
 *
 * const messenger = await createBrowserMessenger()
 * if (!messenger.hasAccount) {
 *   await messenger.createAccount({ relays: ['/dns4/relay.example.org/tcp/443/wss/p2p/12D3Koo…'] })
 * }
 * await messenger.start()
 * messenger.on('message', (m) => show(m.from, m.text))
 * await messenger.addContact(inviteLinkFromAFriend, { name: 'bob' })
 * await messenger.send('bob', 'hello')
 * ```
 */
export {
  type AccountInfo,
  type ConnectionPolicy,
  type Contact,
  type DeliveryStatus,
  type Message,
  type MessageEvent,
  type MessengerEvent,
  type ReceiptEvent,
  RelinkRequiredError,
  type SendResult,
  type StatusEvent,
} from '@ferry/client'
export * from './constants.js'
export * from './errors.js'
export {
  type BrowserExtras,
  type BrowserMessenger,
  type BrowserMessengerOptions,
  type ConnectionInfo,
  createBrowserMessenger,
} from './messenger.js'
export { type Durability, deleteStore as deleteBrowserStore, type StorageStatus } from './store.js'
