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

function positive(value, fallback, key, allowZero = false) {
  const v = value ?? fallback
  if (typeof v !== 'number' || Number.isNaN(v) || v < 0 || (v === 0 && !allowZero)) {
    throw new InvalidConfigError(`${key} must be a positive number`, key)
  }
  return v
}
function finite(value, key) {
  if (!Number.isFinite(value)) {
    throw new InvalidConfigError(`${key} must be finite`, key)
  }
  return value
}
export function resolvePolicy(init) {
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
export function checkLength(bytes, length, what) {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== length) {
    throw new InvalidRequestError(`${what} must be ${length} bytes`)
  }
}
/** Checked copies of the mailbox IDs, without repeats, in the order given. */
export function uniqueMailboxes(mailboxes) {
  const seen = new Set()
  const out = []
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
export function readError(err, what) {
  if (err instanceof StoreCorruptError || err instanceof StoreClosedError) {
    return err
  }
  if (err?.name === 'AbortError') {
    return err
  }
  if (isCorruption(err)) {
    return new StoreCorruptError(`corrupt data while reading ${what}`, { cause: err })
  }
  return new StorageReadError(`reading ${what} failed`, { cause: err })
}
//# sourceMappingURL=options.js.map
