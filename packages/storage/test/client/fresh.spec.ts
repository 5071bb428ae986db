/**
 * Writes keyed by an ID the caller just drew at random (`fresh`): they store exactly what the same
 * write without the option stores, without reading the database for a previous record.
 */
import { describe, expect, it } from 'vitest'
import { type Database, openClientStore } from '../../src/index.js'
import { address, id, memoryDb, message, outboxEntry } from './helpers.js'

/** Counts the point reads that reach the database (asynchronous or synchronous). */
function countGets(db: Database): { count: number } {
  const counter = { count: 0 }
  for (const name of ['get', 'getSync'] as const) {
    const original = db[name].bind(db) as (...args: unknown[]) => unknown
    Object.defineProperty(db, name, {
      value: (...args: unknown[]) => {
        counter.count++
        return original(...args)
      },
      configurable: true,
      writable: true,
    })
  }
  return counter
}

async function snapshot(db: Database): Promise<string[]> {
  const out: string[] = []
  for await (const [key, value] of db.iterator({ keyEncoding: 'view', valueEncoding: 'view' })) {
    out.push(`${Buffer.from(key).toString('hex')}=${Buffer.from(value).toString('hex')}`)
  }
  return out
}

describe('fresh writes', () => {
  it('store the same records as plain writes, and read nothing from the database', async () => {
    const written: string[][] = []
    for (const fresh of [false, true]) {
      const db = memoryDb()
      const store = await openClientStore(db)
      const gets = countGets(db)
      const unit = store.unit()
      await unit.messages.put(message(1), { fresh })
      await unit.outbox.put(outboxEntry(1, address(2)), { fresh })
      await unit.inbox.markSeen(id(1), 10, { fresh })
      await unit.commit()
      expect(gets.count).toBe(fresh ? 0 : 3)
      expect((await store.messages.get(id(1)))?.text).toBe('message 1')
      expect(await store.outbox.listPending({ limit: 10 })).toHaveLength(1)
      expect(await store.inbox.seen(id(1))).toBe(true)
      written.push(await snapshot(db))
      await store.close()
    }
    expect(written[1]).toEqual(written[0])
  })
})
