/**
 * Test support: IDs, an in-memory database, a batch counter / fault injector around a database's
 * `batch`, and temp directories for classic-level.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ID_BYTES, MAILBOX_ID_BYTES } from '@ferry/wire'
import { MemoryLevel } from 'memory-level'
import type { Database } from '../src/index.js'
import { recoveryOf } from '../src/recovery.js'

export const envelopeId = (n?: number): Uint8Array => {
  if (n === undefined) {
    return new Uint8Array(randomBytes(ID_BYTES))
  }
  const id = new Uint8Array(ID_BYTES)
  new DataView(id.buffer).setUint32(ID_BYTES - 4, n)
  id[0] = 0xe0
  return id
}

export const mailboxId = (n?: number): Uint8Array => {
  if (n === undefined) {
    return new Uint8Array(randomBytes(MAILBOX_ID_BYTES))
  }
  const id = new Uint8Array(MAILBOX_ID_BYTES)
  new DataView(id.buffer).setUint32(MAILBOX_ID_BYTES - 4, n)
  id[0] = 0xb0
  return id
}

export const payload = (size: number, fill = 7): Uint8Array => new Uint8Array(size).fill(fill)

export function memoryDb(): Database {
  return new MemoryLevel()
}

/** A settable clock. */
export function clock(start = 1_700_000_000_000): {
  now: () => number
  set: (t: number) => void
  advance: (ms: number) => void
} {
  let t = start
  return {
    now: () => t,
    set: (v) => {
      t = v
    },
    advance: (ms) => {
      t += ms
    },
  }
}

/**
 * Wraps `db.batch` (both the array form and the chained form's `write`): counts writes and those with
 * `sync: true`, and fails the next `failNext` writes with an I/O-like error before anything is written.
 */
export interface BatchProbe {
  calls: number
  syncCalls: number
  failNext: number
  /** Awaited before each write reaches the database (to hold a batch in flight); if it throws, the write fails. */
  gate?: () => Promise<void>
  /** Called once a write has completed. */
  onWritten?: () => void
}

/** An error like the one a full disk gives. */
export function ioError(): Error {
  return Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' })
}

export function instrumentBatches(db: Database): BatchProbe {
  const state: BatchProbe = { calls: 0, syncCalls: 0, failNext: 0 }
  const ioError = () =>
    Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' })
  const count = (options: unknown): boolean => {
    state.calls++
    if ((options as { sync?: boolean } | undefined)?.sync === true) {
      state.syncCalls++
    }
    if (state.failNext > 0) {
      state.failNext--
      return true
    }
    return false
  }
  const original = db.batch.bind(db) as (...args: unknown[]) => unknown
  const patched = (...args: unknown[]): unknown => {
    if (args.length === 0) {
      const chained = original() as {
        write: (options?: unknown) => Promise<void>
        close: () => Promise<void>
      }
      const write = chained.write.bind(chained)
      chained.write = async (options?: unknown) => {
        if (count(options)) {
          await chained.close()
          throw ioError()
        }
        try {
          await state.gate?.()
        } catch (err) {
          await chained.close()
          throw err
        }
        await write(options)
        state.onWritten?.()
      }
      return chained
    }
    if (count(args[1])) {
      return Promise.reject(ioError())
    }
    return (async () => {
      await state.gate?.()
      await original(...args)
      state.onWritten?.()
    })()
  }
  Object.defineProperty(db, 'batch', { value: patched, configurable: true, writable: true })
  return state
}

/**
 * For tests whose injected failures are one-offs: the database's recovery tries its reopen at every
 * failed write. By default two failures in a row with no success between them (which is what a test
 * failing one write after another looks like) make it wait DEFAULT_REOPEN_INTERVAL_MS before the next
 * attempt, refusing writes meanwhile (recovery.spec.ts tests that).
 */
export function reopenAtOnce(db: Database): Database {
  recoveryOf(db, { reopenIntervalMs: 0 })
  return db
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ferry-storage-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
