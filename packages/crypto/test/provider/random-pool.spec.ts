import { describe, expect, it } from 'vitest'
import { RANDOM_POOL_BYTES, RANDOM_POOL_MAX_DRAW_BYTES } from '../../src/provider/checks.js'
import { nodeProvider } from '../../src/provider/node.js'
import { createRandomPool } from '../../src/provider/random-pool.js'

/** A fill function writing 1, 2, 3, ... (mod 256) across calls, that remembers the arrays it filled. */
function countingFill() {
  let next = 1
  const filled: Uint8Array[] = []
  return {
    filled,
    fill(target: Uint8Array) {
      filled.push(target)
      for (let i = 0; i < target.byteLength; i++) {
        target[i] = next++ & 0xff
      }
    },
  }
}

describe('random pool', () => {
  it('hands out the fill output in order, each byte once, in arrays of their own', () => {
    const source = countingFill()
    const draw = createRandomPool(source.fill, 16, 8)
    const a = draw(5)
    const b = draw(8)
    expect([...a]).toEqual([1, 2, 3, 4, 5])
    expect([...b]).toEqual([6, 7, 8, 9, 10, 11, 12, 13])
    for (const out of [a, b]) {
      expect(out.byteOffset).toBe(0)
      expect(out.buffer.byteLength).toBe(out.byteLength)
    }
    // 3 bytes left: a 4-byte draw refills the whole buffer and never reuses what was left
    expect([...draw(4)]).toEqual([17, 18, 19, 20])
    expect(source.filled).toHaveLength(2)
  })

  it('zeroes what it handed out: the buffer holds only bytes still to come', () => {
    const source = countingFill()
    const draw = createRandomPool(source.fill, 16, 8)
    draw(6)
    const pool = source.filled[0]!
    expect([...pool.subarray(0, 6)]).toEqual([0, 0, 0, 0, 0, 0])
    expect([...pool.subarray(6, 8)]).toEqual([7, 8])
    const out = draw(2)
    out.fill(0xaa) // the caller's array is not the buffer
    expect([...pool.subarray(0, 9)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 9])
  })

  it('draws above the limit come straight from the fill function, and zero-length draws work', () => {
    const source = countingFill()
    const draw = createRandomPool(source.fill, 16, 8)
    const big = draw(9)
    expect(big.byteLength).toBe(9)
    expect(source.filled).toEqual([big])
    expect(draw(0).byteLength).toBe(0)
    expect(draw(8).byteLength).toBe(8)
  })

  it('node provider: draws around the buffer size and limit are distinct and of the right length', () => {
    const seen = new Set<string>()
    const lengths = [12, 32, RANDOM_POOL_MAX_DRAW_BYTES, RANDOM_POOL_MAX_DRAW_BYTES + 1, 1, 0]
    for (let i = 0; i < (3 * RANDOM_POOL_BYTES) / 12; i++) {
      for (const length of lengths) {
        const bytes = nodeProvider.randomBytes(length)
        expect(bytes.byteLength).toBe(length)
        if (length >= 12) {
          const text = Buffer.from(bytes).toString('hex')
          expect(seen.has(text)).toBe(false)
          seen.add(text)
        }
      }
    }
  })
})
