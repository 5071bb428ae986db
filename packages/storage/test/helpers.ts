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
 * Wraps `db.batch` (array form): counts calls and their `sync` option, and fails the next `failNext`
 * calls with an I/O-like error before anything is written.
 */
export function instrumentBatches(db: Database): { calls: number; syncCalls: number; failNext: number } {
  const state = { calls: 0, syncCalls: 0, failNext: 0 }
  const original = db.batch.bind(db) as (...args: unknown[]) => unknown
  const patched = (...args: unknown[]): unknown => {
    if (Array.isArray(args[0])) {
      state.calls++
      if ((args[1] as { sync?: boolean } | undefined)?.sync === true) {
        state.syncCalls++
      }
      if (state.failNext > 0) {
        state.failNext--
        return Promise.reject(
          Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }),
        )
      }
    }
    return original(...args)
  }
  Object.defineProperty(db, 'batch', { value: patched, configurable: true, writable: true })
  return state
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'ferry-storage-'))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
