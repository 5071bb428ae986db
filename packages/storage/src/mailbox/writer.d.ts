import type { Keyspace } from '../database.js'
import type { MailboxKeys } from './keys.js'
import type { MailboxStats, SweepResult } from './options.js'
import { type GlobalState, type Usage } from './records.js'
import { type MailboxPolicy, type StoredDeposit, type ValidDeposit } from './transaction.js'
import type { DepositOutcome, MailboxId, RefusalReason } from './types.js'
export interface MailboxWriterInit {
  ks: Keyspace
  keys: MailboxKeys
  policy: MailboxPolicy
  now: () => number
  global: GlobalState
  /** Usage of every mailbox holding something, keyed by `byteKey(mailbox)` (the writer keeps it). */
  usage: Map<string, Usage>
  /** Counters the writer adds to. */
  stats: MailboxStats
  /** Called with the deposits of a batch once it is durable. */
  onStored: (stored: readonly StoredDeposit[]) => void
}
export declare class MailboxWriter {
  #private
  constructor(init: MailboxWriterInit)
  /** Committed usage of a mailbox, by `byteKey(mailbox)`. */
  usageOf(id: string): Usage | undefined
  /** Mailboxes holding something. */
  get mailboxes(): number
  deposit(deposit: ValidDeposit, signal: AbortSignal | undefined): Promise<DepositOutcome>
  ack(mailbox: MailboxId, ids: Uint8Array[], signal: AbortSignal | undefined): Promise<number>
  sweep(now: number, limit: number): Promise<SweepResult>
  /** A refusal answered without a write (counted like the others). */
  refused(reason: RefusalReason): DepositOutcome
  /** Resolves once every queued and in-flight batch is written. */
  idle(): Promise<void>
}
//# sourceMappingURL=writer.d.ts.map
