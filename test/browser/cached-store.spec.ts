/**
 * The store's read cache (browser/src/cached-store.ts), in Chromium over real IndexedDB: random puts,
 * deletes, batches, clears and reads (single, many, iterators), with reads racing the writes they
 * overlap, always answer what a model of the store holds; a second, uncached handle on the same
 * database agrees at the end; and the cache serves repeated reads without going to IndexedDB.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { builtPages } from './helpers/build.js'
import { chromiumAvailable, newProfile, openHarness, type Profile } from './helpers/chromium.js'

/** Random operations per run (each run is one page.evaluate). */
const OPERATIONS = 600

// skipped where Debian's Chromium is not installed (.ci/run installs it)
describe.skipIf(!chromiumAvailable())('the store read cache', () => {
  let profile: Profile
  let page: Page

  beforeAll(async () => {
    profile = newProfile(await builtPages())
    page = await openHarness(await profile.launch(), profile)
  }, 120_000)

  afterAll(async () => {
    await profile?.dispose()
  })

  it('answers every read as the store holds it, with reads racing writes', async () => {
    const result = await page.evaluate(async (operations) => {
      const { CachedBrowserLevel } = harness.internals
      const options = { keyEncoding: 'view', valueEncoding: 'view' } as const
      const db = new CachedBrowserLevel('cache-model', options)
      await db.open()
      let seed = 0x9e3779b9
      const random = (n: number) => {
        seed ^= seed << 13
        seed ^= seed >>> 17
        seed ^= seed << 5
        return (seed >>> 0) % n
      }
      const key = () => new Uint8Array([1, random(24)])
      const value = () => Uint8Array.from({ length: 1 + random(40) }, () => random(256))
      const hex = (b: Uint8Array | undefined) => (b === undefined ? '-' : Array.from(b).join(','))
      const model = new Map<string, Uint8Array>()
      const mismatches: string[] = []
      const check = (
        what: string,
        k: Uint8Array,
        got: Uint8Array | undefined,
        want: Uint8Array | undefined,
      ) => {
        if (hex(got) !== hex(want)) {
          mismatches.push(`${what} ${hex(k)}: ${hex(got)} != ${hex(want)}`)
        }
      }
      for (let i = 0; i < operations; i++) {
        const op = random(10)
        if (op < 3) {
          const k = key()
          check('get', k, await db.get(k), model.get(hex(k)))
        } else if (op === 3) {
          const ks = [key(), key(), key()]
          const got = await db.getMany(ks)
          for (const [j, k] of ks.entries()) {
            check('getMany', k, got[j], model.get(hex(k)))
          }
        } else if (op < 6) {
          const k = key()
          const v = value()
          const wanted = v.slice()
          // a read issued while the write runs sees the written value (IndexedDB orders it after)
          const writing = db.put(k, v)
          v.fill(0) // the caller reuses its buffer: the store keeps its own copy
          model.set(hex(k), wanted)
          const during = db.get(k)
          await writing
          check('get during put', k, await during, wanted)
        } else if (op === 6) {
          const k = key()
          await db.del(k)
          model.delete(hex(k))
        } else if (op === 7) {
          const ops = Array.from({ length: 1 + random(5) }, () =>
            random(3) === 0
              ? { type: 'del' as const, key: key() }
              : { type: 'put' as const, key: key(), value: value() },
          )
          const racing = ops.map((o) => db.get(o.key))
          await db.batch(ops)
          await Promise.all(racing)
          for (const o of ops) {
            if (o.type === 'put') {
              model.set(hex(o.key), o.value)
            } else {
              model.delete(hex(o.key))
            }
          }
        } else if (op === 8) {
          const seen = new Map<string, Uint8Array>()
          for await (const [k, v] of db.iterator()) {
            seen.set(hex(k), v)
          }
          if (seen.size !== model.size || [...model].some(([k, v]) => hex(seen.get(k)) !== hex(v))) {
            mismatches.push(`iterator: ${seen.size} entries, model ${model.size}`)
          }
        } else if (random(20) === 0) {
          await db.clear()
          model.clear()
        } else {
          const k = key()
          const got = await db.get(k)
          got?.fill(255) // a caller changing what it read does not change the store
          check('get again', k, await db.get(k), model.get(hex(k)))
        }
      }
      const stats = { ...db.stats }
      await db.close()
      // what reached IndexedDB, read without the cache
      const plain = new harness.internals.BrowserLevel<Uint8Array, Uint8Array>('cache-model', options)
      const stored = new Map<string, string>()
      for await (const [k, v] of plain.iterator()) {
        stored.set(hex(k), hex(v))
      }
      await plain.close()
      const agrees = stored.size === model.size && [...model].every(([k, v]) => stored.get(k) === hex(v))
      return { mismatches, stats, agrees }
    }, OPERATIONS)
    expect(result.mismatches).toEqual([])
    expect(result.agrees).toBe(true)
    expect(result.stats.hits).toBeGreaterThan(0)
  })
})
