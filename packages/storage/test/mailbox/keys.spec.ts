import { describe, expect, it } from 'vitest'
import { concatBytes, u64Bytes } from '../../src/binary.js'
import { Keyspace, openDatabase } from '../../src/database.js'
import { MailboxKeys } from '../../src/mailbox/keys.js'
import { envelopeId, mailboxId, memoryDb } from '../helpers.js'

const tag = (c: string) => Uint8Array.of(c.charCodeAt(0))

describe('MailboxKeys', () => {
  it('builds envelope and queue keys in place exactly as the documented layout', async () => {
    const db = memoryDb()
    await openDatabase(db)
    const ks = new Keyspace(db, 'relay-mailbox')
    const keys = new MailboxKeys(ks)
    const box = mailboxId(7)
    const id = envelopeId(3)
    expect(keys.envelope(id)).toEqual(concatBytes(ks.prefix, tag('e'), id))
    for (const seq of [0, 1, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 12345, Number.MAX_SAFE_INTEGER]) {
      const key = keys.queue(box, seq)
      expect(key).toEqual(concatBytes(ks.prefix, tag('q'), box, u64Bytes(seq)))
      expect(keys.cursorOfQueueKey(key)).toEqual(u64Bytes(seq))
    }
    expect(() => keys.queue(box, -1)).toThrow(RangeError)
    expect(() => keys.queue(box, 1.5)).toThrow(RangeError)
  })
})
