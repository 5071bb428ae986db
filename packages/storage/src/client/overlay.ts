/**
 * A unit of work's pending writes over the committed database: reads see the unit's own puts and
 * deletes first (point reads and ordered range reads alike, merged with the database's entries), and
 * `operations()` gives the final put or delete of every key the unit changed, for one batch.
 */
import { byteKey, copyBytes } from '../binary.js'
import type { BinaryOperation } from '../database.js'
import { compareBytes, type Entry, inRange, type KeyRange, type Sink, type Source } from './source.js'

export interface Pending {
  readonly key: Uint8Array
  /** undefined: deleted. */
  readonly value: Uint8Array | undefined
}

/**
 * The entries of `base` in `range` with `pending` writes laid over them (a pending put replaces or
 * adds an entry, a pending delete hides one), in key order (or reverse). `pending` is read at once.
 */
export async function* mergeEntries(
  base: Source,
  pending: Iterable<Pending>,
  range: KeyRange,
): AsyncGenerator<Entry> {
  const reverse = range.reverse === true
  const ahead = (a: Uint8Array, b: Uint8Array): boolean =>
    reverse ? compareBytes(a, b) > 0 : compareBytes(a, b) < 0
  const mine = [...pending]
    .filter((p) => inRange(p.key, range))
    .sort((a, b) => (reverse ? compareBytes(b.key, a.key) : compareBytes(a.key, b.key)))
  let i = 0
  for await (const [key, value] of base.entries(range)) {
    while (i < mine.length && ahead(mine[i]!.key, key)) {
      const p = mine[i++]!
      if (p.value !== undefined) {
        yield [p.key, copyBytes(p.value)]
      }
    }
    const p = mine[i]
    if (p !== undefined && compareBytes(p.key, key) === 0) {
      i++
      if (p.value !== undefined) {
        yield [p.key, copyBytes(p.value)]
      }
      continue
    }
    yield [key, value]
  }
  for (; i < mine.length; i++) {
    const p = mine[i]!
    if (p.value !== undefined) {
      yield [p.key, copyBytes(p.value)]
    }
  }
}

export class Overlay implements Source, Sink {
  readonly #base: Source
  readonly #pending = new Map<string, Pending>()
  readonly #check: () => void

  /** `check` runs before every read and write (the unit throws there once it is closed). */
  constructor(base: Source, check: () => void) {
    this.#base = base
    this.#check = check
  }

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    this.#check()
    const pending = this.#pending.get(byteKey(key))
    if (pending !== undefined) {
      return pending.value === undefined ? undefined : copyBytes(pending.value)
    }
    return this.#base.get(key)
  }

  entries(range: KeyRange): AsyncGenerator<Entry> {
    this.#check()
    return mergeEntries(this.#base, this.#pending.values(), range)
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.#check()
    this.#pending.set(byteKey(key), { key, value })
  }

  del(key: Uint8Array): void {
    this.#check()
    this.#pending.set(byteKey(key), { key, value: undefined })
  }

  get size(): number {
    return this.#pending.size
  }

  /** The batch: one operation per changed key. */
  operations(): BinaryOperation[] {
    const ops: BinaryOperation[] = []
    for (const { key, value } of this.#pending.values()) {
      ops.push(value === undefined ? { type: 'del', key } : { type: 'put', key, value })
    }
    return ops
  }
}
