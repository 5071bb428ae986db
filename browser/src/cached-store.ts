/**
 * A read cache in front of IndexedDB. browser-level opens one IndexedDB transaction per read, and
 * every transaction is a round trip to the browser's storage process: a message costs the sender
 * some forty of them and the receiver twenty, most of them reading the same few records (the
 * account, sessions, identities) again. One writer per store (the Web Lock) makes caching safe: no
 * other tab writes while this one holds the store.
 *
 * Owns: what is cached and when it may be trusted. A write first drops its keys from the cache, so
 * reads during the write go to IndexedDB (which orders them after the write), and puts its values in
 * only once the write completed; a read stores its result only if no write started or finished while
 * it ran (IndexedDB already orders each read before or after each write; this keeps the cache right
 * whatever order their completions are seen in). Values are copied in and out (callers may reuse or change their buffers). Bounded by
 * STORE_CACHE_MAX_ENTRIES and STORE_CACHE_MAX_BYTES, least recently used first out.
 */
import { BrowserLevel } from 'browser-level'
import { STORE_CACHE_MAX_BYTES, STORE_CACHE_MAX_ENTRIES, STORE_CACHE_MAX_VALUE_BYTES } from './constants.js'

type Operation = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array }

/** browser-level's own methods, which its type declarations leave out. */
interface Internals {
  _get(key: Uint8Array, options: unknown): Promise<Uint8Array | undefined>
  _getMany(keys: Uint8Array[], options: unknown): Promise<Array<Uint8Array | undefined>>
  _has(key: Uint8Array, options: unknown): Promise<boolean>
  _put(key: Uint8Array, value: Uint8Array, options: unknown): Promise<void>
  _del(key: Uint8Array, options: unknown): Promise<void>
  _batch(operations: Operation[], options: unknown): Promise<void>
  _clear(options: unknown): Promise<void>
}

const base = BrowserLevel.prototype as unknown as Internals

function keyOf(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) {
    text += String.fromCharCode(byte)
  }
  return text
}

export class CachedBrowserLevel extends BrowserLevel<Uint8Array, Uint8Array> {
  /** Key (one character per byte) to value, or null for a key known to be absent. Insertion order is recency. */
  readonly #cache = new Map<string, Uint8Array | null>()
  #bytes = 0
  /** Bumped when a write starts and when it ends: a read that saw it change does not cache. */
  #epoch = 0
  #writing = 0

  /** Reads served from the cache, and those that went to IndexedDB. */
  readonly stats = { hits: 0, misses: 0 }

  async _get(key: Uint8Array, options: unknown): Promise<Uint8Array | undefined> {
    const id = keyOf(key)
    const cached = this.#cache.get(id)
    if (cached !== undefined) {
      this.stats.hits++
      this.#touch(id, cached)
      return cached === null ? undefined : cached.slice()
    }
    this.stats.misses++
    const epoch = this.#epoch
    const value = await base._get.call(this, key, options)
    this.#remember(epoch, id, value)
    return value
  }

  async _getMany(keys: Uint8Array[], options: unknown): Promise<Array<Uint8Array | undefined>> {
    const ids = keys.map(keyOf)
    const out: Array<Uint8Array | undefined> = new Array(keys.length)
    const missing: number[] = []
    ids.forEach((id, i) => {
      const cached = this.#cache.get(id)
      if (cached === undefined) {
        missing.push(i)
      } else {
        this.stats.hits++
        this.#touch(id, cached)
        out[i] = cached === null ? undefined : cached.slice()
      }
    })
    if (missing.length > 0) {
      this.stats.misses += missing.length
      const epoch = this.#epoch
      const values = await base._getMany.call(
        this,
        missing.map((i) => keys[i]!),
        options,
      )
      missing.forEach((i, j) => {
        out[i] = values[j]
        this.#remember(epoch, ids[i]!, values[j])
      })
    }
    return out
  }

  async _has(key: Uint8Array, options: unknown): Promise<boolean> {
    const cached = this.#cache.get(keyOf(key))
    return cached === undefined ? base._has.call(this, key, options) : cached !== null
  }

  async _put(key: Uint8Array, value: Uint8Array, options: unknown): Promise<void> {
    await this.#write([{ type: 'put', key, value }], () => base._put.call(this, key, value, options))
  }

  async _del(key: Uint8Array, options: unknown): Promise<void> {
    await this.#write([{ type: 'del', key }], () => base._del.call(this, key, options))
  }

  async _batch(operations: Operation[], options: unknown): Promise<void> {
    await this.#write(operations, () => base._batch.call(this, operations, options))
  }

  async _clear(options: unknown): Promise<void> {
    this.#epoch++
    this.#writing++
    this.#dropAll()
    try {
      await base._clear.call(this, options)
    } finally {
      this.#writing--
      this.#epoch++
    }
  }

  async #write(operations: readonly Operation[], run: () => Promise<void>): Promise<void> {
    this.#epoch++
    this.#writing++
    const written = operations.map((op) => ({
      id: keyOf(op.key),
      value: op.type === 'put' ? op.value.slice() : null,
    }))
    for (const { id } of written) {
      this.#drop(id)
    }
    try {
      await run()
      // later operations on the same key win, as in the batch itself
      for (const { id, value } of written) {
        this.#drop(id)
        this.#store(id, value)
      }
    } finally {
      this.#writing--
      this.#epoch++
    }
  }

  #remember(epoch: number, id: string, value: Uint8Array | undefined): void {
    if (epoch === this.#epoch && this.#writing === 0 && !this.#cache.has(id)) {
      this.#store(id, value === undefined ? null : value.slice())
    }
  }

  #store(id: string, value: Uint8Array | null): void {
    const size = (value?.byteLength ?? 0) + id.length
    if (size > STORE_CACHE_MAX_VALUE_BYTES) {
      return
    }
    this.#cache.set(id, value)
    this.#bytes += size
    while (this.#cache.size > STORE_CACHE_MAX_ENTRIES || this.#bytes > STORE_CACHE_MAX_BYTES) {
      const oldest = this.#cache.keys().next()
      if (oldest.done === true) {
        break
      }
      this.#drop(oldest.value)
    }
  }

  #touch(id: string, value: Uint8Array | null): void {
    this.#cache.delete(id)
    this.#cache.set(id, value)
  }

  #drop(id: string): void {
    const value = this.#cache.get(id)
    if (value !== undefined) {
      this.#bytes -= (value?.byteLength ?? 0) + id.length
      this.#cache.delete(id)
    }
  }

  #dropAll(): void {
    this.#cache.clear()
    this.#bytes = 0
  }
}
