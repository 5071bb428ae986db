/**
 * addressKey: one string per (account key bytes, device number), whatever array holds the bytes, and
 * never a stale one for an array the caller changed after use.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromCharCodes, toHex } from '../src/bytes.js'
import { addressKey } from '../src/types.js'

describe('addressKey', () => {
  it('is the hex account key, a dot and the device number, for any key and device', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 0xffff_ffff }),
        (key, id) => {
          const expected = `${Buffer.from(key).toString('hex')}.${id}`
          expect(addressKey({ accountKey: key, deviceId: id })).toBe(expected)
          // again (remembered), and from another array with the same bytes
          expect(addressKey({ accountKey: key, deviceId: id })).toBe(expected)
          expect(addressKey({ accountKey: key.slice(), deviceId: id })).toBe(expected)
        },
      ),
    )
  })

  it('follows an account-key array changed in place', () => {
    const key = new Uint8Array(32).fill(1)
    expect(addressKey({ accountKey: key, deviceId: 2 })).toBe(`${'01'.repeat(32)}.2`)
    key.fill(0xab)
    expect(addressKey({ accountKey: key, deviceId: 2 })).toBe(`${'ab'.repeat(32)}.2`)
    key[31] = 0
    expect(addressKey({ accountKey: key, deviceId: 3 })).toBe(`${'ab'.repeat(31)}00.3`)
  })
})

describe('toHex', () => {
  it('gives two lower-case digits per byte, for every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(toHex(all)).toBe(Buffer.from(all).toString('hex'))
    expect(toHex(new Uint8Array(0))).toBe('')
    expect(toHex(all.subarray(250, 253))).toBe('fafbfc')
  })

  it('stays exact past one chunk of character codes (20,000 bytes)', () => {
    const long = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 37) & 0xff)
    expect(toHex(long)).toBe(Buffer.from(long).toString('hex'))
  })
})

describe('fromCharCodes', () => {
  it('gives one code unit per byte, across chunk boundaries, and distinct strings for distinct bytes', () => {
    const long = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 101) & 0xff)
    const text = fromCharCodes(long)
    expect(text.length).toBe(long.byteLength)
    expect(Buffer.from(text, 'latin1')).toEqual(Buffer.from(long))
    expect(fromCharCodes(new Uint8Array(0))).toBe('')
    const changed = long.slice()
    changed[19_999]! ^= 1
    expect(fromCharCodes(changed)).not.toBe(text)
  })
})

describe('addressKey with many device numbers', () => {
  it('stays exact past the number of device strings it remembers per key', () => {
    const key = new Uint8Array(32).fill(7)
    for (let id = 1; id <= 200; id++) {
      expect(addressKey({ accountKey: key, deviceId: id })).toBe(`${'07'.repeat(32)}.${id}`)
    }
    expect(addressKey({ accountKey: key, deviceId: 150 })).toBe(`${'07'.repeat(32)}.150`)
  })
})
