/**
 * The reads a batch needs before it can be applied, gathered so that each batch costs a few
 * `getMany` round trips rather than one per request: envelope records for deposits and acks, then the
 * queue entries acks would remove; for a sweep, the due index entries, their records, the mailbox
 * lists and queue entries of those still live. Also the usage rebuild at open.
 */
import type { Keyspace } from '../database.js'
import type { WriteSet } from '../write-set.js'
import type { MailboxKeys } from './keys.js'
import { type Usage } from './records.js'
import type { ValidDeposit } from './transaction.js'
export type GroupRequest =
  | {
      kind: 'deposit'
      deposit: ValidDeposit
    }
  | {
      kind: 'ack'
      mailbox: Uint8Array
      ids: Uint8Array[]
    }
export declare function loadGroup(
  ws: WriteSet,
  keys: MailboxKeys,
  group: readonly GroupRequest[],
): Promise<void>
export interface DueEntry {
  time: number
  id: Uint8Array
  /** The mailbox list of a live envelope whose list is not inline. */
  mailboxes: Uint8Array[] | undefined
}
/** Loads up to `limit` due index entries with what `MailboxTransaction.sweep` reads. */
export declare function loadSweep(
  ws: WriteSet,
  ks: Keyspace,
  keys: MailboxKeys,
  now: number,
  limit: number,
): Promise<{
  entries: DueEntry[]
  more: boolean
}>
/** Every mailbox's usage, from its queue entries (they exist exactly while the mailbox holds an envelope). */
export declare function rebuildUsage(ks: Keyspace, keys: MailboxKeys): Promise<Map<string, Usage>>
//# sourceMappingURL=prepare.d.ts.map
