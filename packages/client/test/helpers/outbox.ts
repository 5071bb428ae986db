/**
 * Outbox entries for courier tests: `mark` fills every ID, so entries of different marks never meet.
 */
import type { OutboxEntry } from '@ferry/storage'

export function outboxEntry(mark: number, fields: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    messageId: new Uint8Array(16).fill(mark),
    recipient: { accountKey: new Uint8Array(32).fill(mark), deviceId: 1 },
    envelopeId: new Uint8Array(16).fill(mark),
    envelope: new Uint8Array([0x30, mark]),
    mailboxes: [],
    state: 'pending',
    attempts: 0,
    nextAttemptAt: Date.now(),
    createdAt: Date.now(),
    ...fields,
  }
}
