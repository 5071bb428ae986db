/**
 * The mailbox store on classic-level in a temp directory: what must survive a close and reopen, and
 * how opening fails (locked directory, corrupt files, newer format).
 */
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  MailboxStore,
  type MailboxStoreInit,
  StoreCorruptError,
  StoreLockedError,
  StoreVersionError,
} from '../../src/index.js'
import { clock, envelopeId, hex, instrumentBatches, mailboxId, payload, tempDir } from '../helpers.js'

let dir: { path: string; remove: () => Promise<void> }
const open: Array<{ close: () => Promise<void> }> = []

beforeEach(async () => {
  dir = await tempDir()
})

afterEach(async () => {
  for (const handle of open.splice(0).reverse()) {
    await handle.close().catch(() => {})
  }
  await dir.remove()
})

async function openStore(init: MailboxStoreInit = {}) {
  const db = new ClassicLevel(dir.path)
  const store = await MailboxStore.open(db, init)
  open.push(db, store)
  return {
    db,
    store,
    close: async () => {
      await store.close()
      await db.close()
    },
  }
}

describe('MailboxStore on classic-level', () => {
  it('writes deposits with sync batches', async () => {
    const db = new ClassicLevel(dir.path)
    open.push(db)
    const batches = instrumentBatches(db)
    const store = await MailboxStore.open(db)
    open.push(store)
    await store.deposit({
      envelopeId: envelopeId(1),
      payload: payload(10),
      mailboxes: [mailboxId(1)],
      ttlMs: 1000,
    })
    await store.ack(mailboxId(1), [envelopeId(1)])
    expect(batches.calls).toBeGreaterThanOrEqual(2)
    expect(batches.syncCalls).toBe(batches.calls)
  })

  it('keeps everything across close and reopen: envelopes, acks, counters, cursors, tombstones', async () => {
    const time = clock()
    const [a, b] = [mailboxId(1), mailboxId(2)]
    const first = await openStore({ now: time.now })
    for (let i = 0; i < 10; i++) {
      await first.store.deposit({
        envelopeId: envelopeId(i),
        payload: payload(100 + i),
        mailboxes: [a, b],
        ttlMs: 60_000,
      })
    }
    await first.store.ack(a, [envelopeId(0), envelopeId(1)])
    await first.store.ack(b, [envelopeId(0)])
    const lastCursor = (await first.store.list(a, { limit: 100 })).at(-1)!.cursor
    await first.close()

    const second = await openStore({ now: time.now })
    const listedA = await second.store.list(a, { limit: 100 })
    expect(listedA.map((e) => hex(e.envelopeId))).toEqual(
      [2, 3, 4, 5, 6, 7, 8, 9].map((i) => hex(envelopeId(i))),
    )
    expect(listedA[0]!.payload).toEqual(payload(102))
    expect(await second.store.list(b, { limit: 100 })).toHaveLength(9)
    expect(await second.store.status(envelopeId(0))).toEqual({ total: 2, pending: 0, expired: false })
    expect(await second.store.status(envelopeId(1))).toEqual({ total: 2, pending: 1, expired: false })
    expect(await second.store.usage(a)).toEqual({
      envelopes: 8,
      bytes: 8 * 100 + (2 + 3 + 4 + 5 + 6 + 7 + 8 + 9),
    })
    const bytes = 9 * 100 + (1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9)
    expect(second.store.stats()).toMatchObject({ storedEnvelopes: 9, storedBytes: bytes })
    // idempotent after restart, and cursors continue after the old ones
    expect(
      (
        await second.store.deposit({
          envelopeId: envelopeId(5),
          payload: payload(1),
          mailboxes: [a],
          ttlMs: 1000,
        })
      ).status,
    ).toBe('duplicate')
    await second.store.deposit({
      envelopeId: envelopeId(50),
      payload: payload(1),
      mailboxes: [a],
      ttlMs: 1000,
    })
    const after = await second.store.list(a, { after: lastCursor, limit: 100 })
    expect(after.map((e) => hex(e.envelopeId))).toEqual([hex(envelopeId(50))])
  })

  it('refuses a second open of the same directory with StoreLockedError naming it', async () => {
    await openStore()
    const other = new ClassicLevel(dir.path)
    const error = await MailboxStore.open(other).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(StoreLockedError)
    expect((error as Error).message).toContain(`another process is using ${dir.path}`)
    expect((error as StoreLockedError).location).toBe(dir.path)
  })

  it('refuses corrupt database files with StoreCorruptError', async () => {
    const first = await openStore()
    await first.store.deposit({
      envelopeId: envelopeId(1),
      payload: payload(10),
      mailboxes: [mailboxId(1)],
      ttlMs: 1000,
    })
    await first.close()
    for (const file of await readdir(dir.path)) {
      if (file.startsWith('MANIFEST')) {
        await writeFile(join(dir.path, file), new Uint8Array(100).fill(7))
      }
    }
    await expect(MailboxStore.open(new ClassicLevel(dir.path))).rejects.toBeInstanceOf(StoreCorruptError)
  })

  it('refuses a store written by a newer format version', async () => {
    const first = await openStore()
    const level = first.db.sublevel<Uint8Array, Uint8Array>('relay-mailbox', {
      keyEncoding: 'view',
      valueEncoding: 'view',
    })
    await level.put(Uint8Array.of(0x76), Uint8Array.of(0, 0, 0, 2))
    await first.close()
    const error = await openStore().catch((err: unknown) => err)
    expect(error).toBeInstanceOf(StoreVersionError)
    expect((error as StoreVersionError).version).toBe(2)
  })

  it('a corrupt record fails only the request that touches it', async () => {
    const first = await openStore()
    const a = mailboxId(1)
    await first.store.deposit({
      envelopeId: envelopeId(1),
      payload: payload(10),
      mailboxes: [a],
      ttlMs: 60_000,
    })
    await first.store.deposit({
      envelopeId: envelopeId(2),
      payload: payload(10),
      mailboxes: [a],
      ttlMs: 60_000,
    })
    const level = first.db.sublevel<Uint8Array, Uint8Array>('relay-mailbox', {
      keyEncoding: 'view',
      valueEncoding: 'view',
    })
    await level.put(Uint8Array.of(0x65, ...envelopeId(1)), Uint8Array.of(9, 9, 9))
    const [bad, good] = await Promise.allSettled([
      first.store.ack(a, [envelopeId(1)]),
      first.store.ack(a, [envelopeId(2)]),
    ])
    expect(bad).toMatchObject({ status: 'rejected', reason: { name: 'StoreCorruptError' } })
    expect(good).toEqual({ status: 'fulfilled', value: 1 })
    await expect(first.store.status(envelopeId(1))).rejects.toBeInstanceOf(StoreCorruptError)
  })
})
