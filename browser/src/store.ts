/**
 * The device's store in the browser: one IndexedDB database through browser-level (with a read
 * cache, cached-store.ts), whose write transactions ask for strict durability (flushed before they complete, so nothing is acknowledged to
 * a relay or a peer that a crash could still lose), the marker that tells an evicted store from a new
 * one, and what the page can learn about its quota.
 */
import { BrowserLevel } from 'browser-level'
import { CachedBrowserLevel } from './cached-store.js'
import { EVICTION_MARKER_MAX_AGE_S, EVICTION_MARKER_PREFIX, STORAGE_NEARLY_FULL_RATIO } from './constants.js'
import { UnsupportedBrowserError } from './errors.js'

/** IndexedDB write durability: 'strict' flushes before a transaction completes. */
export type Durability = 'strict' | 'relaxed'

export type Store = BrowserLevel<Uint8Array, Uint8Array>

/**
 * Opens (creating it if missing) the store called `name`, with the read cache of cached-store.ts
 * unless `readCache` is false.
 */
export async function openStore(name: string, durability: Durability, readCache = true): Promise<Store> {
  if (typeof indexedDB === 'undefined') {
    throw new UnsupportedBrowserError('this page has no IndexedDB')
  }
  const options = { keyEncoding: 'view', valueEncoding: 'view' } as const
  const db = readCache
    ? new CachedBrowserLevel(name, options)
    : new BrowserLevel<Uint8Array, Uint8Array>(name, options)
  await db.open()
  // browser-level exposes its IDBDatabase as `db` once open (not in its type declarations)
  requireDurability((db as unknown as { db: IDBDatabase }).db, durability)
  return db
}

/**
 * browser-level opens its transactions without options; this makes its write transactions ask for
 * `durability` (Chromium's default is 'relaxed': completed before the data is flushed).
 */
function requireDurability(idb: IDBDatabase, durability: Durability): void {
  const open = idb.transaction.bind(idb)
  Object.defineProperty(idb, 'transaction', {
    configurable: true,
    value: (stores: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) =>
      open(stores, mode, mode === 'readwrite' ? { durability, ...options } : options),
  })
}

/** Deletes the store called `name` and its marker (a reset before linking this browser again). */
export async function deleteStore(name: string): Promise<void> {
  clearMarker(name)
  await new Promise<void>((resolve, reject) => {
    // browser-level's database name is its prefix and the location
    const request = indexedDB.deleteDatabase(`level-js-${name}`)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error ?? new UnsupportedBrowserError('deleting the store failed'))
    request.onblocked = () => resolve() // completes once the other connections close
  })
}

function markerKey(name: string): string {
  return `${EVICTION_MARKER_PREFIX}${encodeURIComponent(name)}`
}

/** Records that store `name` holds an account. */
export function setMarker(name: string): void {
  const key = markerKey(name)
  try {
    globalThis.localStorage?.setItem(key, '1')
  } catch {
    // storage disabled: the cookie still carries the marker
  }
  if (typeof document !== 'undefined') {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser yet
    document.cookie = `${key}=1; max-age=${EVICTION_MARKER_MAX_AGE_S}; path=/; SameSite=Strict`
  }
}

/** True when store `name` once held an account. */
export function hasMarker(name: string): boolean {
  const key = markerKey(name)
  let stored = false
  try {
    stored = globalThis.localStorage?.getItem(key) === '1'
  } catch {
    stored = false
  }
  const cookie = typeof document !== 'undefined' && document.cookie.split('; ').some((c) => c === `${key}=1`)
  return stored || cookie
}

function clearMarker(name: string): void {
  const key = markerKey(name)
  try {
    globalThis.localStorage?.removeItem(key)
  } catch {
    // nothing to clear
  }
  if (typeof document !== 'undefined') {
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is not in every browser yet
    document.cookie = `${key}=; max-age=0; path=/; SameSite=Strict`
  }
}

export interface StorageStatus {
  /** Bytes this origin uses, when the browser says. */
  readonly usage: number | undefined
  /** Bytes this origin may use, when the browser says. */
  readonly quota: number | undefined
  /** True when the browser promised not to evict this origin's storage. */
  readonly persisted: boolean
  /** True above STORAGE_NEARLY_FULL_RATIO of the quota: writes (and so receiving) may soon fail. */
  readonly nearlyFull: boolean
}

export async function storageStatus(): Promise<StorageStatus> {
  const manager = globalThis.navigator?.storage
  const estimate = await manager?.estimate?.().catch(() => undefined)
  const persisted = (await manager?.persisted?.().catch(() => false)) ?? false
  const usage = estimate?.usage
  const quota = estimate?.quota
  const nearlyFull =
    usage !== undefined && quota !== undefined && quota > 0 && usage / quota > STORAGE_NEARLY_FULL_RATIO
  return { usage, quota, persisted, nearlyFull }
}

/** Asks the browser not to evict this origin's storage (it may decline; nothing else changes). */
export async function requestPersistence(): Promise<boolean> {
  return (await globalThis.navigator?.storage?.persist?.().catch(() => false)) ?? false
}
