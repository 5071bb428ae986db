import { describe, expect, it } from 'vitest'
import * as wire from '../src/index.js'
import { Kind, kindName, type WireCodec } from '../src/index.js'

/**
 * A Kind with no codec exported from the package must say why here. Empty today: every kind frames
 * an object that some codec reads and writes.
 */
const KINDS_WITHOUT_CODEC: Readonly<Record<string, string>> = {}

function isCodec(value: unknown): value is WireCodec<unknown> {
  return (
    typeof value === 'object' && value !== null && 'kind' in value && 'encode' in value && 'decode' in value
  )
}

const codecs = Object.entries(wire as Record<string, unknown>).filter(
  (entry): entry is [string, WireCodec<unknown>] => isCodec(entry[1]),
)

describe('kinds', () => {
  it('no two Kind values are equal', () => {
    const values = Object.values(Kind)
    expect(new Set(values).size).toBe(values.length)
  })

  it('every Kind is a single byte other than 0', () => {
    for (const [name, value] of Object.entries(Kind)) {
      expect(Number.isInteger(value) && value >= 1 && value <= 0xff, name).toBe(true)
    }
  })

  it('kindName names every Kind, and a byte that is none', () => {
    for (const [name, value] of Object.entries(Kind)) {
      expect(kindName(value)).toBe(name)
    }
    expect(kindName(0xee)).toBe('unknown kind 0xee')
    expect(kindName(0)).toBe('unknown kind 0x00')
  })

  it('every Kind has a codec exported from the package, or a documented reason', () => {
    const withCodec = new Set(codecs.map(([, codec]) => codec.kind as number))
    for (const [name, value] of Object.entries(Kind)) {
      if (withCodec.has(value)) {
        expect(KINDS_WITHOUT_CODEC[name], `${name} has a codec: drop its exemption`).toBeUndefined()
        continue
      }
      const reason = KINDS_WITHOUT_CODEC[name]
      expect(
        reason,
        `Kind.${name} has no codec exported from @ferry/wire and no documented reason`,
      ).toBeTruthy()
    }
    for (const name of Object.keys(KINDS_WITHOUT_CODEC)) {
      expect(Object.keys(Kind), `exemption for a Kind that does not exist: ${name}`).toContain(name)
    }
  })

  it('no two codecs share a kind, and every codec kind is a Kind', () => {
    expect(codecs.length).toBeGreaterThan(0)
    const kinds = new Map<number, string>()
    const known = new Set<number>(Object.values(Kind))
    for (const [name, codec] of codecs) {
      expect(known.has(codec.kind), `${name} frames an unlisted kind`).toBe(true)
      expect(
        kinds.get(codec.kind),
        `${name} and ${kinds.get(codec.kind)} share kind ${codec.kind}`,
      ).toBeUndefined()
      kinds.set(codec.kind, name)
    }
  })
})
