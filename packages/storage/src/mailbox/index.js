/**
 * The relay mailbox store: its contract types, the store, and its options.
 */
export { MailboxStore } from './mailbox-store.js'
//# sourceMappingURL=index.js.map
