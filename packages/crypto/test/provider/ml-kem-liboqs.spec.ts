/**
 * liboqs's ML-KEM-768 (WebAssembly) behind the node provider: it is the implementation in use, it
 * interoperates byte for byte with noble (each decapsulates the other's ciphertexts, sizes and
 * implicit rejection agree), it refuses what noble refuses with the same error classes, and a
 * platform where it cannot load falls back to noble.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CryptoError, InvalidKeyError } from '../../src/errors.js'
import { createRandomMlKem768, liboqsLoader, type MlKem768Module } from '../../src/provider/ml-kem-liboqs.js'
import { nobleProvider } from '../../src/provider/noble.js'
import { nodeMlKemBackend, nodeProvider } from '../../src/provider/node.js'
import { fromHex, hex, rejection, repoRoot } from './fixtures.js'

const WYCHEPROOF_ENCAPS = resolve(
  repoRoot,
  '..',
  'shared',
  'vectors',
  'wycheproof',
  'mlkem_768_encaps_test.json',
)

/** A public key with its first coefficient set to 0xFFF (>= q = 3329): fails the modulus check. */
function overModulus(publicKey: Uint8Array): Uint8Array {
  const bad = publicKey.slice()
  bad[0] = 0xff
  bad[1] = bad[1]! | 0x0f
  return bad
}

function isTight(bytes: Uint8Array, length: number): boolean {
  return (
    Object.getPrototypeOf(bytes) === Uint8Array.prototype &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === length &&
    bytes.buffer.byteLength === length
  )
}

describe('ML-KEM-768 from liboqs in the node provider', () => {
  it('is the implementation the node provider runs here', async () => {
    expect(await nodeMlKemBackend()).toBe('liboqs')
  })

  it('keys and ciphertexts interoperate with noble both ways, with FIPS 203 sizes and tight arrays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), async (liboqsKeys) => {
        const [keyMaker, other] = liboqsKeys ? [nodeProvider, nobleProvider] : [nobleProvider, nodeProvider]
        const keys = await keyMaker.mlKem768Keygen()
        expect(isTight(keys.publicKey, 1184) && isTight(keys.secretKey, 2400)).toBe(true)
        // the other library encapsulates to this key; the key's own library decapsulates, and back
        const toKeys = await other.mlKem768Encapsulate(keys.publicKey)
        expect(hex(await keyMaker.mlKem768Decapsulate(keys.secretKey, toKeys.ciphertext))).toBe(
          hex(toKeys.sharedSecret),
        )
        const fromNode = await nodeProvider.mlKem768Encapsulate(keys.publicKey)
        expect(isTight(fromNode.ciphertext, 1088) && isTight(fromNode.sharedSecret, 32)).toBe(true)
        expect(hex(await nobleProvider.mlKem768Decapsulate(keys.secretKey, fromNode.ciphertext))).toBe(
          hex(fromNode.sharedSecret),
        )
        const opened = await nodeProvider.mlKem768Decapsulate(keys.secretKey, toKeys.ciphertext)
        expect(isTight(opened, 32)).toBe(true)
      }),
      { numRuns: 12 },
    )
  })

  it('implicit rejection: a wrong ciphertext gives the same pseudorandom secret as noble, not the real one', async () => {
    const keys = await nodeProvider.mlKem768Keygen()
    const sealed = await nodeProvider.mlKem768Encapsulate(keys.publicKey)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1088 * 8 - 1 }), async (bit) => {
        const ciphertext = sealed.ciphertext.slice()
        ciphertext[bit >> 3] = ciphertext[bit >> 3]! ^ (1 << (bit & 7))
        const rejected = await nodeProvider.mlKem768Decapsulate(keys.secretKey, ciphertext)
        expect(hex(rejected)).toBe(hex(await nobleProvider.mlKem768Decapsulate(keys.secretKey, ciphertext)))
        expect(hex(rejected)).not.toBe(hex(sealed.sharedSecret))
      }),
      { numRuns: 16 },
    )
  })

  it('random encapsulation refuses a key failing the modulus check with InvalidKeyError, as noble does', async () => {
    const keys = await nodeProvider.mlKem768Keygen()
    const bad = overModulus(keys.publicKey)
    expect(await rejection(nodeProvider.mlKem768Encapsulate(bad))).toBe('InvalidKeyError')
    expect(await rejection(nobleProvider.mlKem768Encapsulate(bad))).toBe('InvalidKeyError')
  })

  it('decapsulation refuses a secret key whose embedded H(ek) does not match, as noble does', async () => {
    const keys = await nodeProvider.mlKem768Keygen()
    const sealed = await nodeProvider.mlKem768Encapsulate(keys.publicKey)
    for (const offset of [1152 + 7, 2400 - 64 + 3]) {
      // a byte of the embedded encapsulation key, then one of H(ek)
      const bad = keys.secretKey.slice()
      bad[offset] = bad[offset]! ^ 1
      expect(await rejection(nodeProvider.mlKem768Decapsulate(bad, sealed.ciphertext))).toBe(
        'InvalidKeyError',
      )
      expect(await rejection(nobleProvider.mlKem768Decapsulate(bad, sealed.ciphertext))).toBe(
        'InvalidKeyError',
      )
    }
  })

  it('wrong lengths are refused before liboqs is called, with the classes every provider uses', async () => {
    const keys = await nodeProvider.mlKem768Keygen()
    expect(await rejection(nodeProvider.mlKem768Encapsulate(keys.publicKey.subarray(1)))).toBe(
      'InvalidKeyError',
    )
    expect(
      await rejection(nodeProvider.mlKem768Decapsulate(keys.secretKey.subarray(1), new Uint8Array(1088))),
    ).toBe('InvalidKeyError')
    expect(await rejection(nodeProvider.mlKem768Decapsulate(keys.secretKey, new Uint8Array(1087)))).toBe(
      'CryptoInputError',
    )
  })

  // skipped when the Wycheproof ML-KEM vectors are not beside the repository (../shared/vectors)
  it.skipIf(!existsSync(WYCHEPROOF_ENCAPS))(
    'Wycheproof encapsulation keys through the random path: modulus overflows refused, valid keys used',
    async () => {
      const file = JSON.parse(readFileSync(WYCHEPROOF_ENCAPS, 'utf8')) as {
        testGroups: { tests: { tcId: number; ek: string; flags: string[]; result: string }[] }[]
      }
      let overflows = 0
      let valid = 0
      for (const t of file.testGroups.flatMap((g) => g.tests)) {
        const ek = fromHex(t.ek)
        if (ek.byteLength !== 1184) {
          expect(await rejection(nodeProvider.mlKem768Encapsulate(ek)), `tcId ${t.tcId}`).toBe(
            'InvalidKeyError',
          )
        } else if (t.flags.includes('ModulusOverflow')) {
          overflows++
          expect(await rejection(nodeProvider.mlKem768Encapsulate(ek)), `tcId ${t.tcId}`).toBe(
            'InvalidKeyError',
          )
        } else if (t.result === 'valid') {
          valid++
          expect((await nodeProvider.mlKem768Encapsulate(ek)).ciphertext.byteLength).toBe(1088)
        }
      }
      expect(overflows).toBe(12)
      expect(valid).toBeGreaterThan(100)
    },
  )
})

describe('random ML-KEM-768 without liboqs', () => {
  it('falls back to noble when the module cannot be loaded, and tries to load it once', async () => {
    let attempts = 0
    const kem = createRandomMlKem768(async () => {
      attempts++
      throw new Error('no WebAssembly here')
    }, nodeProvider.randomBytes)
    expect(await kem.backend()).toBe('noble')
    const keys = await kem.keygen()
    const sealed = await kem.encapsulate(keys.publicKey)
    expect(hex(await kem.decapsulate(keys.secretKey, sealed.ciphertext))).toBe(hex(sealed.sharedSecret))
    expect(hex(await nodeProvider.mlKem768Decapsulate(keys.secretKey, sealed.ciphertext))).toBe(
      hex(sealed.sharedSecret),
    )
    expect(await rejection(kem.encapsulate(overModulus(keys.publicKey)))).toBe('InvalidKeyError')
    expect(attempts).toBe(1)
  })

  it('an unexpected module error becomes a CryptoError naming only the operation', async () => {
    const leaky: MlKem768Module = {
      generateKeyPair() {
        throw new Error('secret 0123456789abcdef')
      },
      encapsulate() {
        throw new TypeError('secret 0123456789abcdef')
      },
      decapsulate() {
        throw new RangeError('secret 0123456789abcdef')
      },
    }
    const kem = createRandomMlKem768(async () => leaky, nodeProvider.randomBytes)
    const keys = await nodeProvider.mlKem768Keygen()
    const failures = await Promise.all([
      kem.keygen().catch((err: unknown) => err),
      kem.encapsulate(keys.publicKey).catch((err: unknown) => err),
      kem.decapsulate(keys.secretKey, new Uint8Array(1088)).catch((err: unknown) => err),
    ])
    for (const err of failures) {
      expect(err).toBeInstanceOf(CryptoError)
      expect(err).not.toBeInstanceOf(InvalidKeyError)
      expect(String((err as Error).message)).not.toContain('0123456789abcdef')
    }
  })

  it('the real loader gives a working module', async () => {
    const module = await liboqsLoader()
    const { publicKey, secretKey } = module.generateKeyPair()
    const { ciphertext, sharedSecret } = module.encapsulate(publicKey)
    expect(hex(module.decapsulate(ciphertext, secretKey))).toBe(hex(sharedSecret))
  })
})
