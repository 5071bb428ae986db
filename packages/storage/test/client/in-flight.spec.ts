/**
 * Units prepared while earlier units' batches are still being written: they read those writes (point
 * and range reads), committed readers do not see them before they are durable, and a failed batch
 * refuses every unit that may have read from it (UnitStaleError), writing nothing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  type ClientStore,
  type Database,
  openClientStore,
  StorageWriteError,
  UnitStaleError,
} from '../../src/index.js'
import { address, id, memoryDb, message, outboxEntry } from './helpers.js'

const stores: ClientStore[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) {
    await store.close().catch(() => {})
  }
})

interface Gate {
  /** Array batches that reached the database and wait to be let through. */
  readonly held: number
  /** Lets the oldest held batch through (`fail`: it is rejected like a full disk would). */
  release(fail?: boolean): void
}

/** Holds every array `db.batch` until released, so a test sees units while a batch is in flight. */
function gateBatches(db: Database): Gate {
  const original = db.batch.bind(db) as (...args: unknown[]) => Promise<void>
  const waiting: Array<(fail: boolean) => void> = []
  const patched = (...args: unknown[]): unknown => {
    if (args.length === 0) {
      return original()
    }
    return new Promise<void>((resolve, reject) => {
      waiting.push((fail) => {
        if (fail) {
          reject(Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }))
        } else {
          original(...args).then(resolve, reject)
        }
      })
    })
  }
  Object.defineProperty(db, 'batch', { value: patched, configurable: true, writable: true })
  return {
    get held() {
      return waiting.length
    },
    release(fail = false) {
      waiting.shift()!(fail)
    },
  }
}

async function open(db: Database): Promise<ClientStore> {
  const store = await openClientStore(db)
  stores.push(store)
  return store
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('units over writes in flight', () => {
  it('a new unit reads the writes of a unit whose batch is still being written; committed readers wait', async () => {
    const db = memoryDb()
    const store = await open(db)
    const gate = gateBatches(db)
    const first = store.unit()
    await first.messages.put(message(1))
    await first.messages.put(message(2))
    await first.outbox.put(outboxEntry(1, address(2)))
    const committed = first.commit()
    await tick()
    expect(gate.held).toBe(1)

    const second = store.unit()
    expect((await second.messages.get(id(1)))?.text).toBe('message 1')
    expect(
      (await second.messages.history(message(1).conversation, { limit: 10 })).map((m) => m.text),
    ).toEqual(['message 1', 'message 2'])
    expect(await second.outbox.listPending({ limit: 10 })).toHaveLength(1)
    await second.messages.delete(id(2))
    await second.outbox.delete(id(1), address(2))
    // nothing is shown before it is durable
    expect(await store.messages.get(id(1))).toBeUndefined()
    const secondCommitted = second.commit()

    const third = store.unit()
    expect((await third.messages.history(message(1).conversation, { limit: 10 })).map((m) => m.text)).toEqual(
      ['message 1'],
    )
    expect(await third.outbox.listPending({ limit: 10 })).toEqual([])
    third.discard()

    gate.release()
    await committed
    expect((await store.messages.get(id(1)))?.text).toBe('message 1')
    expect((await store.messages.get(id(2)))?.text).toBe('message 2') // the delete is not durable yet
    await tick()
    gate.release()
    await secondCommitted
    expect(await store.messages.get(id(2))).toBeUndefined()
    expect(await store.outbox.listPending({ limit: 10 })).toEqual([])
    const after = store.unit()
    expect((await after.messages.get(id(1)))?.text).toBe('message 1')
    expect(await after.messages.get(id(2))).toBeUndefined()
    after.discard()
  })

  it('a failed batch refuses the units that may have read from it, and later units start afresh', async () => {
    const db = memoryDb()
    const store = await open(db)
    const gate = gateBatches(db)
    const first = store.unit()
    await first.messages.put(message(1))
    const firstCommitted = first.commit()
    await tick()

    const queued = store.unit()
    expect((await queued.messages.get(id(1)))?.text).toBe('message 1')
    await queued.messages.put(message(2))
    const queuedCommitted = queued.commit()
    const preparing = store.unit()
    await preparing.messages.put(message(3))
    expect(preparing.stale).toBe(false)

    gate.release(true)
    await expect(firstCommitted).rejects.toBeInstanceOf(StorageWriteError)
    await expect(queuedCommitted).rejects.toBeInstanceOf(UnitStaleError)
    expect(preparing.stale).toBe(true)
    await expect(preparing.commit()).rejects.toBeInstanceOf(UnitStaleError)
    expect(gate.held).toBe(0) // the refused units never reached the database

    const fresh = store.unit()
    expect(fresh.stale).toBe(false)
    expect(await fresh.messages.get(id(1))).toBeUndefined()
    await fresh.messages.put(message(4))
    const freshCommitted = fresh.commit()
    await tick()
    gate.release()
    await freshCommitted
    for (const n of [1, 2, 3]) {
      expect(await store.messages.get(id(n))).toBeUndefined()
    }
    expect((await store.messages.get(id(4)))?.text).toBe('message 4')
  })
})

describe('durable-only units', () => {
  it('read what is on disk, not the writes still being written', async () => {
    const db = memoryDb()
    const store = await open(db)
    const gate = gateBatches(db)
    const first = store.unit()
    await first.messages.put(message(1))
    const committed = first.commit()
    await tick()
    const durable = store.unit({ durable: true })
    expect(await durable.messages.get(id(1))).toBeUndefined()
    durable.discard()
    gate.release()
    await committed
    const after = store.unit({ durable: true })
    expect((await after.messages.get(id(1)))?.text).toBe('message 1')
    after.discard()
  })
})
