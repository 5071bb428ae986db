/**
 * The node:crypto provider's remembered KeyObjects: a secret-key array changed in place (wiped,
 * reused) is never served a stale key; public keys are remembered by value, within their bound.
 */
import { hkdfSync } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PUBLIC_KEY_CACHE_ENTRIES } from '../../src/provider/checks.js'
import { nobleProvider } from '../../src/provider/noble.js'
import { nodeProvider, rememberedPublicKeyCount } from '../../src/provider/node.js'
import { hex } from './fixtures.js'

describe('node provider: remembered private keys', () => {
  it('Ed25519: signing again after the array was overwritten uses the new key', async () => {
    const key = nodeProvider.randomBytes(32)
    const other = nodeProvider.randomBytes(32)
    const message = new Uint8Array(7)
    const first = await nodeProvider.ed25519Sign(key, message)
    expect(hex(first)).toBe(hex(await nobleProvider.ed25519Sign(key, message)))
    key.set(other)
    expect(hex(await nodeProvider.ed25519Sign(key, message))).toBe(
      hex(await nobleProvider.ed25519Sign(other, message)),
    )
    expect(hex(await nodeProvider.ed25519PublicKey(key))).toBe(
      hex(await nobleProvider.ed25519PublicKey(other)),
    )
  })

  it('X25519: a wiped array gives the result of the all-zero scalar, not of the old key', async () => {
    const key = nodeProvider.randomBytes(32)
    const peer = await nodeProvider.x25519Keygen()
    expect(hex(await nodeProvider.x25519(key, peer.publicKey))).toBe(
      hex(await nobleProvider.x25519(key, peer.publicKey)),
    )
    key.fill(0)
    expect(hex(await nodeProvider.x25519(key, peer.publicKey))).toBe(
      hex(await nobleProvider.x25519(new Uint8Array(32), peer.publicKey)),
    )
  })

  it('one array used as an X25519 key and as an Ed25519 seed gets the right key for each', async () => {
    const key = nodeProvider.randomBytes(32)
    expect(hex(await nodeProvider.x25519PublicKey(key))).toBe(hex(await nobleProvider.x25519PublicKey(key)))
    expect(hex(await nodeProvider.ed25519PublicKey(key))).toBe(hex(await nobleProvider.ed25519PublicKey(key)))
    expect(hex(await nodeProvider.x25519PublicKey(key))).toBe(hex(await nobleProvider.x25519PublicKey(key)))
  })

  it('a subarray view of a larger buffer works as a key', async () => {
    const backing = nodeProvider.randomBytes(100)
    const key = backing.subarray(17, 49)
    expect(hex(await nodeProvider.ed25519PublicKey(key))).toBe(
      hex(await nobleProvider.ed25519PublicKey(key.slice())),
    )
  })
})

describe('node provider: remembered public keys', () => {
  it('a public-key array changed in place gives the result of its new bytes', async () => {
    const mine = await nodeProvider.x25519Keygen()
    const peer = await nodeProvider.x25519Keygen()
    const other = await nodeProvider.x25519Keygen()
    const publicKey = peer.publicKey.slice()
    expect(hex(await nodeProvider.x25519(mine.secretKey, publicKey))).toBe(
      hex(await nobleProvider.x25519(mine.secretKey, peer.publicKey)),
    )
    publicKey.set(other.publicKey)
    expect(hex(await nodeProvider.x25519(mine.secretKey, publicKey))).toBe(
      hex(await nobleProvider.x25519(mine.secretKey, other.publicKey)),
    )
  })

  it('one key value used on both curves gets the right key for each', async () => {
    const signer = await nodeProvider.ed25519Keygen()
    const message = new Uint8Array(9)
    const signature = await nodeProvider.ed25519Sign(signer.secretKey, message)
    const mine = await nodeProvider.x25519Keygen()
    // the Ed25519 public key's bytes as an X25519 u-coordinate, then again as an Ed25519 key
    expect(hex(await nodeProvider.x25519(mine.secretKey, signer.publicKey))).toBe(
      hex(await nobleProvider.x25519(mine.secretKey, signer.publicKey)),
    )
    expect(await nodeProvider.ed25519Verify(signer.publicKey, message, signature)).toBe(true)
    expect(await nodeProvider.ed25519Verify(signer.publicKey, new Uint8Array(8), signature)).toBe(false)
  })

  it(`holds at most ${PUBLIC_KEY_CACHE_ENTRIES} keys, and keys evicted long ago still work`, async () => {
    const mine = await nodeProvider.x25519Keygen()
    const first = await nodeProvider.x25519Keygen()
    const expected = hex(await nobleProvider.x25519(mine.secretKey, first.publicKey))
    expect(hex(await nodeProvider.x25519(mine.secretKey, first.publicKey))).toBe(expected)
    for (let i = 0; i < PUBLIC_KEY_CACHE_ENTRIES + 10; i++) {
      // random u-coordinates: fresh public keys, cheap to make
      const u = nodeProvider.randomBytes(32)
      u[31] = u[31]! & 0x7f
      await nodeProvider.x25519(mine.secretKey, u).catch(() => undefined)
      expect(rememberedPublicKeyCount()).toBeLessThanOrEqual(PUBLIC_KEY_CACHE_ENTRIES)
    }
    expect(rememberedPublicKeyCount()).toBe(PUBLIC_KEY_CACHE_ENTRIES)
    expect(hex(await nodeProvider.x25519(mine.secretKey, first.publicKey))).toBe(expected)
  })
})

describe('node provider: HKDF-SHA-256 composed from HMAC (RFC 5869)', () => {
  it("gives node:crypto's own hkdfSync bytes for any input, salt (empty too), info and length", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 100 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 1024 }),
        fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 255 * 32 })),
        async (ikm, salt, info, length) => {
          const expected = new Uint8Array(hkdfSync('sha256', ikm, salt, info, length))
          expect(hex(await nodeProvider.hkdfSha256(ikm, salt, info, length))).toBe(hex(expected))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('block boundaries: 31, 32, 33, 64, 65 and 8160 bytes', async () => {
    const ikm = nodeProvider.randomBytes(32)
    const salt = nodeProvider.randomBytes(32)
    const info = new Uint8Array([1, 2, 3])
    for (const length of [31, 32, 33, 64, 65, 8160]) {
      const expected = new Uint8Array(hkdfSync('sha256', ikm, salt, info, length))
      expect(hex(await nodeProvider.hkdfSha256(ikm, salt, info, length)), `${length}`).toBe(hex(expected))
    }
  })
})
