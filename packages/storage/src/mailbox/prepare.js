import { decodeEnvelopeRecord, decodeMailboxList, decodeQueueEntry } from './records.js'

/** A record as loaded, or undefined when absent or undecodable (the request that reads it fails alone). */
function tryDecode(bytes) {
  if (bytes === undefined) {
    return undefined
  }
  try {
    return decodeEnvelopeRecord(bytes)
  } catch {
    return undefined
  }
}
export async function loadGroup(ws, keys, group) {
  const envelopes = []
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
  const queues = []
  for (const entry of group) {
    if (entry.kind !== 'ack') {
      continue
    }
    for (const id of entry.ids) {
      const record = tryDecode(ws.get(keys.envelope(id)))
      if (record?.state === 'live') {
        queues.push(keys.queue(entry.mailbox, record.seq))
        for (const mailbox of record.mailboxes ?? []) {
          queues.push(keys.queue(mailbox, record.seq))
        }
      }
    }
  }
  await ws.load(queues)
}
/** Loads up to `limit` due index entries with what `MailboxTransaction.sweep` reads. */
export async function loadSweep(ws, ks, keys, now, limit) {
  const due = (await ks.keys({ ...keys.expiryDue(now), limit }).all()).map((key) => keys.parseExpiryKey(key))
  await ws.load(due.map(({ id }) => keys.envelope(id)))
  const expiring = []
  due.forEach(({ time, id }, index) => {
    const record = tryDecode(ws.get(keys.envelope(id)))
    if (record?.state === 'live' && record.expiresAt === time) {
      expiring.push({ index, record })
    }
  })
  const separate = expiring.filter(({ record }) => record.mailboxes === undefined)
  const lists = await ks.getMany(separate.map(({ index }) => keys.mailboxList(due[index].id)))
  const entries = due.map(({ time, id }) => ({ time, id, mailboxes: undefined }))
  const queues = []
  separate.forEach(({ index }, i) => {
    const bytes = lists[i]
    entries[index].mailboxes = bytes === undefined ? undefined : decodeMailboxList(bytes)
  })
  for (const { index, record } of expiring) {
    for (const mailbox of record.mailboxes ?? entries[index].mailboxes ?? []) {
      queues.push(keys.queue(mailbox, record.seq))
    }
  }
  await ws.load(queues)
  return { entries, more: due.length >= limit }
}
/** Every mailbox's usage, from its queue entries (they exist exactly while the mailbox holds an envelope). */
export async function rebuildUsage(ks, keys) {
  const usage = new Map()
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
//# sourceMappingURL=prepare.js.map
