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
 * import { MailboxStore, StoreLockedError } from '@ferry/storage'
 *
 * const db = new ClassicLevel(dir)
 * const mailboxes = await MailboxStore.open(db, { maxTtlMs: 7 * 24 * 3600_000 }) // StoreLockedError if DIR is in use
 * const outcome = await mailboxes.deposit({ envelopeId, payload, mailboxes: [mailboxId], ttlMs: Infinity })
 * // outcome.status === 'stored': the envelope is on disk (fsync'd) now
 * const page = await mailboxes.list(mailboxId, { limit: 100 })
 * await mailboxes.ack(mailboxId, page.map((e) => e.envelopeId))
 * await mailboxes.close()
 * await db.close()
 * ```
 */
export * from './constants.js'
export type { Database } from './database.js'
export { openDatabase } from './database.js'
export * from './errors.js'
export * from './mailbox/index.js'
