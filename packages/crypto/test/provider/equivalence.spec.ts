/**
 * Property tests: for identical inputs every provider returns identical bytes (node:crypto is the
 * reference), or fails with the same Ferry error class; garbage inputs of every shape give only typed
 * errors; outputs are plain, tight Uint8Arrays.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HKDF_MAX_INFO_BYTES, HKDF_SHA256_MAX_OUTPUT_BYTES } from '../../src/provider/checks.js'
import type { CryptoProvider } from '../../src/provider/types.js'
import { errorName, hex, providers } from './fixtures.js'

/** What an operation did: the hex of its bytes, a boolean, or the name of the Ferry error it threw. */
type Outcome = string

function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) {
    return `bytes ${hex(value)}`
  }
  if (typeof value === 'boolean') {
    return `boolean ${value}`
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k}=${describeValue(v)}`)
      .join(' ')
  }
  return `other ${String(value)}`
}

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return describeValue(await run())
  } catch (err) {
    return `error ${errorName(err)}`
  }
}

/** Runs `op` on every provider and requires one outcome; returns it. */
async function agree(op: (p: CryptoProvider) => Promise<unknown>): Promise<Outcome> {
  const outcomes = await Promise.all(providers.map(async ([label, p]) => [label, await outcome(() => op(p))]))
  const reference = outcomes[0]![1]!
  for (const [label, got] of outcomes) {
    expect(got, label).toBe(reference)
  }
  expect(reference).not.toMatch(/^error foreign/)
  return reference
}

const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max })
const exact = (length: number) => fc.uint8Array({ minLength: length, maxLength: length })
/** Numbers of runs: the curve properties run noble's pure-JS arithmetic, ML-KEM most of all. */
const CURVE_RUNS = { numRuns: 40 }
const KEM_RUNS = { numRuns: 4 }

describe('providers agree on identical inputs', () => {
  it('SHA-256 and SHA-512', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(3000), async (data) => {
        expect(await agree((p) => p.sha256(data))).toMatch(/^bytes [0-9a-f]{64}$/)
        expect(await agree((p) => p.sha512(data))).toMatch(/^bytes [0-9a-f]{128}$/)
      }),
    )
  })

  it('HMAC-SHA-256, keys of every length including empty and longer than a block', async () => {
    await fc.assert(
      fc.asyncProperty(bytes(200), bytes(1000), async (key, data) => {
        expect(await agree((p) => p.hmacSha256(key, data))).toMatch(/^bytes [0-9a-f]{64}$/)
      }),
    )
  })

  it('HKDF-SHA-256 over the whole length range, empty salt and info included', async () => {
    const length = fc.oneof(
      fc.integer({ min: 1, max: 200 }),
      fc.constantFrom(HKDF_SHA256_MAX_OUTPUT_BYTES, 8159),
    )
    await fc.assert(
      fc.asyncProperty(
        bytes(100),
        bytes(100),
        bytes(HKDF_MAX_INFO_BYTES),
        length,
        async (ikm, salt, info, n) => {
          expect(await agree((p) => p.hkdfSha256(ikm, salt, info, n))).toMatch(
            new RegExp(`^bytes [0-9a-f]{${2 * n}}$`),
          )
        },
      ),
    )
  })

  it('AES-256-GCM: identical seal, open restores, any flipped bit fails with AuthenticationError', async () => {
    await fc.assert(
      fc.asyncProperty(
        exact(32),
        exact(12),
        bytes(1000),
        bytes(100),
        fc.nat(),
        async (key, nonce, plaintext, aad, flip) => {
          const sealed = await agree((p) => p.aesGcmEncrypt(key, nonce, plaintext, aad))
          const sealedBytes = await providers[0]![1].aesGcmEncrypt(key, nonce, plaintext, aad)
          expect(sealed).toBe(`bytes ${hex(sealedBytes)}`)
          expect(await agree((p) => p.aesGcmDecrypt(key, nonce, sealedBytes, aad))).toBe(
            `bytes ${hex(plaintext)}`,
          )
          const forged = sealedBytes.slice()
          const bit = flip % (8 * forged.byteLength)
          forged[bit >> 3] = forged[bit >> 3]! ^ (1 << (bit & 7))
          expect(await agree((p) => p.aesGcmDecrypt(key, nonce, forged, aad))).toBe(
            'error AuthenticationError',
          )
        },
      ),
    )
  })

  it('X25519 on random secrets and arbitrary 32-byte u-coordinates (twist, non-canonical, low-order)', async () => {
    const u = fc.oneof(
      exact(32),
      fc.constantFrom(new Uint8Array(32), Uint8Array.of(1, ...new Array<number>(31).fill(0))),
    )
    await fc.assert(
      fc.asyncProperty(exact(32), u, async (secret, publicKey) => {
        expect(await agree((p) => p.x25519PublicKey(secret))).toMatch(/^bytes /)
        await agree((p) => p.x25519(secret, publicKey))
      }),
      CURVE_RUNS,
    )
  })

  it('X25519 Diffie-Hellman between providers: both sides derive one secret', async () => {
    await fc.assert(
      fc.asyncProperty(exact(32), exact(32), async (a, b) => {
        const [, node] = providers[0]!
        const publicA = await node.x25519PublicKey(a)
        const publicB = await node.x25519PublicKey(b)
        const shared = await agree((p) => p.x25519(a, publicB))
        expect(await agree((p) => p.x25519(b, publicA))).toBe(shared)
      }),
      CURVE_RUNS,
    )
  })

  it('Ed25519: identical public keys and deterministic signatures; verification agrees on valid, altered and random signatures', async () => {
    await fc.assert(
      fc.asyncProperty(
        exact(32),
        bytes(300),
        exact(64),
        exact(32),
        fc.nat(),
        async (seed, message, junkSig, junkKey, flip) => {
          const publicKey = await providers[0]![1].ed25519PublicKey(seed)
          expect(await agree((p) => p.ed25519PublicKey(seed))).toBe(`bytes ${hex(publicKey)}`)
          const signature = await providers[0]![1].ed25519Sign(seed, message)
          expect(await agree((p) => p.ed25519Sign(seed, message))).toBe(`bytes ${hex(signature)}`)
          expect(await agree((p) => p.ed25519Verify(publicKey, message, signature))).toBe('boolean true')
          const altered = signature.slice()
          const bit = flip % 512
          altered[bit >> 3] = altered[bit >> 3]! ^ (1 << (bit & 7))
          expect(await agree((p) => p.ed25519Verify(publicKey, message, altered))).toBe('boolean false')
          expect(await agree((p) => p.ed25519Verify(publicKey, message, junkSig))).toBe('boolean false')
          expect(await agree((p) => p.ed25519Verify(junkKey, message, signature))).toBe('boolean false')
        },
      ),
      CURVE_RUNS,
    )
  })

  it('ML-KEM-768: keygen from a seed, encapsulation with a message, decapsulation, implicit rejection', async () => {
    await fc.assert(
      fc.asyncProperty(exact(64), exact(32), exact(1088), async (seed, message, junkCiphertext) => {
        const keys = await providers[0]![1].mlKem768Keygen(seed)
        expect(await agree((p) => p.mlKem768Keygen(seed))).toBe(describeValue(keys))
        const sealed = await providers[0]![1].mlKem768Encapsulate(keys.publicKey, message)
        expect(await agree((p) => p.mlKem768Encapsulate(keys.publicKey, message))).toBe(describeValue(sealed))
        expect(await agree((p) => p.mlKem768Decapsulate(keys.secretKey, sealed.ciphertext))).toBe(
          `bytes ${hex(sealed.sharedSecret)}`,
        )
        const rejected = await agree((p) => p.mlKem768Decapsulate(keys.secretKey, junkCiphertext))
        expect(rejected).toMatch(/^bytes [0-9a-f]{64}$/)
        expect(rejected).not.toBe(`bytes ${hex(sealed.sharedSecret)}`)
      }),
      KEM_RUNS,
    )
  })
})

describe('garbage inputs give the same typed error on every provider', () => {
  /**
   * A well-formed argument of `length` bytes, or garbage: another length, or not bytes at all. An
   * optional argument (a seed, an encapsulation's randomness) is never `undefined` here: leaving it out
   * is a valid call whose result is random by design, so providers could not agree on it.
   */
  const arg = (length: number | undefined, optional = false) =>
    fc.oneof(
      { arbitrary: length === undefined ? bytes(64) : exact(length), weight: 3 },
      { arbitrary: bytes(80), weight: 2 },
      {
        arbitrary: fc.constantFrom<unknown>(
          ...(optional ? [] : [undefined]),
          null,
          'text',
          42,
          [1, 2, 3],
          {},
          new ArrayBuffer(32),
          new Uint16Array(16),
        ),
        weight: 1,
      },
    )
  const length = fc.oneof(
    fc.integer({ min: -5, max: 9000 }),
    fc.constantFrom<unknown>(0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '32', null, 2 ** 53),
  )

  type Op = (p: CryptoProvider, args: unknown[]) => Promise<unknown>
  const call = <T>(f: (...xs: never[]) => Promise<T>, args: unknown[]) => f(...(args as never[]))
  const ops: [string, fc.Arbitrary<unknown[]>, Op][] = [
    ['sha256', fc.tuple(arg(undefined)), (p, a) => call(p.sha256.bind(p), a)],
    ['sha512', fc.tuple(arg(undefined)), (p, a) => call(p.sha512.bind(p), a)],
    ['hmacSha256', fc.tuple(arg(undefined), arg(undefined)), (p, a) => call(p.hmacSha256.bind(p), a)],
    [
      'hkdfSha256',
      fc.tuple(arg(undefined), arg(undefined), arg(undefined), length),
      (p, a) => call(p.hkdfSha256.bind(p), a),
    ],
    [
      'aesGcmEncrypt',
      fc.tuple(arg(32), arg(12), arg(undefined), arg(undefined)),
      (p, a) => call(p.aesGcmEncrypt.bind(p), a),
    ],
    [
      'aesGcmDecrypt',
      fc.tuple(arg(32), arg(12), arg(undefined), arg(undefined)),
      (p, a) => call(p.aesGcmDecrypt.bind(p), a),
    ],
    ['x25519PublicKey', fc.tuple(arg(32)), (p, a) => call(p.x25519PublicKey.bind(p), a)],
    ['x25519', fc.tuple(arg(32), arg(32)), (p, a) => call(p.x25519.bind(p), a)],
    ['ed25519PublicKey', fc.tuple(arg(32)), (p, a) => call(p.ed25519PublicKey.bind(p), a)],
    ['ed25519Sign', fc.tuple(arg(32), arg(undefined)), (p, a) => call(p.ed25519Sign.bind(p), a)],
    ['ed25519Verify', fc.tuple(arg(32), arg(undefined), arg(64)), (p, a) => call(p.ed25519Verify.bind(p), a)],
    ['mlKem768Keygen', fc.tuple(arg(64, true)), (p, a) => call(p.mlKem768Keygen.bind(p), a)],
    [
      'mlKem768Encapsulate',
      fc.tuple(arg(1184), arg(32, true)),
      (p, a) => call(p.mlKem768Encapsulate.bind(p), a),
    ],
    ['mlKem768Decapsulate', fc.tuple(arg(2400), arg(1088)), (p, a) => call(p.mlKem768Decapsulate.bind(p), a)],
  ]

  it.each(ops)('%s', async (_name, args, op) => {
    await fc.assert(
      fc.asyncProperty(args, async (a) => {
        const result = await agree((p) => op(p, a))
        expect(result).toMatch(
          /^(bytes|boolean|publicKey=|ciphertext=|error (CryptoInputError|InvalidKeyError|AuthenticationError)$)/,
        )
      }),
      { numRuns: 60 },
    )
  })

  it('randomBytes: lengths that are not integers in range throw CryptoInputError synchronously', () => {
    fc.assert(
      fc.property(length, (n) => {
        const outcomes = providers.map(([, p]) => {
          try {
            return `bytes ${p.randomBytes(n as number).byteLength}`
          } catch (err) {
            return err instanceof Error ? err.name : 'foreign'
          }
        })
        expect(new Set(outcomes).size).toBe(1)
        const valid = typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 1 << 20
        expect(outcomes[0]).toBe(valid ? `bytes ${n}` : 'CryptoInputError')
      }),
    )
  })
})

describe('outputs are plain, tight Uint8Arrays (no Buffer, no view into a larger buffer)', () => {
  it.each(providers)('%s', async (_label, p) => {
    const key = new Uint8Array(32).fill(7)
    const nonce = new Uint8Array(12)
    const x = await p.x25519Keygen()
    const e = await p.ed25519Keygen()
    const kem = await p.mlKem768Keygen()
    const sealedKem = await p.mlKem768Encapsulate(kem.publicKey)
    const outputs: [string, Uint8Array, number][] = [
      ['randomBytes', p.randomBytes(48), 48],
      ['sha256', await p.sha256(key), 32],
      ['sha512', await p.sha512(key), 64],
      ['hmacSha256', await p.hmacSha256(key, key), 32],
      ['hkdfSha256', await p.hkdfSha256(key, key, key, 80), 80],
      ['aesGcmEncrypt', await p.aesGcmEncrypt(key, nonce, key, key), 48],
      [
        'aesGcmDecrypt',
        await p.aesGcmDecrypt(key, nonce, await p.aesGcmEncrypt(key, nonce, key, key), key),
        32,
      ],
      ['x25519Keygen.publicKey', x.publicKey, 32],
      ['x25519Keygen.secretKey', x.secretKey, 32],
      ['x25519', await p.x25519(x.secretKey, x.publicKey), 32],
      ['ed25519Keygen.publicKey', e.publicKey, 32],
      ['ed25519Keygen.secretKey', e.secretKey, 32],
      ['ed25519Sign', await p.ed25519Sign(e.secretKey, key), 64],
      ['mlKem768Keygen.publicKey', kem.publicKey, 1184],
      ['mlKem768Keygen.secretKey', kem.secretKey, 2400],
      ['mlKem768Encapsulate.ciphertext', sealedKem.ciphertext, 1088],
      ['mlKem768Encapsulate.sharedSecret', sealedKem.sharedSecret, 32],
      ['mlKem768Decapsulate', await p.mlKem768Decapsulate(kem.secretKey, sealedKem.ciphertext), 32],
    ]
    for (const [name, out, size] of outputs) {
      expect(out.constructor, name).toBe(Uint8Array)
      expect(out.byteLength, name).toBe(size)
      expect(out.buffer.byteLength, `${name} buffer`).toBe(size)
    }
    expect(await p.ed25519Verify(e.publicKey, key, await p.ed25519Sign(e.secretKey, key))).toBe(true)
    expect(hex(await p.mlKem768Decapsulate(kem.secretKey, sealedKem.ciphertext))).toBe(
      hex(sealedKem.sharedSecret),
    )
  })
})
