/**
 * The pending state of one atomic batch, over the committed database (or over the batch still being
 * written before it: `parent`). Keys a batch must read are loaded up front with one `getMany` and kept
 * in an overlay, so later requests in the same batch see the writes of earlier ones; keys that are
 * only ever written (payloads, index entries) are appended blind, in order. `operations()` gives the
 * batch. `mark`/`rollback` undo the changes of one request that failed half-way, so the others still
 * commit.
 */
import { byteKey } from './binary.js'
import type { BinaryOperation, Keyspace } from './database.js'

/** What a key loaded with `loadPresence` reads as while it exists: not its stored value. */
export const PRESENT: Uint8Array = new Uint8Array(0)

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
  readonly #ks: Keyspace
  readonly #entries = new Map<string, Entry>()
  readonly #undo: Array<{ id: string; previous: Entry | undefined }> = []
  readonly #blind: BinaryOperation[] = []
  readonly #parent: WriteSet | undefined

  /**
   * `parent`: a batch whose write may still be under way; its overlay is read before the database
   * (the keys it writes are exactly the ones a read from the database might miss).
   */
  constructor(ks: Keyspace, parent?: WriteSet) {
    this.#ks = ks
    this.#parent = parent
  }

  /** Reads every key not yet known to this set, in one round trip. */
  async load(keys: Iterable<Uint8Array>): Promise<void> {
    const missing = this.#missing(keys)
    if (missing.size === 0) {
      return
    }
    const values = await this.#ks.getMany([...missing.values()])
    let i = 0
    for (const [id, key] of missing) {
      // never overwrite what the batch wrote meanwhile
      if (!this.#entries.has(id)) {
        this.#entries.set(id, { key, value: values[i], dirty: false })
      }
      i++
    }
  }

  /**
   * Reads whether each key not yet known to this set exists, without its value (one round trip). A key
   * loaded this way reads as PRESENT (not its stored bytes) until the batch writes it: for callers that
   * only test `!== undefined`, such as the queue entries (with 1 KiB payloads inline) an ack removes.
   */
  async loadPresence(keys: Iterable<Uint8Array>): Promise<void> {
    const missing = this.#missing(keys)
    if (missing.size === 0) {
      return
    }
    const present = await this.#ks.hasMany([...missing.values()])
    let i = 0
    for (const [id, key] of missing) {
      if (!this.#entries.has(id)) {
        this.#entries.set(id, { key, value: present[i] === true ? PRESENT : undefined, dirty: false })
      }
      i++
    }
  }

  /** The keys not yet known to this set (those the parent batch knows are taken over from it). */
  #missing(keys: Iterable<Uint8Array>): Map<string, Uint8Array> {
    const missing = new Map<string, Uint8Array>()
    for (const key of keys) {
      const id = byteKey(key)
      if (this.#entries.has(id)) {
        continue
      }
      const inherited = this.#parent === undefined ? undefined : this.#parent.#entries.get(id)
      if (inherited !== undefined) {
        this.#entries.set(id, { key, value: inherited.value, dirty: false })
      } else {
        missing.set(id, key)
      }
    }
    return missing
  }

  /** The value as this batch sees it. The key must have been loaded or written through `put`/`del`. */
  get(key: Uint8Array): Uint8Array | undefined {
    const entry = this.#entries.get(byteKey(key))
    if (entry === undefined) {
      throw new UnloadedKeyError('write set read a key it did not load')
    }
    return entry.value
  }

  /** The value if this set knows the key (loaded or written), else undefined without reading. */
  peek(key: Uint8Array): Uint8Array | undefined {
    return this.#entries.get(byteKey(key))?.value
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#set(key, value)
  }

  del(key: Uint8Array): void {
    this.#set(key, undefined)
  }

  /** A write to a key that no request of the batch reads (blind keys and overlay keys never overlap). */
  putBlind(key: Uint8Array, value: Uint8Array): void {
    this.#blind.push({ type: 'put', key, value })
  }

  delBlind(key: Uint8Array): void {
    this.#blind.push({ type: 'del', key })
  }

  #set(key: Uint8Array, value: Uint8Array | undefined): void {
    const id = byteKey(key)
    this.#undo.push({ id, previous: this.#entries.get(id) })
    this.#entries.set(id, { key, value, dirty: true })
  }

  /** A point to roll back to. */
  mark(): { undo: number; blind: number } {
    return { undo: this.#undo.length, blind: this.#blind.length }
  }

  /** Undoes every write since `mark`. */
  rollback(mark: { undo: number; blind: number }): void {
    while (this.#undo.length > mark.undo) {
      const { id, previous } = this.#undo.pop()!
      if (previous === undefined) {
        this.#entries.delete(id)
      } else {
        this.#entries.set(id, previous)
      }
    }
    this.#blind.length = mark.blind
  }

  /** The batch: blind writes in the order made, then the final value of every changed overlay key. */
  operations(): BinaryOperation[] {
    const ops = this.#blind.slice()
    for (const entry of this.#entries.values()) {
      if (entry.dirty) {
        ops.push(
          entry.value === undefined
            ? { type: 'del', key: entry.key }
            : { type: 'put', key: entry.key, value: entry.value },
        )
      }
    }
    return ops
  }
}
