/**
 * Units of work: every view reads the unit's own writes; commit is one durable batch; a failed commit
 * and a discard write nothing; a finished unit refuses further use; concurrent commits group.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  type ClientStore,
  type ClientUnit,
  openClientStore,
  StorageWriteError,
  StoreClosedError,
  UnitClosedError,
} from '../../src/index.js'
import {
  account,
  accountKey,
  address,
  contact,
  groupId,
  id,
  memoryDb,
  message,
  outboxEntry,
  spyBatches,
} from './helpers.js'

const stores: ClientStore[] = []
afterEach(async () => {
  for (const store of stores.splice(0)) {
    await store.close().catch(() => {})
  }
})

async function open(db = memoryDb()): Promise<ClientStore> {
  const store = await openClientStore(db)
  stores.push(store)
  return store
}

const keyPair = (n: number) => ({
  publicKey: new Uint8Array(32).fill(n),
  secretKey: new Uint8Array(32).fill(n + 1),
})

/** Writes one of everything; returns what a reader must then see. */
async function writeEverything(unit: ClientUnit): Promise<void> {
  await unit.crypto.identities.saveIdentity(address(2), new Uint8Array(32).fill(9))
  await unit.crypto.sessions.storeSession(address(2), Uint8Array.of(1, 2, 3))
  await unit.crypto.preKeys.storeSignedPreKey(1, keyPair(10))
  await unit.crypto.preKeys.storeKemPreKey(2, keyPair(20), true)
  await unit.crypto.preKeys.storeOneTimePreKey(3, keyPair(30))
  expect(await unit.crypto.preKeys.markLastResortUse(2, 1, new Uint8Array(32).fill(7))).toBe(true)
  await unit.crypto.senderKeys.storeSenderKey(address(2), groupId(1), Uint8Array.of(4, 5))
  await unit.account.put(account())
  await unit.contacts.put(contact(2))
  await unit.messages.put(message(1, { conversation: accountKey(2) }))
  await unit.outbox.put(outboxEntry(1, address(2)))
  await unit.inbox.markSeen(id(50), 10_000)
  await unit.events.append('message', Uint8Array.of(1))
  await unit.held.add(address(3), groupId(2), Uint8Array.of(8, 8))
}

async function expectEverything(unit: ClientUnit | undefined, store: ClientStore): Promise<void> {
  if (unit !== undefined) {
    expect(await unit.crypto.identities.getIdentity(address(2))).toEqual(new Uint8Array(32).fill(9))
    expect(await unit.crypto.sessions.loadSession(address(2))).toEqual(Uint8Array.of(1, 2, 3))
    expect((await unit.crypto.preKeys.loadSignedPreKey(1))?.secretKey).toEqual(keyPair(10).secretKey)
    expect((await unit.crypto.preKeys.loadKemPreKey(2))?.lastResort).toBe(true)
    expect((await unit.crypto.preKeys.loadOneTimePreKey(3))?.publicKey).toEqual(keyPair(30).publicKey)
    expect(await unit.crypto.preKeys.markLastResortUse(2, 1, new Uint8Array(32).fill(7))).toBe(false)
    expect(await unit.crypto.senderKeys.loadSenderKey(address(2), groupId(1))).toEqual(Uint8Array.of(4, 5))
    expect(unit.events.pending()).toEqual([{ type: 'message', payload: Uint8Array.of(1) }])
  }
  const r = unit ?? store
  expect((await r.account.get())?.deviceId).toBe(1)
  expect((await r.contacts.get(accountKey(2)))?.name).toBe('contact 2')
  expect((await r.contacts.list()).length).toBe(1)
  expect((await r.messages.get(id(1)))?.text).toBe('message 1')
  expect((await r.messages.history(accountKey(2), { limit: 10 })).map((m) => m.text)).toEqual(['message 1'])
  expect((await r.outbox.get(id(1), address(2)))?.attempts).toBe(0)
  expect((await r.outbox.listPending({ limit: 10 })).length).toBe(1)
  expect((await r.outbox.forMessage(id(1))).length).toBe(1)
  expect(await r.inbox.seen(id(50))).toBe(true)
  expect(await r.held.list(address(3), groupId(2))).toEqual([Uint8Array.of(8, 8)])
  expect(await r.held.count(address(3))).toBe(1)
}

describe('unit of work', () => {
  it('reads its own writes in every view before commit, and nothing is in the database yet', async () => {
    const db = memoryDb()
    const store = await open(db)
    const spy = spyBatches(db)
    const unit = store.unit()
    await writeEverything(unit)
    await expectEverything(unit, store)
    expect(spy.calls).toHaveLength(0)
    expect(await store.messages.get(id(1))).toBeUndefined()
    expect(await store.account.get()).toBeUndefined()
    expect(await store.inbox.seen(id(50))).toBe(false)
    expect(await store.isEmpty()).toBe(true)
    unit.discard()
  })

  it('sees its own deletes over committed data', async () => {
    const store = await open()
    const first = store.unit()
    await writeEverything(first)
    await first.commit()
    const unit = store.unit()
    await unit.crypto.sessions.deleteSession(address(2))
    await unit.crypto.preKeys.removeOneTimePreKey(3)
    await unit.crypto.senderKeys.deleteSenderKey(address(2), groupId(1))
    await unit.contacts.delete(accountKey(2))
    expect(await unit.messages.delete(id(1))).toBe(true)
    expect(await unit.outbox.delete(id(1), address(2))).toBe(true)
    expect(await unit.held.take(address(3), groupId(2))).toEqual([Uint8Array.of(8, 8)])
    expect(await unit.crypto.sessions.loadSession(address(2))).toBeUndefined()
    expect(await unit.crypto.preKeys.loadOneTimePreKey(3)).toBeUndefined()
    expect(await unit.crypto.senderKeys.loadSenderKey(address(2), groupId(1))).toBeUndefined()
    expect(await unit.contacts.list()).toEqual([])
    expect(await unit.messages.get(id(1))).toBeUndefined()
    expect(await unit.messages.history(accountKey(2), { limit: 10 })).toEqual([])
    expect(await unit.outbox.listPending({ limit: 10 })).toEqual([])
    expect(await unit.held.count(address(3))).toBe(0)
    // committed data is untouched until commit
    await expectEverything(undefined, store)
    await unit.commit()
    expect(await store.messages.get(id(1))).toBeUndefined()
    expect(await store.contacts.list()).toEqual([])
  })

  it('commits everything in exactly one batch, with sync: true', async () => {
    const db = memoryDb()
    const store = await open(db)
    const spy = spyBatches(db)
    const unit = store.unit()
    await writeEverything(unit)
    const { events } = await unit.commit()
    expect(spy.calls).toHaveLength(1)
    expect(spy.chained).toBe(0)
    expect(spy.calls[0]!.options).toMatchObject({ sync: true })
    expect(events).toEqual([{ cursor: 1, type: 'message', payload: Uint8Array.of(1) }])
    await expectEverything(undefined, store)
    expect(await store.events.since(0, 10)).toEqual(events)
    expect(await store.isEmpty()).toBe(false)
  })

  it('a failed commit writes nothing, reports StorageWriteError, and the store stays usable', async () => {
    const db = memoryDb()
    const store = await open(db)
    const spy = spyBatches(db)
    const unit = store.unit()
    await writeEverything(unit)
    spy.failNext = 1
    await expect(unit.commit()).rejects.toBeInstanceOf(StorageWriteError)
    expect(await store.isEmpty()).toBe(true)
    expect(await store.events.since(0, 10)).toEqual([])
    expect(await store.events.latest()).toBe(0)
    // the same work in a new unit commits, with a cursor never handed out before
    const retry = store.unit()
    await writeEverything(retry)
    const { events } = await retry.commit()
    await expectEverything(undefined, store)
    expect(events[0]!.cursor).toBe(2)
    expect(spy.calls).toHaveLength(2)
  })

  it('a discarded unit writes nothing', async () => {
    const db = memoryDb()
    const store = await open(db)
    const spy = spyBatches(db)
    const unit = store.unit()
    await writeEverything(unit)
    unit.discard()
    expect(unit.open).toBe(false)
    expect(spy.calls).toHaveLength(0)
    expect(await store.isEmpty()).toBe(true)
    // discard is idempotent and harmless after a commit
    unit.discard()
    const other = store.unit()
    await other.inbox.markSeen(id(1), 1)
    await other.commit()
    other.discard()
    expect(await store.inbox.seen(id(1))).toBe(true)
  })

  it('an empty unit commits without writing', async () => {
    const db = memoryDb()
    const store = await open(db)
    const spy = spyBatches(db)
    expect(await store.unit().commit()).toEqual({ events: [] })
    expect(spy.calls).toHaveLength(0)
  })

  it('a finished unit refuses every further read, write and commit', async () => {
    const store = await open()
    const committed = store.unit()
    await committed.commit()
    const discarded = store.unit()
    discarded.discard()
    for (const unit of [committed, discarded]) {
      await expect(unit.commit()).rejects.toBeInstanceOf(UnitClosedError)
      await expect(unit.messages.get(id(1))).rejects.toBeInstanceOf(UnitClosedError)
      await expect(unit.crypto.sessions.storeSession(address(1), Uint8Array.of(1))).rejects.toBeInstanceOf(
        UnitClosedError,
      )
      await expect(unit.events.append('x', Uint8Array.of())).rejects.toBeInstanceOf(UnitClosedError)
      await expect(unit.contacts.list()).rejects.toBeInstanceOf(UnitClosedError)
    }
  })

  it('commits that queue behind a write in flight go together, each with its own cursors', async () => {
    const db = memoryDb()
    const store = await open(db)
    const spy = spyBatches(db)
    const units = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const unit = store.unit()
        await unit.messages.put(message(i))
        await unit.events.append('message', Uint8Array.of(i))
        await unit.events.append('receipt', Uint8Array.of(i))
        return unit
      }),
    )
    const results = await Promise.all(units.map((u) => u.commit()))
    const cursors = results.flatMap((r) => r.events.map((e) => e.cursor))
    expect(cursors).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(spy.calls.length).toBeLessThan(20)
    expect(spy.calls.every((c) => (c.options as { sync?: boolean }).sync === true)).toBe(true)
    expect((await store.messages.history(accountKey(1), { limit: 100 })).length).toBe(20)
  })

  it('a failed group fails every unit in it and writes none of them', async () => {
    const db = memoryDb()
    const store = await open(db)
    const spy = spyBatches(db)
    const first = store.unit()
    await first.messages.put(message(0))
    const rest = await Promise.all(
      [1, 2, 3].map(async (i) => {
        const unit = store.unit()
        await unit.messages.put(message(i))
        return unit
      }),
    )
    // the first batch goes out at once; the others queue behind it and go together, and that batch fails
    const firstCommit = first.commit()
    const pending = rest.map((u) => u.commit())
    spy.failNext = 1
    await firstCommit
    const outcomes = await Promise.allSettled(pending)
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(spy.calls).toHaveLength(2)
    expect((await store.messages.history(accountKey(1), { limit: 10 })).map((m) => m.text)).toEqual([
      'message 0',
    ])
  })

  it('refuses new units and commits once closed', async () => {
    const store = await open()
    const unit = store.unit()
    await unit.inbox.markSeen(id(1), 1)
    await store.close()
    expect(() => store.unit()).toThrow(StoreClosedError)
    await expect(unit.commit()).rejects.toBeInstanceOf(StoreClosedError)
    await expect(store.messages.get(id(1))).rejects.toBeInstanceOf(StoreClosedError)
  })

  it('close waits for commits in flight', async () => {
    const db = memoryDb()
    const store = await openClientStore(db)
    const unit = store.unit()
    await unit.inbox.markSeen(id(1), 1)
    const committing = unit.commit()
    await store.close()
    await committing
    const reopened = await open(db)
    expect(await reopened.inbox.seen(id(1))).toBe(true)
  })
})
