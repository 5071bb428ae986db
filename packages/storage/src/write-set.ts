/**
 * The pending state of one atomic batch: an overlay of the keys a batch reads and writes, over the
 * committed database. Reads are loaded up front with one `getMany`; later requests in the same batch
 * see the writes of earlier ones; `operations()` gives the final put/del of every changed key.
 * `mark`/`rollback` undo the changes of one request that failed half-way, so the others still commit.
 */
import { byteKey } from './binary.js'
import type { BinaryLevel, BinaryOperation } from './database.js'

interface Entry {
  key: Uint8Array
  value: Uint8Array | undefined
  dirty: boolean
}

/** Thrown when code reads a key it did not load first: a bug in the caller, never a data problem. */
export class UnloadedKeyError extends Error {
  override readonly name = 'UnloadedKeyError'
}

export class WriteSet {
  readonly #level: BinaryLevel
  readonly #entries = new Map<string, Entry>()
  readonly #undo: Array<{ id: string; previous: Entry | undefined }> = []

  constructor(level: BinaryLevel) {
    this.#level = level
  }

  /** Reads every key not yet known to this set, in one round trip. */
  async load(keys: Iterable<Uint8Array>): Promise<void> {
    const missing = new Map<string, Uint8Array>()
    for (const key of keys) {
      const id = byteKey(key)
      if (!this.#entries.has(id)) {
        missing.set(id, key)
      }
    }
    if (missing.size === 0) {
      return
    }
    const ids = [...missing.keys()]
    const values = await this.#level.getMany([...missing.values()])
    ids.forEach((id, i) => {
      // a concurrent load may have filled it (never overwrite a pending write)
      if (!this.#entries.has(id)) {
        this.#entries.set(id, { key: missing.get(id)!, value: values[i], dirty: false })
      }
    })
  }

  /** The value as this batch sees it. The key must have been loaded or written in this set. */
  get(key: Uint8Array): Uint8Array | undefined {
    const entry = this.#entries.get(byteKey(key))
    if (entry === undefined) {
      throw new UnloadedKeyError('write set read a key it did not load')
    }
    return entry.value
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#set(key, value)
  }

  del(key: Uint8Array): void {
    this.#set(key, undefined)
  }

  #set(key: Uint8Array, value: Uint8Array | undefined): void {
    const id = byteKey(key)
    this.#undo.push({ id, previous: this.#entries.get(id) })
    this.#entries.set(id, { key, value, dirty: true })
  }

  /** A point to roll back to. */
  mark(): number {
    return this.#undo.length
  }

  /** Undoes every put/del since `mark`. */
  rollback(mark: number): void {
    while (this.#undo.length > mark) {
      const { id, previous } = this.#undo.pop()!
      if (previous === undefined) {
        this.#entries.delete(id)
      } else {
        this.#entries.set(id, previous)
      }
    }
  }

  /** The final operation of every changed key. */
  operations(): BinaryOperation[] {
    const ops: BinaryOperation[] = []
    for (const entry of this.#entries.values()) {
      if (!entry.dirty) {
        continue
      }
      ops.push(
        entry.value === undefined
          ? { type: 'del', key: entry.key }
          : { type: 'put', key: entry.key, value: entry.value },
      )
    }
    return ops
  }
}
