/**
 * The outbox: pending entries listed by nextAttemptAt (only pending ones, only due ones with dueBy),
 * updates that move an entry in the schedule, identical envelope bytes across retries, the
 * entries of one message, and what a unit scheduled.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type ClientStore, InvalidRequestError, type OutboxEntry, openClientStore } from '../../src/index.js'
import { address, id, memoryDb, outboxEntry } from './helpers.js'

let store: ClientStore
afterEach(async () => {
  await store?.close()
})

const summary = (entries: OutboxEntry[]) =>
  entries.map((e) => [e.messageId[15], e.recipient.deviceId, e.nextAttemptAt])

describe('outbox', () => {
  it('lists pending entries soonest first, skipping covered ones, up to dueBy', async () => {
    store = await openClientStore(memoryDb())
    const unit = store.unit()
    await unit.outbox.put(outboxEntry(1, address(2, 1), { nextAttemptAt: 300 }))
    await unit.outbox.put(outboxEntry(1, address(2, 2), { nextAttemptAt: 100 }))
    await unit.outbox.put(outboxEntry(2, address(2, 1), { nextAttemptAt: 200 }))
    await unit.outbox.put(outboxEntry(3, address(2, 1), { nextAttemptAt: 50, state: 'stored' }))
    await unit.outbox.put(outboxEntry(4, address(2, 1), { nextAttemptAt: 60, state: 'delivered' }))
    await unit.outbox.put(outboxEntry(5, address(2, 1), { nextAttemptAt: 200 }))
    expect(summary(await unit.outbox.listPending({ limit: 10 }))).toEqual([
      [1, 2, 100],
      [2, 1, 200],
      [5, 1, 200],
      [1, 1, 300],
    ])
    await unit.commit()
    expect(summary(await store.outbox.listPending({ limit: 2 }))).toEqual([
      [1, 2, 100],
      [2, 1, 200],
    ])
    expect(summary(await store.outbox.listPending({ limit: 10, dueBy: 200 }))).toEqual([
      [1, 2, 100],
      [2, 1, 200],
      [5, 1, 200],
    ])
    expect(await store.outbox.listPending({ limit: 10, dueBy: 99 })).toEqual([])
    expect((await store.outbox.listPending({ limit: 10, dueBy: Number.MAX_SAFE_INTEGER })).length).toBe(4)
    expect(await store.outbox.listPending({ limit: 0 })).toEqual([])
  })

  it('an update moves the entry in the schedule; a covered entry leaves it; the envelope never changes', async () => {
    store = await openClientStore(memoryDb())
    const first = outboxEntry(1, address(2, 1), { nextAttemptAt: 100 })
    let unit = store.unit()
    await unit.outbox.put(first)
    await unit.outbox.put(outboxEntry(2, address(2, 1), { nextAttemptAt: 150 }))
    await unit.commit()

    unit = store.unit()
    const retried = await unit.outbox.update(id(1), address(2, 1), { attempts: 1, nextAttemptAt: 200 })
    expect(retried?.envelope).toEqual(first.envelope)
    expect(retried?.envelopeId).toEqual(first.envelopeId)
    expect(summary(await unit.outbox.listPending({ limit: 10 }))).toEqual([
      [2, 1, 150],
      [1, 1, 200],
    ])
    await unit.outbox.update(id(2), address(2, 1), { state: 'stored' })
    expect(await unit.outbox.update(id(9), address(2, 1), { state: 'stored' })).toBeUndefined()
    await unit.commit()
    expect(summary(await store.outbox.listPending({ limit: 10 }))).toEqual([[1, 1, 200]])
    const stored = await store.outbox.get(id(2), address(2, 1))
    expect(stored?.state).toBe('stored')
    expect(stored?.envelope).toEqual(outboxEntry(2, address(2, 1)).envelope)
    expect((await store.outbox.get(id(1), address(2, 1)))?.attempts).toBe(1)
  })

  it("a unit's scheduled entries are the pending ones it leaves, each as last put", async () => {
    store = await openClientStore(memoryDb())
    const unit = store.unit()
    await unit.outbox.put(outboxEntry(1, address(2, 1), { nextAttemptAt: 100 }))
    await unit.outbox.put(outboxEntry(2, address(2, 1), { nextAttemptAt: 100 }))
    await unit.outbox.put(outboxEntry(3, address(2, 1), { nextAttemptAt: 100 }))
    await unit.outbox.put(outboxEntry(4, address(2, 1), { nextAttemptAt: 100, state: 'stored' }))
    await unit.outbox.update(id(1), address(2, 1), { attempts: 1, nextAttemptAt: 200 })
    await unit.outbox.update(id(2), address(2, 1), { state: 'delivered' })
    await unit.outbox.delete(id(3), address(2, 1))
    expect(summary(unit.outbox.scheduled())).toEqual([[1, 1, 200]])
    expect(unit.outbox.scheduled()[0]?.attempts).toBe(1)
    await unit.commit()
    expect(summary(await store.outbox.listPending({ limit: 10 }))).toEqual([[1, 1, 200]])
    expect(store.unit().outbox.scheduled()).toEqual([]) // a new unit has scheduled nothing
  })

  it('lists and deletes the entries of one message', async () => {
    store = await openClientStore(memoryDb())
    const unit = store.unit()
    for (const device of [1, 2, 3]) {
      await unit.outbox.put(outboxEntry(1, address(2, device)))
    }
    await unit.outbox.put(outboxEntry(2, address(2, 1)))
    expect((await unit.outbox.forMessage(id(1))).map((e) => e.recipient.deviceId)).toEqual([1, 2, 3])
    expect(await unit.outbox.delete(id(1), address(2, 2))).toBe(true)
    expect(await unit.outbox.delete(id(1), address(2, 2))).toBe(false)
    await unit.commit()
    expect((await store.outbox.forMessage(id(1))).map((e) => e.recipient.deviceId)).toEqual([1, 3])
    const again = store.unit()
    expect(await again.outbox.deleteMessage(id(1))).toBe(2)
    await again.commit()
    expect(await store.outbox.forMessage(id(1))).toEqual([])
    expect(summary(await store.outbox.listPending({ limit: 10 }))).toEqual([[2, 1, 5_002]])
  })

  it('round-trips every field and refuses malformed entries', async () => {
    store = await openClientStore(memoryDb())
    const unit = store.unit()
    const entry = outboxEntry(1, address(2, 7), { attempts: 3, state: 'delivered', nextAttemptAt: 2 ** 45 })
    await unit.outbox.put(entry)
    expect(await unit.outbox.get(id(1), address(2, 7))).toEqual(entry)
    for (const fields of [
      { envelopeId: new Uint8Array(8) },
      { envelope: new Uint8Array(72 * 1024 + 1) },
      { state: 'lost' as never },
      { attempts: -1 },
      { mailboxes: Array.from({ length: 9 }, () => entry.mailboxes[0]!) },
      { mailboxes: [{ ...entry.mailboxes[0]!, mailboxId: new Uint8Array(31) }] },
    ]) {
      await expect(unit.outbox.put(outboxEntry(2, address(2, 1), fields))).rejects.toBeInstanceOf(
        InvalidRequestError,
      )
    }
    unit.discard()
  })
})
