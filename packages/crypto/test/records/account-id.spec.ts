import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { MAX_ADDR_LENGTH, MAX_RELAY_ADDRS } from '@ferry/wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toHex } from '../../src/bytes.js'
import { InvalidAccountIdError, InvalidInviteError } from '../../src/errors.js'
import { accountIdFromKey, formatInvite, parseAccountId, parseInvite } from '../../src/records/account-id.js'
import { bech32mDecode, bech32mEncode, bytesToWords } from '../../src/records/bech32m.js'
import { MAX_INVITE_LENGTH } from '../../src/records/constants.js'
import { ED25519_SMALL_ORDER_ENCODINGS } from '../../src/records/keys.js'
import { PROVIDERS } from './providers.js'

interface Bip350Vectors {
  valid: Array<{ string: string; hrp: string; words: number[] }>
  invalid: Array<{ string: string; reason: string }>
  bech32NotBech32m: string[]
}

const vectors = JSON.parse(
  readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), 'vectors', 'bip350.json'), 'utf8'),
) as Bip350Vectors

const provider = PROVIDERS[0]![1]

async function accountKey(): Promise<Uint8Array> {
  return (await provider.ed25519Keygen()).publicKey
}

/** Runs `fn` and returns what it threw (undefined when it returned). */
function thrown(fn: () => unknown): unknown {
  try {
    fn()
    return undefined
  } catch (err) {
    return err
  }
}

describe('bech32m (BIP-350 vectors)', () => {
  it.each(vectors.valid)('valid: $string', ({ string, hrp, words }) => {
    const decoded = bech32mDecode(string)
    expect(decoded.hrp).toBe(hrp)
    expect(decoded.words).toEqual(words)
    expect(bech32mEncode(hrp, words)).toBe(string.toLowerCase())
  })

  it.each(vectors.invalid)('invalid: $reason ($string)', ({ string }) => {
    expect(() => bech32mDecode(string)).toThrow(InvalidAccountIdError)
  })

  it.each(vectors.bech32NotBech32m)('a BIP-173 bech32 string is not bech32m: %s', (string) => {
    expect(() => bech32mDecode(string)).toThrow(/checksum/)
  })
})

describe('account IDs', () => {
  it('round-trip: 64 characters, prefix ferry1, back to the same key', async () => {
    for (let i = 0; i < 20; i++) {
      const key = await accountKey()
      const id = accountIdFromKey(key)
      expect(id).toHaveLength(64)
      expect(id.startsWith('ferry1')).toBe(true)
      expect(id).toMatch(/^ferry1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/)
      expect(toHex(parseAccountId(id))).toBe(toHex(key))
      expect(toHex(parseAccountId(id.toUpperCase()))).toBe(toHex(key))
      expect(toHex(parseAccountId(`  ${id}\n`))).toBe(toHex(key))
    }
  })

  it('every single-character substitution of a valid ID is detected', async () => {
    const id = accountIdFromKey(await accountKey())
    const alphabet: string[] = [' ', '\t', '\u00e9', '\u202e']
    for (let code = 33; code <= 126; code++) {
      alphabet.push(String.fromCharCode(code))
    }
    let tried = 0
    for (let position = 0; position < id.length; position++) {
      for (const c of alphabet) {
        if (c === id[position]) {
          continue
        }
        const typo = id.slice(0, position) + c + id.slice(position + 1)
        expect(() => parseAccountId(typo), `${position}:${c}`).toThrow(InvalidAccountIdError)
        tried++
      }
    }
    expect(tried).toBe(64 * (alphabet.length - 1))
  })

  it('every swap of two adjacent different characters is detected', async () => {
    const id = accountIdFromKey(await accountKey())
    for (let i = 0; i + 1 < id.length; i++) {
      if (id[i] !== id[i + 1]) {
        const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2)
        expect(() => parseAccountId(swapped)).toThrow(InvalidAccountIdError)
      }
    }
  })

  it('a dropped or an inserted character is detected', async () => {
    const id = accountIdFromKey(await accountKey())
    for (let i = 0; i < id.length; i++) {
      expect(() => parseAccountId(id.slice(0, i) + id.slice(i + 1))).toThrow(InvalidAccountIdError)
      expect(() => parseAccountId(`${id.slice(0, i)}q${id.slice(i)}`)).toThrow(InvalidAccountIdError)
    }
  })

  it('wrong prefix, wrong length, mixed case, non-zero padding and small-order keys are refused', async () => {
    const key = await accountKey()
    const words = bytesToWords(key)
    expect(() => parseAccountId(bech32mEncode('ferri', words))).toThrow(/prefix/)
    expect(() => parseAccountId(bech32mEncode('bc', words))).toThrow(InvalidAccountIdError)
    expect(() => parseAccountId(bech32mEncode('ferry', bytesToWords(key.subarray(0, 31))))).toThrow(
      InvalidAccountIdError,
    )
    expect(() => parseAccountId(bech32mEncode('ferry', bytesToWords(new Uint8Array(33).fill(3))))).toThrow(
      InvalidAccountIdError,
    )
    const id = accountIdFromKey(key)
    expect(() => parseAccountId(`F${id.slice(1)}`)).toThrow(/mixed case/)
    const padded = [...words]
    padded[padded.length - 1] = padded[padded.length - 1]! | 1 // 256 bits in 52 words leave 4 padding bits
    expect(() => parseAccountId(bech32mEncode('ferry', padded))).toThrow(/padding/)
    for (const weak of ED25519_SMALL_ORDER_ENCODINGS) {
      expect(() => parseAccountId(bech32mEncode('ferry', bytesToWords(weak)))).toThrow(InvalidAccountIdError)
      expect(() => accountIdFromKey(weak)).toThrow(InvalidAccountIdError)
    }
    expect(() => parseAccountId('')).toThrow(InvalidAccountIdError)
    expect(() => parseAccountId('x'.repeat(100_000))).toThrow(InvalidAccountIdError)
  })

  it('random strings give InvalidAccountIdError and nothing else (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^ferry1[a-z0-9]{0,80}$/)),
        (text) => {
          const error = thrown(() => parseAccountId(text))
          expect(error).toBeInstanceOf(InvalidAccountIdError)
        },
      ),
    )
  })
})

describe('invites', () => {
  const relays = [
    '/dns4/relay-1.example.net/tcp/443/wss/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp',
    '/ip6/::1/tcp/4001/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp',
  ]

  it('round-trip with no, one and several relays', async () => {
    const key = await accountKey()
    for (const list of [[], relays.slice(0, 1), relays]) {
      const link = formatInvite({ accountKey: key, relays: list })
      expect(link.startsWith(`ferry://invite/${accountIdFromKey(key)}`)).toBe(true)
      const parsed = parseInvite(link)
      expect(toHex(parsed.accountKey)).toBe(toHex(key))
      expect(parsed.relays).toEqual(list)
    }
    const link = formatInvite({ accountKey: key, relays })
    expect(link).toContain('?relay=%2Fdns4%2Frelay-1.example.net')
    expect(link).toContain('&relay=%2Fip6%2F%3A%3A1')
  })

  it('accepts a bare account ID, an upper-case scheme, and ignores unknown parameters', async () => {
    const key = await accountKey()
    const id = accountIdFromKey(key)
    expect(toHex(parseInvite(id).accountKey)).toBe(toHex(key))
    expect(parseInvite(id).relays).toEqual([])
    const link = formatInvite({ accountKey: key, relays })
    expect(parseInvite(link.replace('ferry://invite/', 'FERRY://INVITE/')).relays).toEqual(relays)
    expect(parseInvite(`${link}&name=alice`).relays).toEqual(relays)
  })

  it('hostile invites are refused with typed errors', async () => {
    const key = await accountKey()
    const id = accountIdFromKey(key)
    const base = `ferry://invite/${id}`
    const enc = encodeURIComponent
    const tooMany = Array.from({ length: MAX_RELAY_ADDRS + 1 }, (_, i) => `/ip4/10.0.0.${i}/tcp/1`)
    const cases: Array<[string, new (message: string) => Error]> = [
      [`${base}?${tooMany.map((r) => `relay=${enc(r)}`).join('&')}`, InvalidInviteError],
      [`${base}?relay=${enc(`/${'a'.repeat(MAX_ADDR_LENGTH)}`)}`, InvalidInviteError],
      [`${base}?relay=${enc('ip4/1.2.3.4/tcp/1')}`, InvalidInviteError],
      [`${base}?relay=${enc('/ip4/1.2.3.4/tcp/1 ')}`, InvalidInviteError],
      [`${base}?relay=${enc('/dns4/relay\u202eexample/tcp/1')}`, InvalidInviteError],
      [`${base}?relay=${enc('/ip4/1.2.3.4/tcp/1\n')}`, InvalidInviteError],
      [`${base}?relay=`, InvalidInviteError],
      [`${base}?relay=${enc(relays[0]!)}&relay=${enc(relays[0]!)}`, InvalidInviteError],
      [`${base}?relay=%E0%A4%A`, InvalidInviteError],
      [`${base}?relay=%ZZ`, InvalidInviteError],
      [`${base}?&relay=${enc(relays[0]!)}`, InvalidInviteError],
      [`${base}?relay`, InvalidInviteError],
      [`${base}#fragment`, InvalidInviteError],
      [`ferry://contact/${id}`, InvalidInviteError],
      ['ferry:', InvalidInviteError],
      // the checksum's last character changed (to another one: the random ID may end in either)
      [`${base.slice(0, -1)}${base.endsWith('q') ? 'p' : 'q'}`, InvalidAccountIdError],
      [`ferry://invite/${id.slice(0, 20)}?relay=${enc(relays[0]!)}`, InvalidAccountIdError],
      ['ferry://invite/', InvalidAccountIdError],
      [`${base}?relay=${'%2F'.repeat(MAX_INVITE_LENGTH)}`, InvalidInviteError],
      ['https://example.com/', InvalidAccountIdError],
    ]
    for (const [text, type] of cases) {
      expect(() => parseInvite(text), text.slice(0, 120)).toThrow(type)
    }
  })

  it('formatInvite refuses what parseInvite would refuse, and over-long links', async () => {
    const key = await accountKey()
    const tooMany = Array.from({ length: MAX_RELAY_ADDRS + 1 }, (_, i) => `/ip4/10.0.0.${i}/tcp/1`)
    expect(() => formatInvite({ accountKey: key, relays: tooMany })).toThrow(InvalidInviteError)
    expect(() => formatInvite({ accountKey: key, relays: ['relay.example'] })).toThrow(InvalidInviteError)
    expect(() => formatInvite({ accountKey: key, relays: [relays[0]!, relays[0]!] })).toThrow(
      InvalidInviteError,
    )
    const long = Array.from({ length: MAX_RELAY_ADDRS }, (_, i) => `/dns4/${String(i).repeat(230)}/tcp/443`)
    expect(() => formatInvite({ accountKey: key, relays: long })).toThrow(/longer than/)
    expect(() => formatInvite({ accountKey: ED25519_SMALL_ORDER_ENCODINGS[0]!, relays: [] })).toThrow(
      InvalidAccountIdError,
    )
  })

  it('random strings, and random tails after a valid link, give only typed errors (fast-check)', async () => {
    const base = `ferry://invite/${accountIdFromKey(await accountKey())}`
    const typed = (err: unknown) => err instanceof InvalidInviteError || err instanceof InvalidAccountIdError
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })),
        (text) => {
          expect(typed(thrown(() => parseInvite(text)))).toBe(true)
          expect(typed(thrown(() => parseInvite(`ferry://${text}`)))).toBe(true)
        },
      ),
    )
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (tail) => {
        const error = thrown(() => parseInvite(`${base}?${tail}`))
        expect(error === undefined || typed(error)).toBe(true)
      }),
    )
  })
})
