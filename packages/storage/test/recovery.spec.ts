/**
 * The database's recovery from failed writes (src/recovery.ts), with injected failures on memory-level:
 * when it reopens, the rate of its attempts, refusals while it cannot write, an open that fails, the
 * owner's close, and what the stores do around a reopen (the mailbox counters, the client's read
 * cache and units). The real failure (a full disk under classic-level) is in disk-full.spec.ts.
 */
import { describe, expect, it } from 'vitest'
import { Keyspace } from '../src/database.js'
import {
  DEFAULT_REOPEN_INTERVAL_MS,
  InvalidConfigError,
  MailboxStore,
  openClientStore,
  openRelayStorage,
  REOPEN_MIN_FREE_BYTES,
  StorageReadError,
  StorageWriteError,
  UnitStaleError,
} from '../src/index.js'
import { recoveryOf } from '../src/recovery.js'
import { contact } from './client/helpers.js'
import { clock, envelopeId, instrumentBatches, ioError, mailboxId, memoryDb, payload } from './helpers.js'

const HOUR = 3_600_000
/** Values as plain arrays (classic-level and memory-level return Buffers). */
const plain = (values: Array<Uint8Array | undefined>) => values.map((v) => (v === undefined ? v : [...v]))
const put = (n: number) => ({ type: 'put' as const, key: Uint8Array.of(n), value: Uint8Array.of(n) })

async function setup() {
  const db = memoryDb()
  await db.open()
  const time = clock()
  const recovery = recoveryOf(db, { now: time.now })
  const batches = instrumentBatches(db)
  const ks = new Keyspace(db, 'test')
  let opens = 0
  db.on('opening', () => {
    opens++
  })
  return { db, time, recovery, batches, ks, opens: () => opens }
}

/** Makes the database fail to open (as on a disk still full) until the returned function is called. */
function failOpens(db: ReturnType<typeof memoryDb>): () => void {
  const target = db as unknown as { _open: (options: unknown) => Promise<void> }
  target._open = async () => {
    throw ioError()
  }
  return () => {
    delete (target as { _open?: unknown })._open
  }
}

describe('recovery from a failed write', () => {
  it('reopens the database at once after a write fails with an I/O error, before the write is answered', async () => {
    const { db, recovery, batches, ks, opens } = await setup()
    await ks.write([put(1)])
    batches.failNext = 1
    let seen: { state: string; opens: number } | undefined
    await ks.write([put(2)]).catch((err: unknown) => {
      expect(err).toMatchObject({ code: 'LEVEL_IO_ERROR' })
      seen = { state: db.status, opens: opens() }
    })
    expect(seen).toEqual({ state: 'open', opens: 1 })
    expect(recovery.stats()).toMatchObject({ state: 'reopened', reopens: 1, failedReopens: 0 })
    await ks.write([put(3)])
    expect(recovery.state).toBe('healthy')
    expect(plain(await ks.getMany([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]))).toEqual([
      [1],
      undefined,
      [3],
    ])
    // a write succeeded since: the next failure is a new incident, tried at once (same instant)
    batches.failNext = 1
    await expect(ks.write([put(4)])).rejects.toMatchObject({ code: 'LEVEL_IO_ERROR' })
    expect(recovery.stats().reopens).toBe(2)
  })

  it('after a failure that follows a reopen, waits the interval: writes are refused without reaching the database', async () => {
    const { time, recovery, batches, ks } = await setup()
    batches.failNext = 2
    await expect(ks.write([put(1)])).rejects.toMatchObject({ code: 'LEVEL_IO_ERROR' })
    expect(recovery.stats()).toMatchObject({ state: 'reopened', reopens: 1 })
    await expect(ks.write([put(2)])).rejects.toMatchObject({ code: 'LEVEL_IO_ERROR' })
    // no write succeeded since the reopen: the disk may still be full
    expect(recovery.stats()).toMatchObject({ state: 'tainted', reopens: 1 })
    const calls = batches.calls
    time.advance(DEFAULT_REOPEN_INTERVAL_MS - 1)
    await expect(ks.write([put(3)])).rejects.toBeInstanceOf(StorageWriteError)
    expect(batches.calls).toBe(calls)
    expect(recovery.stats().reopens).toBe(1)
    time.advance(1)
    // this attempt reopens, but the write was prepared before it: refused all the same
    const refused = await ks.write([put(4)]).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(StorageWriteError)
    expect((refused as Error).cause).toMatchObject({ code: 'LEVEL_IO_ERROR' })
    expect(batches.calls).toBe(calls)
    expect(recovery.stats()).toMatchObject({ state: 'reopened', reopens: 2 })
    await ks.write([put(5)])
    expect(recovery.state).toBe('healthy')
    expect(plain(await ks.getMany([3, 4, 5].map((n) => Uint8Array.of(n))))).toEqual([
      undefined,
      undefined,
      [5],
    ])
  })

  it('an open that fails leaves the database closed; reads and writes then try again once the interval passed', async () => {
    const { db, time, recovery, batches, ks } = await setup()
    await ks.write([put(1)])
    const openAgain = failOpens(db)
    batches.failNext = 1
    await expect(ks.write([put(2)])).rejects.toMatchObject({ code: 'LEVEL_IO_ERROR' })
    expect(db.status).toBe('closed')
    expect(recovery.stats()).toMatchObject({ state: 'down', reopens: 0, failedReopens: 1 })
    expect(recovery.stats().lastReopenError).toMatchObject({ name: 'StoreOpenError' })
    // fail fast, and do not try again before the interval
    await expect(ks.get(Uint8Array.of(1))).rejects.toMatchObject({ code: 'LEVEL_DATABASE_NOT_OPEN' })
    await expect(ks.write([put(3)])).rejects.toBeInstanceOf(StorageWriteError)
    expect(recovery.stats().failedReopens).toBe(1)
    time.advance(DEFAULT_REOPEN_INTERVAL_MS)
    // still failing to open: a read tries, and fails with the database closed
    await expect(ks.get(Uint8Array.of(1))).rejects.toMatchObject({ code: 'LEVEL_DATABASE_NOT_OPEN' })
    expect(recovery.stats()).toMatchObject({ state: 'down', failedReopens: 2 })
    openAgain()
    time.advance(DEFAULT_REOPEN_INTERVAL_MS)
    // the read that tries waits for the open and is answered from the reopened database
    expect(plain([await ks.get(Uint8Array.of(1))])).toEqual([[1]])
    expect(recovery.stats()).toMatchObject({ state: 'reopened', reopens: 1, failedReopens: 2 })
    await ks.write([put(4)])
    expect(recovery.state).toBe('healthy')
  })

  it('told the disk is still full, keeps the database open for reads and refuses writes until space is free', async () => {
    const { db, time, recovery, batches, ks, opens } = await setup()
    let free = 0
    recovery.configure({ now: time.now, freeBytes: async () => free })
    await ks.write([put(1)])
    batches.failNext = 1
    await expect(ks.write([put(2)])).rejects.toMatchObject({ code: 'LEVEL_IO_ERROR' })
    expect(db.status).toBe('open')
    expect(opens()).toBe(0)
    expect(recovery.stats()).toMatchObject({ state: 'tainted', reopens: 0, failedReopens: 1 })
    expect(plain([await ks.get(Uint8Array.of(1))])).toEqual([[1]])
    time.advance(DEFAULT_REOPEN_INTERVAL_MS)
    await expect(ks.write([put(3)])).rejects.toBeInstanceOf(StorageWriteError)
    expect(opens()).toBe(0)
    free = REOPEN_MIN_FREE_BYTES
    time.advance(DEFAULT_REOPEN_INTERVAL_MS)
    // this write finds the store refusing: it tries the reopen, and the next one goes through
    await expect(ks.write([put(3)])).rejects.toBeInstanceOf(StorageWriteError)
    expect(opens()).toBe(1)
    await ks.write([put(4)])
    expect(recovery.state).toBe('healthy')
    // unknown free space (the check fails) does not hold a reopen back
    recovery.configure({ now: time.now, freeBytes: async () => Promise.reject(new Error('no statfs')) })
    batches.failNext = 1
    await expect(ks.write([put(5)])).rejects.toMatchObject({ code: 'LEVEL_IO_ERROR' })
    expect(opens()).toBe(2)
  })

  it('does not reopen for corruption, or for an error that is not an I/O error', async () => {
    const { recovery, batches, ks, opens } = await setup()
    batches.gate = async () => {
      throw Object.assign(new Error('Corruption: bad block'), { code: 'LEVEL_CORRUPTION' })
    }
    await expect(ks.write([put(1)])).rejects.toMatchObject({ code: 'LEVEL_CORRUPTION' })
    batches.gate = async () => {
      throw new Error('something else')
    }
    await expect(ks.write([put(2)])).rejects.toThrow('something else')
    batches.gate = undefined
    expect(recovery.stats()).toMatchObject({ state: 'healthy', reopens: 0 })
    expect(opens()).toBe(0)
    await ks.write([put(3)])
  })

  it('never opens a database its owner closed', async () => {
    const db = memoryDb()
    const time = clock()
    const storage = await openRelayStorage({ db, recovery: { now: time.now } })
    const batches = instrumentBatches(db)
    const openAgain = failOpens(db)
    batches.failNext = 1
    const box = mailboxId(1)
    expect(
      await storage.mailbox.deposit({
        envelopeId: envelopeId(1),
        payload: payload(5),
        mailboxes: [box],
        ttlMs: HOUR,
      }),
    ).toEqual({ status: 'refused', reason: 'storage-error' })
    expect(storage.recoveryStats()).toMatchObject({ state: 'down', failedReopens: 1 })
    openAgain()
    await storage.close()
    time.advance(DEFAULT_REOPEN_INTERVAL_MS)
    recoveryOf(db).poke()
    await recoveryOf(db).ready()
    expect(db.status).toBe('closed')
  })

  it('refuses a negative or non-finite interval', () => {
    expect(() => recoveryOf(memoryDb(), { reopenIntervalMs: -1 })).toThrow(InvalidConfigError)
    expect(() => recoveryOf(memoryDb(), { reopenIntervalMs: Number.POSITIVE_INFINITY })).toThrow(
      InvalidConfigError,
    )
  })
})

describe('the mailbox store around a reopen', () => {
  it('a deposit after a refusal is prepared from the reopened database and stored (FAULTS 20)', async () => {
    const db = memoryDb()
    const time = clock()
    recoveryOf(db, { now: time.now })
    const store = await MailboxStore.open(db, { now: time.now })
    const batches = instrumentBatches(db)
    const box = mailboxId(1)
    const deposit = (n: number) =>
      store.deposit({ envelopeId: envelopeId(n), payload: payload(5), mailboxes: [box], ttlMs: HOUR })
    expect((await deposit(0)).status).toBe('stored')
    batches.failNext = 2
    expect(await deposit(1)).toEqual({ status: 'refused', reason: 'storage-error' })
    expect(await deposit(2)).toEqual({ status: 'refused', reason: 'storage-error' })
    // tainted and within the interval: refused without a write
    const calls = batches.calls
    expect(await deposit(3)).toEqual({ status: 'refused', reason: 'storage-error' })
    expect(batches.calls).toBe(calls)
    time.advance(DEFAULT_REOPEN_INTERVAL_MS)
    // the writer lets the recovery reopen before it prepares the batch: not refused
    expect((await deposit(3)).status).toBe('stored')
    expect(store.stats()).toMatchObject({ deposits: 2, storedEnvelopes: 2, batches: 2, writeErrors: 3 })
    expect(store.stats().refusals['storage-error']).toBe(3)
    expect((await store.list(box, { limit: 10 })).map((e) => e.envelopeId)).toEqual([
      envelopeId(0),
      envelopeId(3),
    ])
    expect(await store.usage(box)).toEqual({ envelopes: 2, bytes: 10 })
  })

  it('a deposit that arrives while the database is being closed waits for the reopen instead of failing', async () => {
    const db = memoryDb()
    const time = clock()
    recoveryOf(db, { now: time.now })
    const store = await MailboxStore.open(db, { now: time.now })
    const batches = instrumentBatches(db)
    const box = mailboxId(1)
    const deposit = (n: number) =>
      store.deposit({ envelopeId: envelopeId(n), payload: payload(5), mailboxes: [box], ttlMs: HOUR })
    let entered!: () => void
    const closing = new Promise<void>((resolve) => {
      entered = resolve
    })
    let release!: () => void
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const target = db as unknown as { _close: () => Promise<void> }
    target._close = async () => {
      entered()
      await released
    }
    batches.failNext = 1
    const failing = deposit(1)
    await closing
    const arriving = deposit(2)
    await new Promise((resolve) => setTimeout(resolve, 5))
    delete (target as { _close?: unknown })._close
    release()
    expect(await failing).toEqual({ status: 'refused', reason: 'storage-error' })
    expect((await arriving).status).toBe('stored')
    expect(store.stats()).toMatchObject({ writeErrors: 1, deposits: 1 })
  })

  it('a batch that failed but comes back with the reopen is counted: usage is rebuilt from the queues', async () => {
    const db = memoryDb()
    const time = clock()
    recoveryOf(db, { now: time.now })
    const store = await MailboxStore.open(db, { now: time.now })
    const batches = instrumentBatches(db)
    const box = mailboxId(1)
    const deposit = (n: number) =>
      store.deposit({ envelopeId: envelopeId(n), payload: payload(5), mailboxes: [box], ttlMs: HOUR })
    expect((await deposit(0)).status).toBe('stored')
    // as when an fsync fails: the batch is written, the write reports failure, the reopen keeps it
    batches.onWritten = () => {
      batches.onWritten = undefined
      throw ioError()
    }
    expect(await deposit(1)).toEqual({ status: 'refused', reason: 'storage-error' })
    expect(store.stats().writeErrors).toBe(1)
    expect((await deposit(2)).status).toBe('stored')
    expect(await store.usage(box)).toEqual({ envelopes: 3, bytes: 15 })
    expect(store.stats()).toMatchObject({ storedEnvelopes: 3, storedBytes: 15, mailboxes: 1 })
    expect(await deposit(1)).toMatchObject({ status: 'duplicate' })
  })

  it('a list while the database is down fails with StorageReadError', async () => {
    const db = memoryDb()
    const time = clock()
    recoveryOf(db, { now: time.now })
    const store = await MailboxStore.open(db, { now: time.now })
    const batches = instrumentBatches(db)
    const box = mailboxId(1)
    expect(
      (await store.deposit({ envelopeId: envelopeId(0), payload: payload(5), mailboxes: [box], ttlMs: HOUR }))
        .status,
    ).toBe('stored')
    const openAgain = failOpens(db)
    batches.failNext = 1
    await expect(store.ack(box, [envelopeId(0)])).rejects.toBeInstanceOf(StorageWriteError)
    await expect(store.list(box, { limit: 10 })).rejects.toBeInstanceOf(StorageReadError)
    await expect(store.status(envelopeId(0))).rejects.toBeInstanceOf(StorageReadError)
    openAgain()
    time.advance(DEFAULT_REOPEN_INTERVAL_MS)
    expect((await store.list(box, { limit: 10 })).map((e) => e.envelopeId)).toEqual([envelopeId(0)])
    expect(await store.ack(box, [envelopeId(0)])).toBe(1)
  })
})

describe('the client store around a reopen', () => {
  it('forgets its read cache: what the reopened database holds is read, not what was cached before', async () => {
    const db = memoryDb()
    const store = await openClientStore(db)
    const commit = async (name: string) => {
      const unit = store.unit()
      await unit.contacts.put(contact(2, { name }))
      await unit.commit()
    }
    const before = new Set<string>()
    for await (const [key] of db.iterator({ keyEncoding: 'hex', valueEncoding: 'view' })) {
      before.add(key)
    }
    await commit('replayed')
    const replayed: Array<[string, Uint8Array]> = []
    for await (const [key, value] of db.iterator({ keyEncoding: 'hex', valueEncoding: 'view' })) {
      if (!before.has(key)) {
        replayed.push([key, value])
      }
    }
    expect(replayed.length).toBeGreaterThan(0)
    await commit('cached')
    expect((await store.contacts.get(contact(2).accountKey))?.name).toBe('cached')
    const hits = store.readCacheStats.hits
    expect((await store.contacts.get(contact(2).accountKey))?.name).toBe('cached')
    expect(store.readCacheStats.hits).toBe(hits + 1)
    // the reopen brings back an older record, as a log record whose fsync failed would be
    db.hooks.postopen.add(async () => {
      for (const [key, value] of replayed) {
        await db.put(key, value, { keyEncoding: 'hex', valueEncoding: 'view' })
      }
    })
    const batches = instrumentBatches(db)
    batches.failNext = 1
    const failing = store.unit()
    await failing.contacts.put(contact(3))
    await expect(failing.commit()).rejects.toBeInstanceOf(StorageWriteError)
    expect(store.recoveryStats().reopens).toBe(1)
    expect((await store.contacts.get(contact(2).accountKey))?.name).toBe('replayed')
    expect((await store.contacts.list()).map((c) => c.name)).toEqual(['replayed'])
    await store.close()
  })

  it('units made before the close are stale; a unit made while the database was closed commits once it opens', async () => {
    const db = memoryDb()
    const time = clock()
    const store = await openClientStore(db, { recovery: { now: time.now } })
    const batches = instrumentBatches(db)
    const before = store.unit()
    expect(await before.contacts.get(contact(1).accountKey)).toBeUndefined()
    await before.contacts.put(contact(4))
    const openAgain = failOpens(db)
    batches.failNext = 1
    const failing = store.unit()
    await failing.contacts.put(contact(1))
    await expect(failing.commit()).rejects.toBeInstanceOf(StorageWriteError)
    expect(store.recoveryStats()).toMatchObject({ state: 'down', failedReopens: 1 })
    expect(before.stale).toBe(true)
    await expect(before.commit()).rejects.toBeInstanceOf(UnitStaleError)
    // while down: reads fail with StorageReadError, commits with StorageWriteError (no new attempt yet)
    await expect(store.contacts.get(contact(1).accountKey)).rejects.toBeInstanceOf(StorageReadError)
    const early = store.unit()
    await early.contacts.put(contact(2))
    await expect(early.commit()).rejects.toBeInstanceOf(StorageWriteError)
    const during = store.unit()
    await during.contacts.put(contact(3))
    openAgain()
    time.advance(DEFAULT_REOPEN_INTERVAL_MS)
    // its commit opens the database; it read nothing the open could replace
    expect(during.stale).toBe(false)
    await during.commit()
    expect(store.recoveryStats()).toMatchObject({ state: 'healthy', reopens: 1 })
    expect((await store.contacts.list()).map((c) => c.name)).toEqual([contact(3).name])
    await store.close()
    expect(db.status).toBe('closed')
  })
})
