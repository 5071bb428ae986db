import { inspect } from 'node:util'
import { ed25519 } from '@noble/curves/ed25519.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toHex } from '../../src/bytes.js'
import { InvalidKeyError } from '../../src/errors.js'
import {
  AccountKeyPair,
  assertEd25519PublicKey,
  assertX25519PublicKey,
  ED25519_SMALL_ORDER_ENCODINGS,
  generateDeviceKeys,
  X25519_LOW_ORDER_POINTS,
} from '../../src/records/keys.js'
import { Secret } from '../../src/secret.js'
import { hex, le32, PROVIDERS } from './providers.js'

const P = 2n ** 255n - 19n

function littleEndian(bytes: Uint8Array): bigint {
  return bytes.reduceRight((acc, byte) => (acc << 8n) | BigInt(byte), 0n)
}

/** Each table entry with bit 255 clear and set: every encoding a peer could send of these points. */
function withHighBit(table: readonly Uint8Array[]): Uint8Array[] {
  return table.flatMap((entry) => {
    const high = entry.slice()
    high[31] = high[31]! | 0x80
    return [entry, high]
  })
}

describe('X25519 low-order blocklist', () => {
  it('is libsodium’s table: the encodings of 0, 1, the two order-8 u, p-1, p and p+1', () => {
    const expected = [
      0n,
      1n,
      325606250916557431795983626356110631294008115727848805560023387167927233504n,
      39382357235489614581723060781553021112529911719440698176882885853963445705823n,
      P - 1n,
      P,
      P + 1n,
    ].map((n) => toHex(le32(n)))
    expect(X25519_LOW_ORDER_POINTS.map(toHex)).toEqual(expected)
  })

  it('rejects all 14 encodings (high bit clear and set) and the all-zero key', () => {
    const encodings = withHighBit(X25519_LOW_ORDER_POINTS)
    expect(encodings).toHaveLength(14)
    for (const key of encodings) {
      expect(() => assertX25519PublicKey(key, 'test key')).toThrow(InvalidKeyError)
    }
    expect(() => assertX25519PublicKey(new Uint8Array(32), 'test key')).toThrow(InvalidKeyError)
  })

  it('rejects keys of the wrong length and says which key without printing it', () => {
    for (const length of [0, 31, 33, 64]) {
      expect(() => assertX25519PublicKey(new Uint8Array(length).fill(9), 'their key')).toThrow(
        /their key: an X25519 public key is 32 bytes/,
      )
    }
  })

  it('accepts random canonical 32-byte strings outside the table (fast-check)', () => {
    const table = new Set(withHighBit(X25519_LOW_ORDER_POINTS).map(toHex))
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const key = bytes.slice()
        key[31] = key[31]! & 0x7f
        fc.pre(!table.has(toHex(key)) && littleEndian(key) < P)
        assertX25519PublicKey(key, 'random key')
      }),
    )
  })

  it('rejects non-canonical encodings: bit 255 set, or u from p to 2^255 - 1', async () => {
    for (const n of [P, P + 2n, P + 18n, 2n ** 255n - 1n]) {
      expect(() => assertX25519PublicKey(le32(n), 'test key')).toThrow(InvalidKeyError)
    }
    const { publicKey } = await PROVIDERS[0]![1].x25519Keygen()
    const high = publicKey.slice()
    high[31] = high[31]! | 0x80
    assertX25519PublicKey(publicKey, 'fresh key')
    expect(() => assertX25519PublicKey(high, 'test key')).toThrow(InvalidKeyError)
  })

  describe.each(PROVIDERS)('with the %s provider', (_name, provider) => {
    it('every listed point really is low order: a DH with it yields zero and the provider refuses it', async () => {
      const { secretKey } = await provider.x25519Keygen()
      for (const key of withHighBit(X25519_LOW_ORDER_POINTS)) {
        await expect(provider.x25519(secretKey, key)).rejects.toThrow(InvalidKeyError)
      }
    })

    it('accepts freshly generated public keys', async () => {
      for (let i = 0; i < 20; i++) {
        assertX25519PublicKey((await provider.x25519Keygen()).publicKey, 'fresh key')
      }
    })
  })
})

describe('Ed25519 small-order blocklist', () => {
  it('lists y = 0, 1, the two order-8 y, p-1, p and p+1 (libsodium’s table)', () => {
    const expected = [
      0n,
      1n,
      2707385501144840649318225287225658788936804267575313519463743609750303402022n,
      55188659117513257062467267217118295137698188065244968500265048394206261417927n,
      P - 1n,
      P,
      P + 1n,
    ].map((n) => toHex(le32(n)))
    expect(ED25519_SMALL_ORDER_ENCODINGS.map(toHex)).toEqual(expected)
  })

  it('every decodable encoding in it (both signs) is a point of small order', () => {
    let decoded = 0
    for (const encoding of withHighBit(ED25519_SMALL_ORDER_ENCODINGS)) {
      let point: ReturnType<typeof ed25519.Point.fromBytes>
      try {
        point = ed25519.Point.fromBytes(encoding, true)
      } catch {
        continue // x = 0 with the sign bit set has no point; still refused
      }
      decoded++
      expect(point.isSmallOrder()).toBe(true)
    }
    expect(decoded).toBeGreaterThanOrEqual(10)
  })

  it('rejects every encoding with either sign bit, and wrong lengths', () => {
    for (const key of withHighBit(ED25519_SMALL_ORDER_ENCODINGS)) {
      expect(() => assertEd25519PublicKey(key, 'signer')).toThrow(InvalidKeyError)
    }
    for (const length of [0, 31, 33]) {
      expect(() => assertEd25519PublicKey(new Uint8Array(length).fill(7), 'signer')).toThrow(InvalidKeyError)
    }
  })

  it('accepts the RFC 8032 test 1 public key', () => {
    assertEd25519PublicKey(hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'), 'rfc key')
  })
})

describe.each(PROVIDERS)('account and device keys with the %s provider', (_name, provider) => {
  it('generates an account key pair and rebuilds it from its seed', async () => {
    const account = await AccountKeyPair.generate(provider)
    expect(account.publicKey).toHaveLength(32)
    expect(account.secret.byteLength).toBe(32)
    assertEd25519PublicKey(account.publicKey, 'account key')
    const again = await AccountKeyPair.fromSecret(provider, account.secret.bytes)
    expect(toHex(again.publicKey)).toBe(toHex(account.publicKey))
    const fromSecret = await AccountKeyPair.fromSecret(provider, account.secret)
    expect(toHex(fromSecret.publicKey)).toBe(toHex(account.publicKey))
  })

  it('fromSecret copies the seed and refuses a seed of the wrong length', async () => {
    const seed = provider.randomBytes(32)
    const account = await AccountKeyPair.fromSecret(provider, seed)
    seed.fill(0)
    expect(toHex(account.secret.bytes)).not.toBe(toHex(seed))
    await expect(AccountKeyPair.fromSecret(provider, new Uint8Array(31))).rejects.toThrow(InvalidKeyError)
    await expect(AccountKeyPair.fromSecret(provider, new Uint8Array(64))).rejects.toThrow(InvalidKeyError)
  })

  it('redaction: String, JSON.stringify and util.inspect print no byte of the secret', async () => {
    const account = await AccountKeyPair.generate(provider)
    const secret = account.secret.bytes
    const forbidden = [
      toHex(secret),
      toHex(secret).toUpperCase(),
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      [...secret].join(','),
      [...secret].join(', '),
    ]
    const printed = [
      String(account),
      `${account}`,
      JSON.stringify(account),
      JSON.stringify({ account }),
      inspect(account),
      inspect({ nested: { account } }, { depth: 10 }),
      inspect(account, { showHidden: true, depth: 10 }),
      String(account.secret),
      JSON.stringify(account.secret),
      inspect(account.secret),
    ]
    for (const text of printed) {
      expect(text).toContain('redacted')
      for (const bad of forbidden) {
        expect(text).not.toContain(bad)
      }
    }
    expect(account.secret).toBeInstanceOf(Secret)
  })

  it('generates device keys: an X25519 identity pair and an Ed25519 signing pair that match', async () => {
    const keys = await generateDeviceKeys(provider)
    assertX25519PublicKey(keys.identityKeyPair.publicKey, 'identity')
    assertEd25519PublicKey(keys.signingKeyPair.publicKey, 'signing')
    expect(toHex(await provider.x25519PublicKey(keys.identityKeyPair.secretKey))).toBe(
      toHex(keys.identityKeyPair.publicKey),
    )
    expect(toHex(await provider.ed25519PublicKey(keys.signingKeyPair.secretKey))).toBe(
      toHex(keys.signingKeyPair.publicKey),
    )
    const other = await generateDeviceKeys(provider)
    expect(toHex(other.identityKeyPair.publicKey)).not.toBe(toHex(keys.identityKeyPair.publicKey))
  })
})
