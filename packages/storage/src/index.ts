/**
 * @packageDocumentation
 *
 * Ferry storage on abstract-level. On a relay: the mailbox store (durable, group-committed
 * store-and-forward of opaque ciphertext with quotas and TTL), the pre-key store and the device-list
 * store, all in one LevelDB directory through sublevels.
 *
 * @example
 * ```ts
 * import { ClassicLevel } from 'classic-level'
 * import { openRelayStorage } from '@ferry/storage'
 *
 * // StoreLockedError if another process uses DIR, StoreCorruptError for corrupt files
 * const storage = await openRelayStorage({ db: new ClassicLevel(dir), mailbox: { maxTtlMs: 7 * 24 * 3600_000 } })
 * const outcome = await storage.mailbox.deposit({ envelopeId, payload, mailboxes: [mailboxId], ttlMs: Infinity })
 * // outcome.status === 'stored': the envelope is on disk (fsync'd) now
 * const page = await storage.mailbox.list(mailboxId, { limit: 100 })
 * await storage.mailbox.ack(mailboxId, page.map((e) => e.envelopeId))
 * await storage.mailbox.sweepExpired() // on a timer, until `more` is false
 * await storage.close() // finishes in-flight batches, then closes the database
 * ```
 */

export * from './client/index.js'
export * from './constants.js'
export type { Database } from './database.js'
export { openDatabase } from './database.js'
export * from './device-lists/index.js'
export * from './errors.js'
export * from './mailbox/index.js'
export * from './prekeys/index.js'
export type { RecoveryInit, RecoveryState, RecoveryStats } from './recovery.js'
export type { RelayStorage, RelayStorageInit } from './relay-storage.js'
export { openRelayStorage } from './relay-storage.js'
