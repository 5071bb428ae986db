/**
 * Inbox dedup with prune, the event log (cursors survive a reopen, `since` pages, concurrent units get
 * distinct increasing cursors, a reader resuming from a cursor misses nothing), and held group
 * envelopes bounded per sender device.
 */
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type ClientStore,
  DEDUP_RETENTION_MS,
  HeldLimitError,
  MAX_EVENT_PAGE,
  MAX_HELD_PER_SENDER,
  openClientStore,
} from '../../src/index.js'
import { accountKey, address, groupId, id, memoryDb, message, tempDir } from './helpers.js'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) {
    await step().catch(() => {})
  }
})

async function open(db = memoryDb()): Promise<ClientStore> {
  const store = await openClientStore(db)
  cleanup.push(() => store.close())
  return store
}

async function appendEvents(store: ClientStore, n: number, tag = 0): Promise<number[]> {
  const unit = store.unit()
  for (let i = 0; i < n; i++) {
    await unit.events.append('message', Uint8Array.of(tag, i))
  }
  return (await unit.commit()).events.map((e) => e.cursor)
}

describe('inbox dedup', () => {
  it('remembers seen IDs, reads its own marks, and prunes those older than the bound', async () => {
    const store = await open()
    const unit = store.unit()
    for (let i = 0; i < 10; i++) {
      await unit.inbox.markSeen(id(i), 1_000 + i * 100)
    }
    expect(await unit.inbox.seen(id(3))).toBe(true)
    expect(await unit.inbox.seen(id(10))).toBe(false)
    await unit.commit()
    // marking again later moves an entry forward; an older mark changes nothing
    const remark = store.unit()
    await remark.inbox.markSeen(id(0), 5_000)
    await remark.inbox.markSeen(id(9), 1)
    await remark.commit()

    expect(await store.pruneInbox(1_500, 2)).toEqual({ removed: 2, more: true })
    expect(await store.pruneInbox(1_500)).toEqual({ removed: 2, more: false })
    expect(await store.pruneInbox(1_500)).toEqual({ removed: 0, more: false })
    const seen = await Promise.all(Array.from({ length: 10 }, (_, i) => store.inbox.seen(id(i))))
    expect(seen).toEqual([true, false, false, false, false, true, true, true, true, true])
    expect(await store.pruneInbox(5_001)).toEqual({ removed: 6, more: false })
    expect(await store.isEmpty()).toBe(true)
  })

  it('FAULTS 30: a message arriving directly, via two relays and again after a lost ack is stored and announced once', async () => {
    const store = await open()
    // the client runs one receive step at a time per sender device: each copy checks, then marks
    const receive = async (envelopeId: Uint8Array, at: number) => {
      const unit = store.unit()
      try {
        if (await unit.inbox.seen(id(1))) {
          await unit.inbox.markSeen(envelopeId, at)
          await unit.commit()
          return 'duplicate (ack again)'
        }
        await unit.messages.put(message(1, { receivedAt: at }))
        await unit.inbox.markSeen(id(1), at)
        await unit.inbox.markSeen(envelopeId, at)
        await unit.events.append('message', id(1))
        await unit.commit()
        return 'stored (ack)'
      } finally {
        unit.discard()
      }
    }
    const outcomes = [
      await receive(id(101), 10), // direct
      await receive(id(102), 11), // relay A
      await receive(id(103), 12), // relay B
      await receive(id(102), 13), // relay A again: its ack was lost
    ]
    expect(outcomes).toEqual([
      'stored (ack)',
      'duplicate (ack again)',
      'duplicate (ack again)',
      'duplicate (ack again)',
    ])
    expect((await store.messages.history(accountKey(1), { limit: 10 })).map((m) => m.receivedAt)).toEqual([
      10,
    ])
    expect((await store.events.since(0, 10)).length).toBe(1)
  })

  it('retains entries for longer than a relay keeps an envelope, plus clock skew', () => {
    // 30 days of relay TTL (a duration on the relay's clock) plus a 48-hour jump of this device's clock
    expect(DEDUP_RETENTION_MS).toBeGreaterThanOrEqual(30 * 24 * 3600_000 + 48 * 3600_000)
  })
})

describe('event log', () => {
  it('assigns cursors from 1 at commit, pages with since, and reports the latest', async () => {
    const store = await open()
    expect(await store.events.latest()).toBe(0)
    expect(await appendEvents(store, 5)).toEqual([1, 2, 3, 4, 5])
    const unit = store.unit()
    await unit.events.append('receipt', Uint8Array.of(9))
    expect(unit.events.pending()).toEqual([{ type: 'receipt', payload: Uint8Array.of(9) }])
    // committed events only, before this unit commits
    expect(await unit.events.latest()).toBe(5)
    await unit.commit()
    expect(await store.events.latest()).toBe(6)
    const page1 = await store.events.since(0, 4)
    expect(page1.map((e) => e.cursor)).toEqual([1, 2, 3, 4])
    const page2 = await store.events.since(page1.at(-1)!.cursor, 4)
    expect(page2.map((e) => [e.cursor, e.type])).toEqual([
      [5, 'message'],
      [6, 'receipt'],
    ])
    expect(page2[0]!.payload).toEqual(Uint8Array.of(0, 4))
    expect(await store.events.since(6, 4)).toEqual([])
    expect(await store.events.since(0, 0)).toEqual([])
    expect((await store.events.since(0, MAX_EVENT_PAGE + 1)).length).toBe(6)
  })

  it('concurrent units get distinct, increasing cursors, in commit order', async () => {
    const store = await open()
    const units = Array.from({ length: 10 }, () => store.unit())
    for (const [i, unit] of units.entries()) {
      await unit.events.append('message', Uint8Array.of(i))
    }
    // commit in reverse order of creation: cursors follow commits, not appends
    const results = await Promise.all(
      units
        .slice()
        .reverse()
        .map((u) => u.commit()),
    )
    const cursors = results.map((r) => r.events[0]!.cursor)
    expect(cursors).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    const logged = await store.events.since(0, 100)
    expect(logged.map((e) => e.payload[0])).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0])
  })

  it('a reader following the log sees every event exactly once while units commit concurrently', async () => {
    const store = await open()
    const seen: number[] = []
    const cursors: number[] = []
    let cursor = 0
    let chain = Promise.resolve()
    // one follower, as a daemon has: each step pages from where the previous one stopped
    const follow = () => {
      chain = chain.then(async () => {
        for (const event of await store.events.since(cursor, 7)) {
          seen.push(new DataView(event.payload.buffer).getUint32(0))
          cursors.push(event.cursor)
          cursor = event.cursor
        }
      })
      return chain
    }
    const written: number[] = []
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 10; i++) {
        const unit = store.unit()
        for (let j = 0; j <= i % 3; j++) {
          const value = w * 1000 + i * 10 + j
          const payload = new Uint8Array(4)
          new DataView(payload.buffer).setUint32(0, value)
          await unit.events.append('message', payload)
          written.push(value)
        }
        await unit.commit()
        await follow()
      }
    })
    await Promise.all(writers)
    await follow()
    await follow()
    expect(written.length).toBe(8 * 19)
    expect(seen.slice().sort((a, b) => a - b)).toEqual(written.slice().sort((a, b) => a - b))
    expect(cursors).toEqual(Array.from({ length: written.length }, (_, i) => i + 1))
  })

  it('cursors survive a reopen of a classic-level directory and are never reused after a failed write', async () => {
    const dir = await tempDir()
    cleanup.push(dir.remove)
    let db = new ClassicLevel(dir.path)
    let store = await openClientStore(db)
    expect(await appendEvents(store, 3)).toEqual([1, 2, 3])
    await store.close()

    db = new ClassicLevel(dir.path)
    store = await openClientStore(db)
    expect(await store.events.latest()).toBe(3)
    expect(await appendEvents(store, 2)).toEqual([4, 5])
    // a batch that fails still burns its cursors: a cursor once handed out never names another event
    const original = db.batch.bind(db)
    Object.defineProperty(db, 'batch', {
      value: () => Promise.reject(Object.assign(new Error('IO error'), { code: 'LEVEL_IO_ERROR' })),
      configurable: true,
    })
    await expect(appendEvents(store, 2)).rejects.toThrow()
    Object.defineProperty(db, 'batch', { value: original, configurable: true })
    expect(await appendEvents(store, 1)).toEqual([8])
    await store.close()

    store = await openClientStore(new ClassicLevel(dir.path))
    cleanup.push(() => store.close())
    expect((await store.events.since(0, 100)).map((e) => e.cursor)).toEqual([1, 2, 3, 4, 5, 8])
    expect(await appendEvents(store, 1)).toEqual([9])
  })
})

describe('held group envelopes', () => {
  it('keeps them per (sender device, distribution) in arrival order, and takes them out once', async () => {
    const store = await open()
    const unit = store.unit()
    const carol = address(3, 1)
    await unit.held.add(carol, groupId(1), Uint8Array.of(1))
    await unit.held.add(carol, groupId(2), Uint8Array.of(2))
    await unit.held.add(carol, groupId(1), Uint8Array.of(3))
    await unit.held.add(address(3, 2), groupId(1), Uint8Array.of(4))
    await unit.commit()
    expect(await store.held.list(carol, groupId(1))).toEqual([Uint8Array.of(1), Uint8Array.of(3)])
    expect(await store.held.count(carol)).toBe(3)
    const take = store.unit()
    expect(await take.held.take(carol, groupId(1))).toEqual([Uint8Array.of(1), Uint8Array.of(3)])
    expect(await take.held.take(carol, groupId(1))).toEqual([])
    await take.held.add(carol, groupId(1), Uint8Array.of(5))
    await take.commit()
    expect(await store.held.list(carol, groupId(1))).toEqual([Uint8Array.of(5)])
    expect(await store.held.list(address(3, 2), groupId(1))).toEqual([Uint8Array.of(4)])
  })

  it(`refuses more than MAX_HELD_PER_SENDER (${MAX_HELD_PER_SENDER}) per sender device with HeldLimitError`, async () => {
    const store = await open()
    const carol = address(3, 1)
    let unit = store.unit()
    for (let i = 0; i < MAX_HELD_PER_SENDER - 1; i++) {
      await unit.held.add(carol, groupId(i % 3), Uint8Array.of(i))
    }
    await unit.commit()
    unit = store.unit()
    await unit.held.add(carol, groupId(7), Uint8Array.of(1))
    const refused = await unit.held.add(carol, groupId(8), Uint8Array.of(2)).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(HeldLimitError)
    expect((refused as HeldLimitError).limit).toBe(MAX_HELD_PER_SENDER)
    // another sender device is not affected
    await unit.held.add(address(3, 2), groupId(8), Uint8Array.of(3))
    await unit.commit()
    expect(await store.held.count(carol)).toBe(MAX_HELD_PER_SENDER)
    expect(await store.held.list(carol, groupId(8))).toEqual([])
  })
})
