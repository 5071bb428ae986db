/**
 * The relay mailbox store: its contract types, the store, and its options.
 */
export { MailboxStore } from './mailbox-store.js'
export type { MailboxStats, MailboxStoreInit, SweepOptions, SweepResult } from './options.js'
export type { Usage } from './records.js'
export type * from './types.js'
//# sourceMappingURL=index.d.ts.map
