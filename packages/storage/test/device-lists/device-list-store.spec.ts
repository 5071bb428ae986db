import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DeviceListStore, InvalidRequestError, StorageWriteError } from '../../src/index.js'
import { instrumentBatches, memoryDb } from '../helpers.js'

const account = (n: number): Uint8Array => new Uint8Array(32).fill(n)
const record = (version: number): Uint8Array => new Uint8Array(64).fill(version & 0xff)

describe('DeviceListStore', () => {
  it('stores only newer versions', async () => {
    const store = await DeviceListStore.open(memoryDb())
    expect(await store.get(account(1))).toBeUndefined()
    expect(await store.put(account(1), 3, record(3))).toBe('stored')
    expect(await store.put(account(1), 3, record(99))).toBe('stale')
    expect(await store.put(account(1), 2, record(2))).toBe('stale')
    expect(await store.get(account(1))).toEqual(record(3))
    expect(await store.put(account(1), 4, record(4))).toBe('stored')
    expect(await store.getWithVersion(account(1))).toEqual({ listVersion: 4, record: record(4) })
    expect(await store.get(account(2))).toBeUndefined()
  })

  it('racing puts in any order end with the newest version', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray([1, 2, 3, 4, 5, 6, 7, 8], { minLength: 1 }), async (versions) => {
        const store = await DeviceListStore.open(memoryDb())
        const results = await Promise.all(versions.map((v) => store.put(account(1), v, record(v))))
        const newest = Math.max(...versions)
        expect(await store.getWithVersion(account(1))).toEqual({
          listVersion: newest,
          record: record(newest),
        })
        // the first put always stores; a put stores exactly when it is newer than every earlier one
        let best = -1
        versions.forEach((v, i) => {
          expect(results[i]).toBe(v > best ? 'stored' : 'stale')
          best = Math.max(best, v)
        })
      }),
      { numRuns: 30 },
    )
  })

  it('a failed write keeps the old list; lists survive a reopen', async () => {
    const db = memoryDb()
    const batches = instrumentBatches(db)
    const store = await DeviceListStore.open(db)
    await store.put(account(1), 1, record(1))
    batches.failNext = 1
    await expect(store.put(account(1), 2, record(2))).rejects.toBeInstanceOf(StorageWriteError)
    expect(await store.get(account(1))).toEqual(record(1))
    await store.close()
    const reopened = await DeviceListStore.open(db)
    expect(await reopened.getWithVersion(account(1))).toEqual({ listVersion: 1, record: record(1) })
  })

  it('rejects malformed input', async () => {
    const store = await DeviceListStore.open(memoryDb())
    await expect(store.put(new Uint8Array(31), 1, record(1))).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(store.put(account(1), 1.5, record(1))).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(store.put(account(1), 1, new Uint8Array(0))).rejects.toBeInstanceOf(InvalidRequestError)
  })
})
