import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { toHex, utf8 } from '../../src/bytes.js'
import { InvalidKeyError } from '../../src/errors.js'
import { ED25519_SMALL_ORDER_ENCODINGS } from '../../src/records/keys.js'
import {
  compareScannedSafetyNumber,
  fingerprintDigits,
  numericFingerprint,
  safetyNumber,
} from '../../src/records/safety-number.js'
import { contextFor, flipBit, hex, PROVIDERS } from './providers.js'

interface FingerprintVectors {
  iterations: number
  alice: { key: string; stableId: string; localFingerprint: string }
  bob: { key: string; stableId: string; localFingerprint: string }
  displayable: string
}

const vectors = JSON.parse(
  readFileSync(
    resolve(dirname(fileURLToPath(import.meta.url)), 'vectors', 'libsignal-fingerprint.json'),
    'utf8',
  ),
) as FingerprintVectors

describe.each(PROVIDERS)('safety numbers with the %s provider', (_name, provider) => {
  const ctx = contextFor(provider)
  const account = async () => ({ accountKey: (await provider.ed25519Keygen()).publicKey })

  it('the numeric fingerprint matches libsignal’s published vectors', async () => {
    const alice = await numericFingerprint(
      provider,
      hex(vectors.alice.key),
      utf8(vectors.alice.stableId),
      vectors.iterations,
    )
    const bob = await numericFingerprint(
      provider,
      hex(vectors.bob.key),
      utf8(vectors.bob.stableId),
      vectors.iterations,
    )
    expect(toHex(alice.subarray(0, 32))).toBe(vectors.alice.localFingerprint)
    expect(toHex(bob.subarray(0, 32))).toBe(vectors.bob.localFingerprint)
    const [a, b] = [fingerprintDigits(alice), fingerprintDigits(bob)]
    expect(a <= b ? a + b : b + a).toBe(vectors.displayable)
  })

  it('is symmetric: both sides compute the same 60 digits, in 12 groups of 5', async () => {
    const alice = await account()
    const bob = await account()
    const fromAlice = await safetyNumber(ctx, alice, bob)
    const fromBob = await safetyNumber(ctx, bob, alice)
    expect(fromAlice.digits).toBe(fromBob.digits)
    expect(fromAlice.digits).toMatch(/^(\d{5} ){11}\d{5}$/)
    expect(fromAlice.digits.replaceAll(' ', '')).toHaveLength(60)
    // the QR payloads differ: each names its own side first
    expect(toHex(fromAlice.qr)).not.toBe(toHex(fromBob.qr))
    expect(fromAlice.qr).toHaveLength(65)
  })

  it('changes when either account key changes', async () => {
    const alice = await account()
    const bob = await account()
    const mallory = await account()
    const genuine = (await safetyNumber(ctx, alice, bob)).digits
    expect((await safetyNumber(ctx, alice, mallory)).digits).not.toBe(genuine)
    expect((await safetyNumber(ctx, mallory, bob)).digits).not.toBe(genuine)
    // one bit of a key is enough
    const flipped = { accountKey: flipBit(bob.accountKey, 3) }
    expect((await safetyNumber(ctx, alice, flipped)).digits).not.toBe(genuine)
  })

  it('QR comparison: true for the right pair, false for anyone else or any change', async () => {
    const alice = await account()
    const bob = await account()
    const mallory = await account()
    const alicesQr = (await safetyNumber(ctx, alice, bob)).qr
    const bobsQr = (await safetyNumber(ctx, bob, alice)).qr
    // Bob scans Alice's screen, Alice scans Bob's
    expect(await compareScannedSafetyNumber(ctx, bob, alice, alicesQr)).toBe(true)
    expect(await compareScannedSafetyNumber(ctx, alice, bob, bobsQr)).toBe(true)
    // a device scanning its own screen, or a third party's
    expect(await compareScannedSafetyNumber(ctx, alice, bob, alicesQr)).toBe(false)
    expect(await compareScannedSafetyNumber(ctx, bob, mallory, alicesQr)).toBe(false)
    expect(await compareScannedSafetyNumber(ctx, mallory, alice, alicesQr)).toBe(false)
    const mallorysQr = (await safetyNumber(ctx, mallory, bob)).qr
    expect(await compareScannedSafetyNumber(ctx, bob, alice, mallorysQr)).toBe(false)
    // any flipped bit, a wrong version, a wrong length
    for (let bit = 0; bit < alicesQr.byteLength * 8; bit += 37) {
      expect(await compareScannedSafetyNumber(ctx, bob, alice, flipBit(alicesQr, bit))).toBe(false)
    }
    expect(await compareScannedSafetyNumber(ctx, bob, alice, alicesQr.subarray(0, 64))).toBe(false)
    expect(await compareScannedSafetyNumber(ctx, bob, alice, new Uint8Array(0))).toBe(false)
  })

  it('refuses small-order account keys', async () => {
    const alice = await account()
    await expect(safetyNumber(ctx, alice, { accountKey: ED25519_SMALL_ORDER_ENCODINGS[2]! })).rejects.toThrow(
      InvalidKeyError,
    )
  })
})
