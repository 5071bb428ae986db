import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  equalBytes,
  MAX_CONTENT_BYTES,
  MalformedError,
  OversizedError,
  PADDING_BLOCK_BYTES,
  pad,
  unpad,
} from '../src/index.js'

/** Plaintext that ends the way padding does (zeros, a 0x80), the hardest case for unpad. */
function awkward(length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    out[i] = i % 3 === 0 ? 0x80 : 0
  }
  return out
}

describe('padding', () => {
  it('pad/unpad round-trips every length from 0 to 1024', () => {
    for (let length = 0; length <= 1024; length++) {
      for (const plaintext of [awkward(length), new Uint8Array(length).fill(0xff), new Uint8Array(length)]) {
        // compared without expect in the loop: 3,075 deep-equals of typed arrays would take seconds
        if (!equalBytes(unpad(pad(plaintext)), plaintext)) {
          expect.fail(`length ${length} does not round-trip`)
        }
      }
    }
  })

  it('pad/unpad round-trips random plaintexts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (plaintext) => {
        expect(unpad(pad(plaintext))).toEqual(plaintext)
      }),
    )
  })

  it('round-trips near MAX_CONTENT_BYTES, and one byte more is refused as oversized', () => {
    // the marker byte needs room: MAX_CONTENT_BYTES - 1 bytes is the longest plaintext that pads
    for (const length of [
      MAX_CONTENT_BYTES - PADDING_BLOCK_BYTES,
      MAX_CONTENT_BYTES - 2,
      MAX_CONTENT_BYTES - 1,
    ]) {
      const plaintext = awkward(length)
      const padded = pad(plaintext)
      expect(padded.byteLength).toBe(MAX_CONTENT_BYTES)
      expect(equalBytes(unpad(padded), plaintext)).toBe(true)
    }
    expect(() => pad(new Uint8Array(MAX_CONTENT_BYTES))).toThrow(OversizedError)
    expect(() => pad(new Uint8Array(MAX_CONTENT_BYTES + 1))).toThrow(OversizedError)
  })

  it('bucket sizes are multiples of PADDING_BLOCK_BYTES: the smallest bucket with room for the marker', () => {
    for (let length = 0; length < MAX_CONTENT_BYTES; length += 61) {
      const padded = pad(new Uint8Array(length))
      expect(padded.byteLength % PADDING_BLOCK_BYTES).toBe(0)
      expect(padded.byteLength).toBeGreaterThan(length)
      expect(padded.byteLength - PADDING_BLOCK_BYTES).toBeLessThanOrEqual(length)
    }
  })

  it('every plaintext length inside one bucket pads to the same size', () => {
    const sizes = new Set<number>()
    for (let length = PADDING_BLOCK_BYTES; length < 2 * PADDING_BLOCK_BYTES; length++) {
      sizes.add(pad(new Uint8Array(length)).byteLength)
    }
    expect([...sizes]).toEqual([2 * PADDING_BLOCK_BYTES])
  })

  it('pads to a caller-chosen block size', () => {
    for (const block of [1, 16, 160, 1000]) {
      for (const length of [0, 1, 159, 160, 161, 999, 1000]) {
        const padded = pad(awkward(length), block)
        expect(padded.byteLength % block).toBe(0)
        expect(padded.byteLength).toBeGreaterThan(length)
        expect(unpad(padded)).toEqual(awkward(length))
      }
    }
  })

  it('refuses a block size that is not a positive integer', () => {
    for (const block of [0, -1, -256, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => pad(new Uint8Array(3), block), `block ${block}`).toThrow(MalformedError)
    }
  })

  it('unpad of garbage → MalformedError', () => {
    expect(() => unpad(new Uint8Array(0))).toThrow(MalformedError)
    expect(() => unpad(new Uint8Array(PADDING_BLOCK_BYTES))).toThrow(MalformedError)
    expect(() => unpad(Uint8Array.of(1, 2, 3, 0, 0))).toThrow(MalformedError)
    expect(() => unpad(Uint8Array.of(0x80, 0x81))).toThrow(MalformedError)
    // any input whose last non-zero byte is not 0x80
    const garbage = fc
      .tuple(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 255 }), fc.nat({ max: 300 }))
      .filter(([, last]) => last !== 0x80)
      .map(([head, last, zeros]) => Uint8Array.from([...head, last, ...new Uint8Array(zeros)]))
    fc.assert(
      fc.property(garbage, (bytes) => {
        expect(() => unpad(bytes)).toThrow(MalformedError)
      }),
    )
  })

  it('unpad of an input longer than MAX_CONTENT_BYTES → OversizedError, before it is scanned', () => {
    const tooLong = new Uint8Array(MAX_CONTENT_BYTES + PADDING_BLOCK_BYTES)
    tooLong[0] = 0x80
    expect(() => unpad(tooLong)).toThrow(OversizedError)
  })

  it('pad never changes its input', () => {
    const plaintext = awkward(100)
    const copy = plaintext.slice()
    pad(plaintext)
    expect(plaintext).toEqual(copy)
  })
})
