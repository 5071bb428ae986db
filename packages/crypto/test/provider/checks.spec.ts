/**
 * The edge-case policy of checks.ts, and why it exists: for each case where OpenSSL (node:crypto,
 * Node's WebCrypto) and noble disagree on their own, the raw libraries are shown to disagree and every
 * Ferry provider is shown to give one answer.
 */
import { createPublicKey, verify as opensslVerify } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { bytesToNumberLE, concatBytes, numberToBytesLE } from '@noble/curves/utils.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { describe, expect, it } from 'vitest'
import { ED25519_SMALL_ORDER_Y, ed25519PreCheck } from '../../src/provider/checks.js'
import { fromHex, hex, providers, rejection } from './fixtures.js'

const Point = ed25519.Point
type EdPoint = ReturnType<typeof Point.fromBytes>
const L = Point.Fn.ORDER
const P = 2n ** 255n - 19n

function le32(n: bigint): Uint8Array {
  return numberToBytesLE(n, 32)
}

/** y of an encoded point with the sign bit cleared, as hex. */
function yHex(encoded: Uint8Array): string {
  const y = encoded.slice()
  y[31] = y[31]! & 0x7f
  return hex(y)
}

/** Deterministic test scalars in [1, L). */
function scalar(label: string): bigint {
  return (bytesToNumberLE(sha512(new TextEncoder().encode(label))) % (L - 1n)) + 1n
}

/** k = SHA-512(R || A || M) mod L (RFC 8032 §5.1.7). */
function challenge(r: Uint8Array, a: Uint8Array, message: Uint8Array): bigint {
  return bytesToNumberLE(sha512(concatBytes(r, a, message))) % L
}

/** A torsion point of order exactly 8: [L]Q for a point Q with a torsion component. */
function torsionOfOrder8(): EdPoint {
  for (let i = 0; ; i++) {
    let q: EdPoint
    try {
      q = Point.fromBytes(sha512(Uint8Array.of(i)).subarray(0, 32))
    } catch {
      continue
    }
    const t = q.multiplyUnsafe(L - 1n).add(q)
    if (!t.double().double().is0()) {
      return t
    }
  }
}

function opensslEd25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') },
    format: 'jwk',
  })
  return opensslVerify(null, message, key, signature)
}

function nobleStrictVerify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return ed25519.verify(signature, message, publicKey, { zip215: false })
}

async function everyProvider(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) {
  const out: Record<string, boolean> = {}
  for (const [label, p] of providers) {
    out[label] = await p.ed25519Verify(publicKey, message, signature)
  }
  return out
}

function all(value: boolean): Record<string, boolean> {
  return Object.fromEntries(providers.map(([label]) => [label, value]))
}

const message = new TextEncoder().encode('ferry edge case')

describe('Ed25519 policy', () => {
  it('the small-order list is exactly the y-coordinates of the 8 torsion points (derived with noble)', () => {
    const t = torsionOfOrder8()
    const ys = new Set<string>()
    let multiple = Point.ZERO
    for (let i = 0; i < 8; i++) {
      ys.add(yHex(multiple.toBytes()))
      multiple = multiple.add(t)
    }
    expect(multiple.is0()).toBe(true)
    expect([...ys].sort()).toEqual(ED25519_SMALL_ORDER_Y.map(hex).sort())
  })

  it('pre-check: S must be below L', () => {
    const a = scalar('key')
    const publicKey = Point.BASE.multiply(a).toBytes()
    const r = Point.BASE.multiply(scalar('r')).toBytes()
    for (const s of [L, L + 1n, 2n ** 256n - 1n]) {
      expect(ed25519PreCheck(publicKey, concatBytes(r, le32(s)))).toBe(false)
    }
    expect(ed25519PreCheck(publicKey, concatBytes(r, le32(L - 1n)))).toBe(true)
    expect(ed25519PreCheck(publicKey, concatBytes(r, le32(0n)))).toBe(true)
  })

  it('pre-check: A and R must be canonical and not of small order, whatever the sign bit', () => {
    const good = Point.BASE.multiply(scalar('key')).toBytes()
    const goodSig = concatBytes(Point.BASE.multiply(scalar('r')).toBytes(), le32(1n))
    const bad: Uint8Array[] = []
    for (const y of [P, P + 1n, P + 2n, 2n ** 255n - 1n]) {
      bad.push(le32(y))
    }
    for (const y of ED25519_SMALL_ORDER_Y) {
      bad.push(y)
    }
    for (const encoding of [...bad]) {
      const signed = encoding.slice()
      signed[31] = signed[31]! | 0x80
      bad.push(signed)
    }
    for (const encoding of bad) {
      expect(ed25519PreCheck(encoding, goodSig), `A = ${hex(encoding)}`).toBe(false)
      expect(ed25519PreCheck(good, concatBytes(encoding, goodSig.subarray(32))), `R = ${hex(encoding)}`).toBe(
        false,
      )
    }
    expect(ed25519PreCheck(good, goodSig)).toBe(true)
    expect(ed25519PreCheck(good.subarray(1), goodSig)).toBe(false)
    expect(ed25519PreCheck(good, goodSig.subarray(1))).toBe(false)
  })

  it('small-order public key (the identity): OpenSSL accepts a signature on any message, noble does not; every provider refuses', async () => {
    const identity = Point.ZERO.toBytes()
    const s = scalar('s')
    const signature = concatBytes(Point.BASE.multiply(s).toBytes(), le32(s))
    expect(opensslEd25519Verify(identity, message, signature)).toBe(true)
    expect(nobleStrictVerify(identity, message, signature)).toBe(false)
    expect(await everyProvider(identity, message, signature)).toEqual(all(false))
  })

  it('small-order R (the identity) under an honest key: both libraries accept; every provider refuses', async () => {
    const a = scalar('key')
    const publicKey = Point.BASE.multiply(a).toBytes()
    const r = Point.ZERO.toBytes()
    const s = (challenge(r, publicKey, message) * a) % L
    const signature = concatBytes(r, le32(s))
    expect(opensslEd25519Verify(publicKey, message, signature)).toBe(true)
    expect(nobleStrictVerify(publicKey, message, signature)).toBe(true)
    expect(await everyProvider(publicKey, message, signature)).toEqual(all(false))
  })

  describe('mixed-order public key A = [a]B + T (T of order 8), signed by its owner', () => {
    const a = scalar('mixed key')
    const publicKey = Point.BASE.multiply(a).add(torsionOfOrder8()).toBytes()

    /** A signature whose challenge k has k mod 8 accepted by `wanted`. */
    function signWhere(wanted: (kMod8: bigint) => boolean): Uint8Array {
      for (let i = 0; ; i++) {
        const r = scalar(`nonce ${i}`)
        const rBytes = Point.BASE.multiply(r).toBytes()
        const k = challenge(rBytes, publicKey, message)
        if (wanted(k % 8n)) {
          return concatBytes(rBytes, le32((r + k * a) % L))
        }
      }
    }

    it('k not divisible by 8: noble (cofactored) accepts, OpenSSL (cofactorless) refuses; every provider refuses', async () => {
      const signature = signWhere((k) => k !== 0n)
      expect(nobleStrictVerify(publicKey, message, signature)).toBe(true)
      expect(opensslEd25519Verify(publicKey, message, signature)).toBe(false)
      expect(await everyProvider(publicKey, message, signature)).toEqual(all(false))
    })

    it('k divisible by 8: both equations hold; every provider accepts', async () => {
      const signature = signWhere((k) => k === 0n)
      expect(nobleStrictVerify(publicKey, message, signature)).toBe(true)
      expect(opensslEd25519Verify(publicKey, message, signature)).toBe(true)
      expect(await everyProvider(publicKey, message, signature)).toEqual(all(true))
    })
  })

  it('S + L (malleated): every provider refuses, and verification never throws on malformed input', async () => {
    const [, node] = providers[0]!
    const keys = await node.ed25519Keygen()
    const signature = await node.ed25519Sign(keys.secretKey, message)
    const malleated = concatBytes(
      signature.subarray(0, 32),
      le32(bytesToNumberLE(signature.subarray(32)) + L),
    )
    expect(await everyProvider(keys.publicKey, message, malleated)).toEqual(all(false))
    for (const [, p] of providers) {
      for (const [key, sig] of [
        [new Uint8Array(0), signature],
        [keys.publicKey, new Uint8Array(0)],
        [keys.publicKey.subarray(1), signature],
        [keys.publicKey, signature.subarray(1)],
        ['not bytes', signature],
        [keys.publicKey, null],
      ] as const) {
        expect(await rejection(p.ed25519Verify(key as Uint8Array, message, sig as Uint8Array))).toBe(
          'resolved',
        )
        expect(await p.ed25519Verify(key as Uint8Array, message, sig as Uint8Array)).toBe(false)
      }
    }
  })
})

describe('X25519 policy: RFC 7748 decoding, all-zero results refused', () => {
  const secret = fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4')
  const ff = 'ff'.repeat(30)
  // u-coordinates of small-order points (orders 1, 2, 4, 8), canonical and not, with and without
  // the (ignored) top bit: libsodium's blocklist.
  const lowOrder = [
    '00'.repeat(32),
    `01${'00'.repeat(31)}`,
    `ec${ff}7f`,
    `ed${ff}7f`,
    `ee${ff}7f`,
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  ]

  it.each(providers)(
    '%s: every low-order u, top bit set or not, gives InvalidKeyError',
    async (_label, p) => {
      for (const u of lowOrder) {
        const withTopBit = fromHex(u)
        withTopBit[31] = withTopBit[31]! | 0x80
        expect(await rejection(p.x25519(secret, fromHex(u))), u).toBe('InvalidKeyError')
        expect(await rejection(p.x25519(secret, withTopBit)), `${u} | 2^255`).toBe('InvalidKeyError')
      }
    },
  )

  it.each(providers)(
    '%s: the top bit is masked and u >= p is reduced (computed, not refused)',
    async (_label, p) => {
      const nine = fromHex(`09${'00'.repeat(31)}`)
      const expected = hex(await p.x25519(secret, nine))
      const nineTopBit = nine.slice()
      nineTopBit[31] = 0x80
      expect(hex(await p.x25519(secret, nineTopBit))).toBe(expected)
      expect(hex(await p.x25519(secret, le32(P + 9n)))).toBe(expected)
      expect(expected).toBe(hex(await p.x25519PublicKey(secret)))
    },
  )
})
