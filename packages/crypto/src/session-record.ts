/**
 * The stored session record of one remote device: the current session state and the archived ones
 * (Sesame). Owns the stored format (versioned protobuf, never sent on the wire), its bounds, and the
 * archive rules. Must not know how states are created or used.
 */
import { MAX_ARCHIVED_SESSIONS, MAX_RECEIVING_CHAINS, MAX_SKIPPED_KEYS } from './constants.js'
import { InvalidRecordError } from './errors.js'
import { SessionRecord as SessionRecordPb, type SessionState } from './proto/session-state.js'
import { encodeSessionRecordFields } from './session-record-encoder.js'

/** Format version of the stored session record. */
export const SESSION_RECORD_VERSION = 1

export interface SessionRecord {
  current: SessionState | undefined
  /** Most recent first, at most MAX_ARCHIVED_SESSIONS. */
  archived: SessionState[]
}

const DECODE_LIMITS = {
  archived: MAX_ARCHIVED_SESSIONS,
  current: { receivingChains: MAX_RECEIVING_CHAINS, skippedKeys: MAX_SKIPPED_KEYS },
  archived$: { receivingChains: MAX_RECEIVING_CHAINS, skippedKeys: MAX_SKIPPED_KEYS },
}

export function decodeSessionRecord(bytes: Uint8Array | undefined): SessionRecord {
  if (bytes === undefined) {
    return { current: undefined, archived: [] }
  }
  let stored: SessionRecordPb
  try {
    stored = SessionRecordPb.decode(bytes, { limits: DECODE_LIMITS as never })
  } catch (err) {
    throw new InvalidRecordError(`stored session record is unreadable: ${(err as Error).message}`)
  }
  if (stored.version !== SESSION_RECORD_VERSION) {
    throw new InvalidRecordError(`stored session record has unknown version ${stored.version}`)
  }
  return { current: stored.current, archived: stored.archived }
}

export function encodeSessionRecord(record: SessionRecord): Uint8Array {
  return encodeSessionRecordFields({
    version: SESSION_RECORD_VERSION,
    current: record.current,
    archived: record.archived.slice(0, MAX_ARCHIVED_SESSIONS),
  })
}

/** Makes `state` current; the previous current state is archived (most recent first). */
export function promote(record: SessionRecord, state: SessionState, archivedIndex?: number): void {
  const archived = record.archived.filter((_, i) => i !== archivedIndex)
  if (record.current !== undefined) {
    archived.unshift(record.current)
  }
  record.current = state
  record.archived = archived.slice(0, MAX_ARCHIVED_SESSIONS)
}

/** Archives the current state, so the next send starts a new session. */
export function archiveCurrent(record: SessionRecord): void {
  if (record.current !== undefined) {
    record.archived = [record.current, ...record.archived].slice(0, MAX_ARCHIVED_SESSIONS)
    record.current = undefined
  }
}
