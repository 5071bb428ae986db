/**
 * The outbox schedule index is compacted after every SCHEDULE_COMPACT_AFTER_DELETES deletions written
 * to it (classic-level), never loses a pending entry doing so, and is left alone on databases without
 * compactRange.
 */
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import { SCHEDULE_COMPACT_AFTER_DELETES } from '../../src/client/constants.js'
import { type ClientStore, openClientStore } from '../../src/index.js'
import { address, memoryDb, outboxEntry, tempDir } from './helpers.js'

let store: ClientStore | undefined
let dir: Awaited<ReturnType<typeof tempDir>> | undefined
afterEach(async () => {
  await store?.close()
  store = undefined
  await dir?.remove()
  dir = undefined
})

const recipient = address(2, 1)

/** Puts entries `from..to-1` as pending (due at their number), in one unit. */
async function schedule(s: ClientStore, from: number, to: number): Promise<void> {
  const unit = s.unit()
  try {
    for (let n = from; n < to; n++) {
      await unit.outbox.put(outboxEntry(n, recipient, { nextAttemptAt: n }), { fresh: true })
    }
    await unit.commit()
  } finally {
    unit.discard()
  }
}

/** Settles entries `from..to-1` (they leave the outbox), a few per unit as the courier does. */
async function settle(s: ClientStore, from: number, to: number): Promise<void> {
  for (let n = from; n < to; n += 50) {
    const unit = s.unit()
    try {
      for (let k = n; k < Math.min(to, n + 50); k++) {
        await unit.outbox.delete(outboxEntry(k, recipient).messageId, recipient)
      }
      await unit.commit()
    } finally {
      unit.discard()
    }
  }
}

const due = async (s: ClientStore) =>
  (await s.outbox.listPending({ limit: 1024 })).map((e) => e.nextAttemptAt)

describe('outbox schedule compaction', () => {
  it('compacts the schedule range after every SCHEDULE_COMPACT_AFTER_DELETES deletions, keeping every pending entry', async () => {
    dir = await tempDir()
    store = await openClientStore(new ClassicLevel(dir.path))
    const total = SCHEDULE_COMPACT_AFTER_DELETES * 2 + 100
    await schedule(store, 1, total + 1)
    // entries leave in order, as deliveries do; one in every 100 stays pending
    const kept: number[] = []
    for (let n = 1; n <= total; n += 100) {
      await settle(store, n, n + 99)
      kept.push(n + 99)
    }
    const deleted = total - kept.length
    // one compaction per SCHEDULE_COMPACT_AFTER_DELETES, except that deletions written while one runs
    // wait for the next (the count is not reset until a compaction starts)
    const { compactions, pendingDeletes } = store.scheduleCompactorStats()
    expect(compactions).toBeGreaterThanOrEqual(1)
    expect(compactions * SCHEDULE_COMPACT_AFTER_DELETES + pendingDeletes).toBeLessThanOrEqual(deleted)
    expect(compactions).toBeLessThanOrEqual(Math.floor(deleted / SCHEDULE_COMPACT_AFTER_DELETES))
    expect(await due(store)).toEqual(kept.filter((n) => n <= total))
    // and after a restart too: the compaction dropped markers, never an entry
    await store.close()
    store = await openClientStore(new ClassicLevel(dir.path))
    expect(await due(store)).toEqual(kept.filter((n) => n <= total))
  })

  it('closing the store waits for a compaction that is running', async () => {
    dir = await tempDir()
    store = await openClientStore(new ClassicLevel(dir.path))
    await schedule(store, 1, SCHEDULE_COMPACT_AFTER_DELETES + 2)
    await settle(store, 1, SCHEDULE_COMPACT_AFTER_DELETES + 1)
    expect(store.scheduleCompactorStats().compactions).toBe(1)
    await store.close() // right after the batch that started it
    store = await openClientStore(new ClassicLevel(dir.path))
    expect(await due(store)).toEqual([SCHEDULE_COMPACT_AFTER_DELETES + 1])
  })

  it('does nothing on a database without compactRange (memory-level)', async () => {
    store = await openClientStore(memoryDb())
    await schedule(store, 1, SCHEDULE_COMPACT_AFTER_DELETES + 11)
    await settle(store, 1, SCHEDULE_COMPACT_AFTER_DELETES + 1)
    expect(store.scheduleCompactorStats()).toEqual({ compactions: 0, pendingDeletes: 0 })
    expect(await due(store)).toHaveLength(10)
  })
})
