/**
 * The reads a batch needs before it can be applied, gathered so that each batch costs a few
 * `getMany` round trips rather than one per request: envelope records for deposits and acks, then the
 * queue entries acks would remove; for a sweep, the due index entries, their records, the mailbox
 * lists and queue entries of those still live. Also the usage rebuild at open.
 */
import type { Keyspace } from '../database.js'
import type { WriteSet } from '../write-set.js'
import type { MailboxKeys } from './keys.js'
import {
  decodeEnvelopeRecord,
  decodeMailboxList,
  decodeQueueEntry,
  type EnvelopeRecord,
  type Usage,
} from './records.js'
import type { ValidDeposit } from './transaction.js'

export type GroupRequest =
  | { kind: 'deposit'; deposit: ValidDeposit }
  | { kind: 'ack'; mailbox: Uint8Array; ids: Uint8Array[] }

/** A record as loaded, or undefined when absent or undecodable (the request that reads it fails alone). */
function tryDecode(bytes: Uint8Array | undefined): EnvelopeRecord | undefined {
  if (bytes === undefined) {
    return undefined
  }
  try {
    return decodeEnvelopeRecord(bytes)
  } catch {
    return undefined
  }
}

export async function loadGroup(
  ws: WriteSet,
  keys: MailboxKeys,
  group: readonly GroupRequest[],
): Promise<void> {
  const envelopes: Uint8Array[] = []
  let acks = false
  for (const entry of group) {
    if (entry.kind === 'deposit') {
      envelopes.push(keys.envelope(entry.deposit.envelopeId))
    } else {
      acks = true
      for (const id of entry.ids) {
        envelopes.push(keys.envelope(id))
      }
    }
  }
  await ws.load(envelopes)
  if (!acks) {
    return
  }
  // the queue entry an ack removes is found through the envelope's sequence; with an inline list, the
  // other mailboxes' entries say whether this ack is the last
  const queues: Uint8Array[] = []
  let at = 0
  for (const entry of group) {
    if (entry.kind !== 'ack') {
      at++
      continue
    }
    for (let i = 0; i < entry.ids.length; i++) {
      const record = tryDecode(ws.get(envelopes[at++]!))
      if (record?.state === 'live') {
        queues.push(keys.queue(entry.mailbox, record.seq))
        for (const mailbox of record.mailboxes ?? []) {
          queues.push(keys.queue(mailbox, record.seq))
        }
      }
    }
  }
  // only whether each entry exists matters, not its value (which may hold a 1 KiB payload)
  await ws.loadPresence(queues)
}

export interface DueEntry {
  time: number
  id: Uint8Array
  /** The mailbox list of a live envelope whose list is not inline. */
  mailboxes: Uint8Array[] | undefined
}

/** Loads up to `limit` due index entries with what `MailboxTransaction.sweep` reads. */
export async function loadSweep(
  ws: WriteSet,
  ks: Keyspace,
  keys: MailboxKeys,
  now: number,
  limit: number,
): Promise<{ entries: DueEntry[]; more: boolean }> {
  const due = (await ks.keys({ ...keys.expiryDue(now), limit }).all()).map((key) => keys.parseExpiryKey(key))
  await ws.load(due.map(({ id }) => keys.envelope(id)))
  const expiring: Array<{ index: number; record: EnvelopeRecord }> = []
  due.forEach(({ time, id }, index) => {
    const record = tryDecode(ws.get(keys.envelope(id)))
    if (record?.state === 'live' && record.expiresAt === time) {
      expiring.push({ index, record })
    }
  })
  const separate = expiring.filter(({ record }) => record.mailboxes === undefined)
  const lists = await ks.getMany(separate.map(({ index }) => keys.mailboxList(due[index]!.id)))
  const entries: DueEntry[] = due.map(({ time, id }) => ({ time, id, mailboxes: undefined }))
  const queues: Uint8Array[] = []
  separate.forEach(({ index }, i) => {
    const bytes = lists[i]
    entries[index]!.mailboxes = bytes === undefined ? undefined : decodeMailboxList(bytes)
  })
  for (const { index, record } of expiring) {
    for (const mailbox of record.mailboxes ?? entries[index]!.mailboxes ?? []) {
      queues.push(keys.queue(mailbox, record.seq))
    }
  }
  await ws.loadPresence(queues)
  return { entries, more: due.length >= limit }
}

/** Every mailbox's usage, from its queue entries (they exist exactly while the mailbox holds an envelope). */
export async function rebuildUsage(ks: Keyspace, keys: MailboxKeys): Promise<Map<string, Usage>> {
  const usage = new Map<string, Usage>()
  const iterator = ks.iterator(keys.allQueues())
  try {
    for (;;) {
      const page = await iterator.nextv(1000)
      if (page.length === 0) {
        break
      }
      for (const [key, value] of page) {
        const id = keys.mailboxKeyOfQueueKey(key)
        const entry = decodeQueueEntry(value)
        const current = usage.get(id)
        if (current === undefined) {
          usage.set(id, { envelopes: 1, bytes: entry.payloadBytes })
        } else {
          current.envelopes += 1
          current.bytes += entry.payloadBytes
        }
      }
    }
  } finally {
    await iterator.close()
  }
  return usage
}
