/**
 * The relay mailbox store: its contract types, the store, and its options.
 */
export type { MailboxStats, MailboxStoreInit, SweepOptions, SweepResult } from './mailbox-store.js'
export { MailboxStore } from './mailbox-store.js'
export type { Usage } from './records.js'
export type * from './types.js'
