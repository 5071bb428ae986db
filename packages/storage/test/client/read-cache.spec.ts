import { describe, expect, it } from 'vitest'
import { ReadCache } from '../../src/client/read-cache.js'
import { CLIENT_READ_CACHE_ENTRIES, openClientStore } from '../../src/index.js'
import { contact, memoryDb, message } from './helpers.js'

const key = (n: number) => Uint8Array.of(1, n & 0xff, n >> 8)
const value = (n: number) => Uint8Array.of(9, n & 0xff)

describe('read cache', () => {
  it('serves what a read found, including absence, as copies', () => {
    const cache = new ReadCache()
    expect(cache.lookup(key(1))).toBeUndefined()
    const started = cache.readStarted()
    const stored = value(1)
    cache.remember(started, key(1), stored)
    cache.remember(cache.readStarted(), key(2), undefined)
    stored[0] = 0 // the caller changes its buffer
    const got = cache.lookup(key(1))!
    expect(got).toEqual(value(1))
    got[0] = 0
    expect(cache.lookup(key(1))).toEqual(value(1))
    expect(cache.lookup(key(2))).toBeNull()
  })

  it('copies Buffers as well (classic-level hands out Buffers, whose slice is a view)', () => {
    const cache = new ReadCache([Uint8Array.of(7)])
    const stored = Buffer.from(value(1))
    cache.remember(cache.readStarted(), key(1), stored)
    stored[0] = 0 // the database's buffer, reused or changed by its holder
    const got = cache.lookup(key(1))!
    expect(got).toEqual(value(1))
    expect(Buffer.isBuffer(got)).toBe(false)
    got[0] = 0
    expect(cache.lookup(key(1))).toEqual(value(1))
    const range = [[Buffer.from([7, 1]), Buffer.from(value(2))]] as const
    cache.rememberRange(
      cache.readStarted(),
      Uint8Array.of(7),
      range.map(([k, v]) => [k, v] as const),
    )
    const [[, listed]] = cache.lookupRange(Uint8Array.of(7))! as [[Uint8Array, Uint8Array]]
    listed[0] = 0
    expect(cache.lookupRange(Uint8Array.of(7))).toEqual([[Uint8Array.of(7, 1), value(2)]])
  })

  it('never remembers a read that overlapped a write, and takes a durable write as the new value', () => {
    const cache = new ReadCache()
    const before = cache.readStarted()
    const ops = [{ type: 'put' as const, key: key(1), value: value(2) }]
    cache.writeStarted(ops)
    cache.remember(before, key(1), value(1)) // read began before the write: stale, not kept
    expect(cache.lookup(key(1))).toBeUndefined()
    const during = cache.readStarted()
    cache.writeEnded(ops, true)
    cache.remember(during, key(1), value(1)) // read ran during the write: not kept either
    expect(cache.lookup(key(1))).toEqual(value(2))
  })

  it('remembers reads of a key again after a batch that wrote it twice has ended', () => {
    const cache = new ReadCache()
    // a group commit joins units, two of which wrote the same key
    const ops = [
      { type: 'put' as const, key: key(1), value: value(1) },
      { type: 'put' as const, key: key(1), value: value(2) },
    ]
    cache.writeStarted(ops)
    cache.writeEnded(ops, true)
    expect(cache.lookup(key(1))).toEqual(value(2))
    const failed = [
      { type: 'del' as const, key: key(3) },
      { type: 'put' as const, key: key(3), value: value(3) },
    ]
    cache.writeStarted(failed)
    cache.writeEnded(failed, false)
    cache.remember(cache.readStarted(), key(3), value(4))
    expect(cache.lookup(key(3))).toEqual(value(4))
  })

  it('forgets the keys of a failed write', () => {
    const cache = new ReadCache()
    cache.remember(cache.readStarted(), key(1), value(1))
    const ops = [{ type: 'del' as const, key: key(1) }]
    cache.writeStarted(ops)
    cache.writeEnded(ops, false)
    expect(cache.lookup(key(1))).toBeUndefined()
  })

  it('stays bounded, dropping the least recently used', () => {
    const cache = new ReadCache()
    for (let n = 0; n <= CLIENT_READ_CACHE_ENTRIES; n++) {
      cache.remember(cache.readStarted(), key(n), value(n))
    }
    expect(cache.lookup(key(0))).toBeUndefined()
    expect(cache.lookup(key(CLIENT_READ_CACHE_ENTRIES))).toEqual(value(CLIENT_READ_CACHE_ENTRIES))
  })

  it('answers repeated reads of a store without the database, and sees every committed change', async () => {
    const db = memoryDb()
    const store = await openClientStore(db)
    const unit = store.unit()
    await unit.messages.put(message(1))
    await unit.commit()
    const misses = store.readCacheStats.misses
    for (let i = 0; i < 5; i++) {
      expect((await store.messages.get(message(1).messageId))?.text).toBe(message(1).text)
    }
    expect(store.readCacheStats.misses).toBe(misses) // the commit itself filled the cache
    const change = store.unit()
    await change.messages.put({ ...message(1), text: 'changed' })
    await change.commit()
    expect((await store.messages.get(message(1).messageId))?.text).toBe('changed')
    expect(store.readCacheStats.misses).toBe(misses)
    await store.close()
  })
})

describe('read cache while other keys are written', () => {
  it('remembers a read that overlapped only writes of other keys', () => {
    const cache = new ReadCache()
    const ops = [{ type: 'put' as const, key: key(2), value: value(2) }]
    const before = cache.readStarted()
    cache.writeStarted(ops)
    const during = cache.readStarted()
    cache.remember(before, key(1), value(1))
    cache.writeEnded(ops, true)
    cache.remember(during, key(3), value(3))
    expect(cache.lookup(key(1))).toEqual(value(1))
    expect(cache.lookup(key(3))).toEqual(value(3))
    expect(cache.lookup(key(2))).toEqual(value(2))
  })

  it('never remembers a read of a key whose write started and ended while it ran', () => {
    const cache = new ReadCache()
    const ops = [{ type: 'put' as const, key: key(1), value: value(2) }]
    const other = cache.readStarted() // keeps a read outstanding throughout
    const started = cache.readStarted()
    cache.writeStarted(ops)
    cache.writeEnded(ops, true)
    cache.remember(started, key(1), value(1)) // may have been ordered before the write
    expect(cache.lookup(key(1))).toEqual(value(2))
    cache.remember(other, key(1), value(1))
    expect(cache.lookup(key(1))).toEqual(value(2))
  })
})

describe('ranges remembered whole', () => {
  it('keeps a range read only when no write under its prefix overlapped it', () => {
    const prefix = Uint8Array.of(1)
    const cache = new ReadCache([prefix])
    const entries = () => [[key(1), value(1)] as const]
    const put = [{ type: 'put' as const, key: key(2), value: value(2) }]
    const before = cache.readStarted()
    cache.writeStarted(put)
    cache.rememberRange(before, prefix, entries())
    expect(cache.lookupRange(prefix)).toBeUndefined()
    const during = cache.readStarted()
    cache.writeEnded(put, true)
    cache.rememberRange(during, prefix, entries())
    expect(cache.lookupRange(prefix)).toBeUndefined()
    const other = [{ type: 'put' as const, key: Uint8Array.of(2, 1), value: value(3) }]
    const after = cache.readStarted()
    cache.writeStarted(other) // outside the prefix
    cache.writeEnded(other, true)
    cache.rememberRange(after, prefix, entries())
    expect(cache.lookupRange(prefix)).toEqual(entries())
    cache.writeStarted(put)
    expect(cache.lookupRange(prefix)).toBeUndefined()
    cache.writeEnded(put, true)
  })

  it('lists the contacts from memory until one is written, and never keeps a list read during a write', async () => {
    const db = memoryDb()
    const store = await openClientStore(db)
    const add = async (n: number) => {
      const unit = store.unit()
      await unit.contacts.put(contact(n))
      await unit.commit()
    }
    await add(1)
    await add(2)
    const names = async () => (await store.contacts.list()).map((c) => c.name)
    expect(await names()).toEqual(['contact 1', 'contact 2'])
    const hits = store.readCacheStats.hits
    expect(await names()).toEqual(['contact 1', 'contact 2'])
    expect(store.readCacheStats.hits).toBe(hits + 1)
    await add(3)
    expect(await names()).toEqual(['contact 1', 'contact 2', 'contact 3'])
    const renamed = store.unit()
    await renamed.contacts.put(contact(2, { name: 'renamed' }))
    const committing = renamed.commit()
    await names() // read while the write runs (before or after it): not kept
    await committing
    expect(await names()).toEqual(['contact 1', 'renamed', 'contact 3'])
    await store.close()
  })
})
