/**
 * The real failure behind src/recovery.ts: classic-level on a small tmpfs this file mounts, filled
 * until the stores refuse writes, then given space again. The stores must take writes again without
 * the caller reopening anything, and every write acknowledged before, during and after must still be
 * there, also after the database is closed and opened by a new handle (a restart).
 *
 * Needs root on Linux to mount; skipped otherwise (the reason is in `probe.reason`).
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ClientStore,
  DEFAULT_REOPEN_INTERVAL_MS,
  openClientStore,
  openRelayStorage,
  type RelayStorage,
  StorageWriteError,
} from '../src/index.js'
import { address, id } from './client/helpers.js'
import { clock, envelopeId, hex, mailboxId } from './helpers.js'

/** The tmpfs: 12 MiB, of which a filler file takes 5 MiB (LevelDB's 4 MiB memtable flush then fails). */
const DISK_BYTES = 12 * 1024 * 1024
const FILLER_BYTES = 5 * 1024 * 1024
/** Random (incompressible) values this large fill the disk in about 200 durable writes. */
const VALUE_BYTES = 20 * 1024
/** Free space left for the torn-append test, and a payload larger than it (the append tears). */
const TORN_FREE_BYTES = 12 * 1024
const TORN_PAYLOAD_BYTES = 30 * 1024
/** Refusals in a row that show the store stays refusing while the disk is full. */
const REFUSALS = 3
/** Writes at most before the disk must have filled (it takes about 200). */
const MAX_WRITES = 2000

function mountSmallDisk(): { dir: string } | { reason: string } {
  if (process.platform !== 'linux') {
    return { reason: 'mounting a tmpfs needs Linux' }
  }
  if (process.getuid?.() !== 0) {
    return { reason: 'mounting a tmpfs needs root' }
  }
  const dir = mkdtempSync(join(tmpdir(), 'ferry-disk-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES}`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    return { reason: `mount -t tmpfs failed: ${(err as Error).message.split('\n')[0]}` }
  }
  return { dir }
}

function unmount(dir: string): void {
  execFileSync('umount', [dir], { stdio: 'pipe' })
  rmSync(dir, { recursive: true, force: true })
}

/** Whether a tmpfs can be mounted here, tried once while the tests are collected (mounted and unmounted). */
const probe = mountSmallDisk()
if ('dir' in probe) {
  unmount(probe.dir)
}
const mountable = 'dir' in probe
/** The small disk, mounted for the tests that run (none when all are skipped or filtered out). */
let disk: { dir: string } | { reason: string } = probe

beforeAll(() => {
  if (mountable) {
    disk = mountSmallDisk()
  }
})

afterAll(() => {
  if ('dir' in disk && disk !== probe) {
    unmount(disk.dir)
  }
})

/** A directory on the small disk and its filler file, removed afterwards. */
function onSmallDisk(name: string) {
  if (!('dir' in disk)) {
    throw new Error(`the small disk is not mounted: ${disk.reason}`)
  }
  const root = disk.dir
  const dir = join(root, name)
  const filler = join(root, `${name}.filler`)
  return {
    dir,
    fill: () => writeFileSync(filler, Buffer.alloc(FILLER_BYTES)),
    /** Leaves only `bytes` free on the disk. */
    fillUpTo: (bytes: number) => {
      const { bavail, bsize } = statfsSync(root)
      writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - bytes)))
    },
    free: () => rmSync(filler, { force: true }),
    remove: () => {
      rmSync(filler, { force: true })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Deposits a random (incompressible) payload as envelope `n`; an acknowledged one goes into `stored`. */
async function depositTo(storage: RelayStorage, box: Uint8Array, n: number, stored: Map<string, string>) {
  const payload = new Uint8Array(randomBytes(VALUE_BYTES))
  const outcome = await storage.mailbox.deposit({
    envelopeId: envelopeId(n),
    payload,
    mailboxes: [box],
    ttlMs: 3_600_000,
  })
  if (outcome.status === 'stored') {
    stored.set(hex(envelopeId(n)), hex(payload))
  }
  return outcome
}

/** What the relay lists in `box`: envelope ID to payload, both in hex. */
async function listedIn(storage: RelayStorage, box: Uint8Array): Promise<Map<string, string>> {
  const page = await storage.mailbox.list(box, { limit: MAX_WRITES })
  return new Map(page.map((e) => [hex(e.envelopeId), hex(e.payload)]))
}

/** The bytes free on the file system of `dir` (what the relay and the `ferry` command give). */
function freeBytesOn(dir: string): () => Promise<number> {
  return async () => {
    const { bavail, bsize } = statfsSync(dir)
    return bavail * bsize
  }
}

/**
 * Commits a fresh session record for device `n` (and an event, whose cursor goes to `cursors`, when
 * given) and remembers it in `sessions`; 'refused' when the store refuses the unit.
 */
async function commitSession(
  store: ClientStore,
  n: number,
  sessions: Map<number, Uint8Array>,
  cursors?: number[],
): Promise<'committed' | 'refused'> {
  const record = new Uint8Array(randomBytes(VALUE_BYTES))
  const unit = store.unit()
  try {
    await unit.crypto.sessions.storeSession(address(n), record)
    if (cursors !== undefined) {
      await unit.events.append('message', id(n))
    }
    const { events } = await unit.commit()
    sessions.set(n, record)
    cursors?.push(...events.map((e) => e.cursor))
    return 'committed'
  } catch (err) {
    expect(err).toBeInstanceOf(StorageWriteError)
    return 'refused'
  } finally {
    unit.discard()
  }
}

/** Every committed session record reads back as it was written. */
async function expectSessions(store: ClientStore, sessions: Map<number, Uint8Array>): Promise<void> {
  const unit = store.unit()
  try {
    for (const [k, record] of sessions) {
      const loaded = await unit.crypto.sessions.loadSession(address(k))
      expect(loaded === undefined ? undefined : hex(loaded)).toBe(hex(record))
    }
  } finally {
    unit.discard()
  }
}

describe('a full disk under classic-level', () => {
  // skipped where a tmpfs cannot be mounted (not root, not Linux, or mount refused): see probe.reason
  it.skipIf(!mountable)(
    'the relay refuses deposits with storage-error while the disk is full and takes them again once space is free, losing none (FAULTS 20)',
    async () => {
      const place = onSmallDisk('relay')
      const time = clock()
      const box = mailboxId(1)
      /** Acknowledged deposits: envelope ID to payload, both in hex. */
      const payloads = new Map<string, string>()
      let storage = await openRelayStorage({
        db: new ClassicLevel(place.dir),
        mailbox: { now: time.now },
        recovery: { now: time.now },
      })
      try {
        const deposit = (n: number) => depositTo(storage, box, n, payloads)
        place.fill()
        let n = 0
        let refusedInARow = 0
        let refused = 0
        while (refusedInARow < REFUSALS && n < MAX_WRITES) {
          const outcome = await deposit(n++)
          if (outcome.status === 'stored') {
            refusedInARow = 0
          } else {
            expect(outcome).toEqual({ status: 'refused', reason: 'storage-error' })
            refusedInARow++
            refused++
          }
        }
        expect(refusedInARow).toBe(REFUSALS)
        expect(payloads.size).toBeGreaterThan(0)
        expect(storage.recoveryStats().state).not.toBe('healthy')

        place.free()
        time.advance(DEFAULT_REOPEN_INTERVAL_MS)
        // the first deposit after space is free: the store reopened the database by itself
        expect((await deposit(n++)).status).toBe('stored')
        expect((await deposit(n++)).status).toBe('stored')
        expect(storage.recoveryStats()).toMatchObject({ state: 'healthy' })
        expect(storage.recoveryStats().reopens).toBeGreaterThan(0)
        const stats = storage.mailbox.stats()
        expect(stats.refusals['storage-error']).toBe(refused)
        expect(stats.writeErrors).toBe(refused)
        expect(stats.deposits).toBe(payloads.size)
        expect(stats.storedEnvelopes).toBe(payloads.size)

        const listed = () => listedIn(storage, box)
        expect(await listed()).toEqual(payloads)
        // a restart (a new handle on the directory) finds every acknowledged deposit too
        await storage.close()
        storage = await openRelayStorage({ db: new ClassicLevel(place.dir), mailbox: { now: time.now } })
        expect(await listed()).toEqual(payloads)
        expect(storage.mailbox.stats()).toMatchObject({ storedEnvelopes: payloads.size, mailboxes: 1 })
        expect(await storage.mailbox.usage(box)).toEqual({
          envelopes: payloads.size,
          bytes: payloads.size * VALUE_BYTES,
        })
      } finally {
        await storage.close()
        place.remove()
      }
    },
    15_000,
  )

  // skipped where a tmpfs cannot be mounted (not root, not Linux, or mount refused): see probe.reason
  it.skipIf(!mountable)(
    'told the free space, the relay keeps serving fetches while the disk stays full and reopens once it is freed (FAULTS 20)',
    async () => {
      const place = onSmallDisk('relay-reads')
      const time = clock()
      const box = mailboxId(2)
      const stored = new Map<string, string>()
      const storage = await openRelayStorage({
        db: new ClassicLevel(place.dir),
        mailbox: { now: time.now },
        recovery: {
          now: time.now,
          freeBytes: freeBytesOn(place.dir),
        },
      })
      try {
        const deposit = (n: number) => depositTo(storage, box, n, stored)
        const listed = () => listedIn(storage, box)
        place.fill()
        let n = 0
        let refusedInARow = 0
        while (refusedInARow < REFUSALS && n < MAX_WRITES) {
          refusedInARow = (await deposit(n++)).status === 'stored' ? 0 : refusedInARow + 1
          time.advance(DEFAULT_REOPEN_INTERVAL_MS) // every refusal may try the reopen
        }
        expect(refusedInARow).toBe(REFUSALS)
        // the disk is still full: the database was not closed, and what it holds is served
        expect(storage.recoveryStats().state).toBe('tainted')
        expect(storage.recoveryStats().failedReopens).toBeGreaterThan(0)
        expect(await listed()).toEqual(stored)

        place.free()
        time.advance(DEFAULT_REOPEN_INTERVAL_MS)
        expect((await deposit(n++)).status).toBe('stored')
        expect(storage.recoveryStats().reopens).toBeGreaterThan(0)
        expect(await listed()).toEqual(stored)
      } finally {
        await storage.close()
        place.remove()
      }
    },
    15_000,
  )

  // skipped where a tmpfs cannot be mounted (not root, not Linux, or mount refused): see probe.reason
  it.skipIf(!mountable)(
    'the client store refuses units while the disk is full and commits them again once space is free, losing none',
    async () => {
      const place = onSmallDisk('client')
      const time = clock()
      const sessions = new Map<number, Uint8Array>()
      const cursors: number[] = []
      let store = await openClientStore(new ClassicLevel(place.dir), { recovery: { now: time.now } })
      try {
        const commit = (n: number) => commitSession(store, n, sessions, cursors)
        place.fill()
        let n = 0
        let refusedInARow = 0
        while (refusedInARow < REFUSALS && n < MAX_WRITES) {
          refusedInARow = (await commit(n++)) === 'refused' ? refusedInARow + 1 : 0
        }
        expect(refusedInARow).toBe(REFUSALS)
        expect(sessions.size).toBeGreaterThan(0)
        expect(store.recoveryStats().state).not.toBe('healthy')

        place.free()
        time.advance(DEFAULT_REOPEN_INTERVAL_MS)
        // units made while the database was closed commit once it opens: no caller reopens anything
        expect(await commit(n++)).toBe('committed')
        expect(await commit(n++)).toBe('committed')
        expect(store.recoveryStats()).toMatchObject({ state: 'healthy' })

        const check = async () => {
          await expectSessions(store, sessions)
          const events = await store.events.since(0, MAX_WRITES)
          expect(events.map((e) => e.cursor)).toEqual(cursors)
        }
        await check()
        // a restart (a new handle on the directory) finds every committed unit too
        await store.close()
        store = await openClientStore(new ClassicLevel(place.dir))
        await check()
      } finally {
        await store.close()
        place.remove()
      }
    },
    15_000,
  )

  // skipped where a tmpfs cannot be mounted (not root, not Linux, or mount refused): see probe.reason
  it.skipIf(!mountable)(
    'told the free space, the client store keeps serving reads while the disk stays full and reopens once it is freed',
    async () => {
      const place = onSmallDisk('client-reads')
      const time = clock()
      const sessions = new Map<number, Uint8Array>()
      const store = await openClientStore(new ClassicLevel(place.dir), {
        recovery: {
          now: time.now,
          freeBytes: freeBytesOn(place.dir),
        },
      })
      const commit = (n: number) => commitSession(store, n, sessions)
      const readAll = () => expectSessions(store, sessions)
      try {
        place.fill()
        let n = 0
        let refusedInARow = 0
        while (refusedInARow < REFUSALS && n < MAX_WRITES) {
          refusedInARow = (await commit(n++)) === 'refused' ? refusedInARow + 1 : 0
          time.advance(DEFAULT_REOPEN_INTERVAL_MS) // every refusal may try the reopen
        }
        expect(refusedInARow).toBe(REFUSALS)
        expect(sessions.size).toBeGreaterThan(0)
        // the disk is still full: the database was not closed, and what it holds is read
        expect(store.recoveryStats().state).toBe('tainted')
        expect(store.recoveryStats().failedReopens).toBeGreaterThan(0)
        await readAll()

        place.free()
        time.advance(DEFAULT_REOPEN_INTERVAL_MS)
        // the first unit after the space came back finds the database tainted: it starts the reopen
        // and is refused (it was prepared before the reopen); the units after it commit
        expect(await commit(n++)).toBe('refused')
        expect(store.recoveryStats()).toMatchObject({ state: 'reopened' })
        expect(store.recoveryStats().reopens).toBeGreaterThan(0)
        expect(await commit(n++)).toBe('committed')
        expect(await commit(n++)).toBe('committed')
        expect(store.recoveryStats()).toMatchObject({ state: 'healthy' })
        await readAll()
      } finally {
        await store.close()
        place.remove()
      }
    },
    15_000,
  )

  // skipped where a tmpfs cannot be mounted (not root, not Linux, or mount refused): see probe.reason
  it.skipIf(!mountable)(
    'deposits acknowledged after an append to the log failed are still there after a restart',
    async () => {
      // Measured without the recovery: LevelDB keeps writing to a log an append failed in, behind the
      // torn record, and the next open drops every write after it (acknowledged ones included).
      const place = onSmallDisk('torn')
      const time = clock()
      const box = mailboxId(2)
      const open = () =>
        openRelayStorage({
          db: new ClassicLevel(place.dir),
          mailbox: { now: time.now },
          recovery: { now: time.now },
        })
      let storage = await open()
      const stored: string[] = []
      try {
        const deposit = async (n: number, bytes: number) => {
          const outcome = await storage.mailbox.deposit({
            envelopeId: envelopeId(n),
            payload: new Uint8Array(randomBytes(bytes)),
            mailboxes: [box],
            ttlMs: 3_600_000,
          })
          if (outcome.status === 'stored') {
            stored.push(hex(envelopeId(n)))
          }
          return outcome.status
        }
        expect(await deposit(0, 100)).toBe('stored')
        place.fillUpTo(TORN_FREE_BYTES)
        // larger than what is free: the append fails part way
        expect(await deposit(1, TORN_PAYLOAD_BYTES)).toBe('refused')
        expect(await deposit(2, TORN_PAYLOAD_BYTES)).toBe('refused')
        place.free()
        time.advance(DEFAULT_REOPEN_INTERVAL_MS)
        for (let n = 3; n < 23; n++) {
          expect(await deposit(n, 500)).toBe('stored')
        }
        await storage.close()
        storage = await open()
        const listed = await storage.mailbox.list(box, { limit: 100 })
        expect(listed.map((e) => hex(e.envelopeId))).toEqual(stored)
      } finally {
        await storage.close()
        place.remove()
      }
    },
    15_000,
  )
})
