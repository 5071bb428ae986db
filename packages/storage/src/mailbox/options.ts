/**
 * The mailbox store's options, results and counters, how options become the enforced policy, and the
 * argument checks every entry point shares.
 */
import { MAILBOX_ID_BYTES } from '@ferry/wire'
import { byteKey, copyBytes } from '../binary.js'
import {
  DEFAULT_MAILBOX_MAX_BYTES,
  DEFAULT_MAILBOX_MAX_ENVELOPES,
  DEFAULT_MAX_DEPOSIT_MAILBOXES,
  DEFAULT_MAX_ENVELOPE_BYTES,
  DEFAULT_MAX_TTL_MS,
  DEFAULT_STATUS_TOMBSTONE_TTL_MS,
} from '../constants.js'
import { isCorruption } from '../database.js'
import {
  InvalidConfigError,
  InvalidRequestError,
  StorageReadError,
  StoreClosedError,
  StoreCorruptError,
} from '../errors.js'
import type { MailboxPolicy } from './transaction.js'
import type { RefusalReason } from './types.js'

export interface MailboxStoreInit {
  /** The relay's clock in ms (TTL, tombstones). Default `Date.now`. */
  now?: () => number
  /** Largest payload accepted. Default DEFAULT_MAX_ENVELOPE_BYTES (72 KiB). */
  maxEnvelopeBytes?: number
  /** Most mailboxes one deposit may list. Default DEFAULT_MAX_DEPOSIT_MAILBOXES (1024). */
  maxDepositMailboxes?: number
  /** Envelopes one mailbox may hold. Default DEFAULT_MAILBOX_MAX_ENVELOPES (50,000). */
  mailboxMaxEnvelopes?: number
  /** Payload bytes one mailbox may hold. Default DEFAULT_MAILBOX_MAX_BYTES (256 MiB). */
  mailboxMaxBytes?: number
  /** Cap on a deposit's TTL. Default DEFAULT_MAX_TTL_MS (30 days). */
  maxTtlMs?: number
  /** How long an expired envelope's status stays readable. Default 3 days; 0 forgets it at once. */
  statusTombstoneTtlMs?: number
  /** Name of the sublevel the store writes into. Default 'relay-mailbox'. */
  sublevel?: string
  /** Told when a subscriber's listener throws (the other listeners still run). */
  onListenerError?: (err: unknown) => void
}

export interface SweepOptions {
  /** Relay clock to sweep at. Default the store's `now()`. */
  now?: number
  /** Index entries to handle at most (one atomic batch). Default DEFAULT_SWEEP_LIMIT. */
  limit?: number
}

export interface SweepResult {
  /** Envelopes whose payload was deleted because their TTL passed. */
  expired: number
  /** Tombstones forgotten. */
  forgotten: number
  /** True when the limit was reached: call again to continue. */
  more: boolean
}

export interface MailboxStats {
  /** Live envelopes (each payload counted once) and their payload bytes. */
  storedEnvelopes: number
  storedBytes: number
  /** Mailboxes holding at least one envelope. */
  mailboxes: number
  /** Since this process opened the store: envelopes stored, duplicates answered. */
  deposits: number
  duplicates: number
  /** (mailbox, envelope) copies acked. */
  acks: number
  expiries: number
  refusals: Record<RefusalReason, number>
  /** Durable batches written, and batches that failed. */
  batches: number
  writeErrors: number
}

function positive(value: number | undefined, fallback: number, key: string, allowZero = false): number {
  const v = value ?? fallback
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0 || (v === 0 && !allowZero)) {
    throw new InvalidConfigError(`${key} must be a positive number`, key)
  }
  return v
}

function finite(value: number, key: string): number {
  if (!Number.isFinite(value)) {
    throw new InvalidConfigError(`${key} must be finite`, key)
  }
  return value
}

export function resolvePolicy(init: MailboxStoreInit): MailboxPolicy {
  return {
    maxEnvelopeBytes: positive(init.maxEnvelopeBytes, DEFAULT_MAX_ENVELOPE_BYTES, 'maxEnvelopeBytes'),
    maxDepositMailboxes: positive(
      init.maxDepositMailboxes,
      DEFAULT_MAX_DEPOSIT_MAILBOXES,
      'maxDepositMailboxes',
    ),
    mailboxMaxEnvelopes: positive(
      init.mailboxMaxEnvelopes,
      DEFAULT_MAILBOX_MAX_ENVELOPES,
      'mailboxMaxEnvelopes',
    ),
    mailboxMaxBytes: positive(init.mailboxMaxBytes, DEFAULT_MAILBOX_MAX_BYTES, 'mailboxMaxBytes'),
    maxTtlMs: finite(positive(init.maxTtlMs, DEFAULT_MAX_TTL_MS, 'maxTtlMs'), 'maxTtlMs'),
    statusTombstoneTtlMs: finite(
      positive(init.statusTombstoneTtlMs, DEFAULT_STATUS_TOMBSTONE_TTL_MS, 'statusTombstoneTtlMs', true),
      'statusTombstoneTtlMs',
    ),
  }
}

export function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== length) {
    throw new InvalidRequestError(`${what} must be ${length} bytes`)
  }
}

/** Checked copies of the mailbox IDs, without repeats, in the order given. */
export function uniqueMailboxes(mailboxes: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>()
  const out: Uint8Array[] = []
  for (const mailbox of mailboxes) {
    checkLength(mailbox, MAILBOX_ID_BYTES, 'a mailbox ID')
    const k = byteKey(mailbox)
    if (!seen.has(k)) {
      seen.add(k)
      out.push(copyBytes(mailbox))
    }
  }
  return out
}

/** A failed read as a typed error (aborts and typed errors pass through). */
export function readError(err: unknown, what: string): Error {
  if (err instanceof StoreCorruptError || err instanceof StoreClosedError) {
    return err
  }
  if ((err as { name?: unknown })?.name === 'AbortError') {
    return err as Error
  }
  if (isCorruption(err)) {
    return new StoreCorruptError(`corrupt data while reading ${what}`, { cause: err })
  }
  return new StorageReadError(`reading ${what} failed`, { cause: err })
}
