import { DeviceCertificateBody, PreKeyBody, PreKeyBundle, type pb, WireError } from '@ferry/wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toHex } from '../../src/bytes.js'
import {
  CryptoError,
  CryptoInputError,
  InvalidKeyError,
  InvalidRecordError,
  InvalidSignatureError,
} from '../../src/errors.js'
import type { KeyPair } from '../../src/provider/types.js'
import { createLocalDevice } from '../../src/records/certificate.js'
import { MAX_ONE_TIME_PRE_KEYS_PER_BATCH, SignatureContext } from '../../src/records/constants.js'
import { AccountKeyPair, X25519_LOW_ORDER_POINTS } from '../../src/records/keys.js'
import {
  buildPreKeyBundle,
  generateKemPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  PreKeyKind,
  verifyPreKeyBundle,
  verifySignedPreKey,
} from '../../src/records/prekeys.js'
import { signRecord } from '../../src/records/signed.js'
import type { CryptoContext } from '../../src/types.js'
import {
  contextFor,
  fakePeerId,
  flipBit,
  PROVIDERS,
  signatureBits,
  spyProvider,
  withSignature,
} from './providers.js'

/** Every encoding of a low-order point a peer could send: the table, with bit 255 clear and set, and all-zero. */
const HOSTILE_X25519_KEYS: Uint8Array[] = [
  ...X25519_LOW_ORDER_POINTS.flatMap((entry) => {
    const high = entry.slice()
    high[31] = high[31]! | 0x80
    return [entry, high]
  }),
  new Uint8Array(32),
]

describe.each(PROVIDERS)('pre-keys and bundles with the %s provider', (_name, provider) => {
  const ctx = contextFor(provider)

  async function device() {
    const account = await AccountKeyPair.generate(provider)
    const local = await createLocalDevice(ctx, account, { deviceId: 2, peerId: fakePeerId(provider) })
    const signed = await generateSignedPreKey(ctx, local.signingKeyPair, 11)
    const lastResort = await generateKemPreKey(ctx, local.signingKeyPair, 900, { lastResort: true })
    const oneTimeKem = await generateKemPreKey(ctx, local.signingKeyPair, 901, { lastResort: false })
    const [oneTime] = await generateOneTimePreKeys(ctx, 40, 1)
    const bundle = buildPreKeyBundle({
      certificate: local.certificate,
      signedPreKey: signed.record,
      kemPreKey: lastResort.record,
      oneTimePreKey: { id: oneTime!.id, publicKey: oneTime!.keyPair.publicKey },
    })
    return { account, local, signed, lastResort, oneTimeKem, oneTime: oneTime!, bundle }
  }

  /** A signed pre-key record with any X25519 public key, signed with the device key (bypassing checks). */
  async function signedPreKeyWith(signing: KeyPair, publicKey: Uint8Array): Promise<Uint8Array> {
    const body = PreKeyBody.encode({
      kind: 'SIGNED_X25519' as pb.PreKeyKind,
      id: 1,
      publicKey,
      createdAt: 0,
    })
    return signRecord(provider, signing.secretKey, SignatureContext.PreKey, body)
  }

  /**
   * What a session setup does with a bundle: verify it, then run DH on its keys. Used with a spy
   * provider to show a hostile bundle is refused before any X25519 call.
   */
  async function setUpSession(spyCtx: CryptoContext, bytes: Uint8Array): Promise<void> {
    const bundle = await verifyPreKeyBundle(spyCtx, bytes)
    const ephemeral = await spyCtx.provider.x25519Keygen()
    await spyCtx.provider.x25519(ephemeral.secretKey, bundle.signedPreKey.publicKey)
    await spyCtx.provider.x25519(ephemeral.secretKey, bundle.identityKey)
    if (bundle.oneTimePreKey !== undefined) {
      await spyCtx.provider.x25519(ephemeral.secretKey, bundle.oneTimePreKey.publicKey)
    }
  }

  it('a good bundle verifies: certificate, signed pre-key, KEM pre-key, one-time pre-key', async () => {
    const d = await device()
    const verified = await verifyPreKeyBundle(ctx, d.bundle, { accountKey: d.account.publicKey, deviceId: 2 })
    expect(verified.address.deviceId).toBe(2)
    expect(toHex(verified.address.accountKey)).toBe(toHex(d.account.publicKey))
    expect(toHex(verified.identityKey)).toBe(toHex(d.local.identityKeyPair.publicKey))
    expect(toHex(verified.signingKey)).toBe(toHex(d.local.signingKeyPair.publicKey))
    expect(verified.signedPreKey.id).toBe(11)
    expect(toHex(verified.signedPreKey.publicKey)).toBe(toHex(d.signed.keyPair.publicKey))
    expect(verified.kemPreKey).toMatchObject({ id: 900, lastResort: true })
    expect(toHex(verified.kemPreKey.publicKey)).toBe(toHex(d.lastResort.keyPair.publicKey))
    expect(verified.oneTimePreKey?.id).toBe(40)
    expect(toHex(verified.oneTimePreKey!.publicKey)).toBe(toHex(d.oneTime.keyPair.publicKey))
  })

  it('a bundle with a one-time KEM pre-key and no one-time X25519 key verifies', async () => {
    const d = await device()
    const bytes = buildPreKeyBundle({
      certificate: d.local.certificate,
      signedPreKey: d.signed.record,
      kemPreKey: d.oneTimeKem.record,
    })
    const verified = await verifyPreKeyBundle(ctx, bytes)
    expect(verified.kemPreKey).toMatchObject({ id: 901, lastResort: false })
    expect(verified.oneTimePreKey).toBeUndefined()
    // the KEM key really is the generated one: encapsulating to it decapsulates with its secret
    const { ciphertext, sharedSecret } = await provider.mlKem768Encapsulate(verified.kemPreKey.publicKey)
    const opened = await provider.mlKem768Decapsulate(d.oneTimeKem.keyPair.secretKey, ciphertext)
    expect(toHex(opened)).toBe(toHex(sharedSecret))
  })

  it('another account or another device than asked for → InvalidRecordError', async () => {
    const d = await device()
    const other = await AccountKeyPair.generate(provider)
    await expect(verifyPreKeyBundle(ctx, d.bundle, { accountKey: other.publicKey })).rejects.toThrow(
      InvalidRecordError,
    )
    await expect(verifyPreKeyBundle(ctx, d.bundle, { deviceId: 3 })).rejects.toThrow(InvalidRecordError)
  })

  it('ANY single bit of the signed pre-key, KEM pre-key or certificate signature flipped → InvalidSignatureError (FAULTS 6)', async () => {
    const d = await device()
    const bits = signatureBits(provider)
    const parts = {
      certificate: d.local.certificate,
      signedPreKey: d.signed.record,
      kemPreKey: d.lastResort.record,
      oneTimePreKey: { id: d.oneTime.id, publicKey: d.oneTime.keyPair.publicKey },
    }
    for (const field of ['signedPreKey', 'kemPreKey', 'certificate'] as const) {
      let rejected = 0
      for (const bit of bits) {
        const bytes = buildPreKeyBundle({
          ...parts,
          [field]: withSignature(parts[field], (s) => flipBit(s, bit)),
        })
        await expect(verifyPreKeyBundle(ctx, bytes)).rejects.toThrow(InvalidSignatureError)
        rejected++
      }
      expect(rejected).toBe(bits.length)
    }
    // the untouched parts still verify
    await expect(verifyPreKeyBundle(ctx, buildPreKeyBundle(parts))).resolves.toBeDefined()
  })

  it('a low-order or all-zero signed pre-key (every blocklist encoding) → rejected before any DH (FAULTS 6)', async () => {
    const d = await device()
    for (const key of HOSTILE_X25519_KEYS) {
      const bytes = buildPreKeyBundle({
        certificate: d.local.certificate,
        signedPreKey: await signedPreKeyWith(d.local.signingKeyPair, key),
        kemPreKey: d.lastResort.record,
      })
      const spy = spyProvider(provider)
      await expect(setUpSession(contextFor(spy.provider), bytes)).rejects.toThrow(InvalidKeyError)
      expect(spy.calls).not.toContain('x25519')
      expect(spy.calls).toContain('ed25519Verify')
    }
  })

  it('a low-order or all-zero identity key in the certificate (every blocklist encoding) → rejected before any DH (FAULTS 6)', async () => {
    const d = await device()
    for (const key of HOSTILE_X25519_KEYS) {
      const body = DeviceCertificateBody.encode({
        accountKey: d.account.publicKey,
        deviceId: 2,
        signingKey: d.local.signingKeyPair.publicKey,
        identityKey: key,
        peerId: fakePeerId(provider),
        createdAt: 0,
      })
      const certificate = await signRecord(
        provider,
        d.account.secret.bytes,
        SignatureContext.DeviceCertificate,
        body,
      )
      const bytes = buildPreKeyBundle({
        certificate,
        signedPreKey: d.signed.record,
        kemPreKey: d.lastResort.record,
      })
      const spy = spyProvider(provider)
      await expect(setUpSession(contextFor(spy.provider), bytes)).rejects.toThrow(InvalidKeyError)
      expect(spy.calls).not.toContain('x25519')
    }
  })

  it('a low-order or all-zero one-time pre-key (every blocklist encoding) → rejected before any DH (FAULTS 6)', async () => {
    const d = await device()
    for (const key of HOSTILE_X25519_KEYS) {
      const bytes = buildPreKeyBundle({
        certificate: d.local.certificate,
        signedPreKey: d.signed.record,
        kemPreKey: d.lastResort.record,
        oneTimePreKey: { id: 5, publicKey: key },
      })
      const spy = spyProvider(provider)
      await expect(setUpSession(contextFor(spy.provider), bytes)).rejects.toThrow(InvalidKeyError)
      expect(spy.calls).not.toContain('x25519')
    }
  })

  it('the spy sees DH calls when the bundle is good (so its silence above means something)', async () => {
    const d = await device()
    const spy = spyProvider(provider)
    await setUpSession(contextFor(spy.provider), d.bundle)
    expect(spy.calls.filter((c) => c === 'x25519')).toHaveLength(3)
  })

  it('a KEM record in the signed pre-key slot, or the reverse → InvalidRecordError', async () => {
    const d = await device()
    const swapped = buildPreKeyBundle({
      certificate: d.local.certificate,
      signedPreKey: d.lastResort.record,
      kemPreKey: d.signed.record,
    })
    await expect(verifyPreKeyBundle(ctx, swapped)).rejects.toThrow(InvalidRecordError)
    const twoSigned = buildPreKeyBundle({
      certificate: d.local.certificate,
      signedPreKey: d.signed.record,
      kemPreKey: d.signed.record,
    })
    await expect(verifyPreKeyBundle(ctx, twoSigned)).rejects.toThrow(InvalidRecordError)
  })

  it('pre-keys signed by another device, or by the account key instead of the device → InvalidSignatureError', async () => {
    const d = await device()
    const e = await device()
    const mixed = buildPreKeyBundle({
      certificate: d.local.certificate,
      signedPreKey: e.signed.record,
      kemPreKey: d.lastResort.record,
    })
    await expect(verifyPreKeyBundle(ctx, mixed)).rejects.toThrow(InvalidSignatureError)
    const byAccount = await signedPreKeyWith(
      { publicKey: d.account.publicKey, secretKey: d.account.secret.bytes },
      d.signed.keyPair.publicKey,
    )
    const wrongSigner = buildPreKeyBundle({
      certificate: d.local.certificate,
      signedPreKey: byAccount,
      kemPreKey: d.lastResort.record,
    })
    await expect(verifyPreKeyBundle(ctx, wrongSigner)).rejects.toThrow(InvalidSignatureError)
  })

  it('verifySignedPreKey (relay upload check): right kinds pass, others are refused', async () => {
    const d = await device()
    const signingKey = d.local.signingKeyPair.publicKey
    const spk = await verifySignedPreKey(ctx, signingKey, d.signed.record, [PreKeyKind.SignedX25519])
    expect(spk).toMatchObject({ kind: 'SIGNED_X25519', id: 11, createdAt: ctx.now() })
    const kem = await verifySignedPreKey(ctx, signingKey, d.oneTimeKem.record, [
      PreKeyKind.KemOneTime,
      PreKeyKind.KemLastResort,
    ])
    expect(kem).toMatchObject({ kind: 'KEM_ONE_TIME', id: 901 })
    expect(kem.publicKey).toHaveLength(1184)
    await expect(
      verifySignedPreKey(ctx, signingKey, d.oneTimeKem.record, [PreKeyKind.KemLastResort]),
    ).rejects.toThrow(InvalidRecordError)
    await expect(verifySignedPreKey(ctx, signingKey, d.signed.record, [])).rejects.toThrow(InvalidRecordError)
    await expect(
      verifySignedPreKey(ctx, d.account.publicKey, d.signed.record, [PreKeyKind.SignedX25519]),
    ).rejects.toThrow(InvalidSignatureError)
  })

  it('one-time pre-keys: sequential IDs, fresh keys, batch size and ID range bounded', async () => {
    const keys = await generateOneTimePreKeys(ctx, 100, 5)
    expect(keys.map((k) => k.id)).toEqual([100, 101, 102, 103, 104])
    expect(new Set(keys.map((k) => toHex(k.keyPair.publicKey))).size).toBe(5)
    await expect(generateOneTimePreKeys(ctx, 0, MAX_ONE_TIME_PRE_KEYS_PER_BATCH + 1)).rejects.toThrow(
      CryptoInputError,
    )
    await expect(generateOneTimePreKeys(ctx, 0, 0)).rejects.toThrow(CryptoInputError)
    await expect(generateOneTimePreKeys(ctx, 0xffff_fffe, 3)).rejects.toThrow(CryptoInputError)
    await expect(generateOneTimePreKeys(ctx, -1, 1)).rejects.toThrow(CryptoInputError)
    expect(await generateOneTimePreKeys(ctx, 0xffff_fffe, 2)).toHaveLength(2)
  })

  it('pre-key IDs outside uint32 are refused', async () => {
    const d = await device()
    await expect(generateSignedPreKey(ctx, d.local.signingKeyPair, 2 ** 32)).rejects.toThrow(CryptoInputError)
    await expect(generateKemPreKey(ctx, d.local.signingKeyPair, 1.5, { lastResort: true })).rejects.toThrow(
      CryptoInputError,
    )
  })

  it('random bytes, and random mutations of a good bundle, give only typed errors (fast-check)', async () => {
    const d = await device()
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const error = await verifyPreKeyBundle(ctx, bytes).then(
          () => undefined,
          (err: unknown) => err,
        )
        expect(error instanceof WireError || error instanceof CryptoError).toBe(true)
      }),
      { numRuns: 200 },
    )
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: d.bundle.byteLength * 8 - 1 }), async (bit) => {
        const error = await verifyPreKeyBundle(ctx, flipBit(d.bundle, bit)).then(
          () => undefined,
          (err: unknown) => err,
        )
        // a flip inside the unsigned one-time pre-key (its ID or key) can still verify: that key is
        // unsigned by design (X3DH/PQXDH); anything else must be refused with a typed error
        if (error !== undefined) {
          expect(error instanceof WireError || error instanceof CryptoError).toBe(true)
        }
      }),
      { numRuns: 100 },
    )
  })
})

describe('pre-key bundle framing', () => {
  it('buildPreKeyBundle encodes exactly the given records', () => {
    const certificate = Uint8Array.of(1, 1, 1, 0)
    const bytes = buildPreKeyBundle({
      certificate,
      signedPreKey: Uint8Array.of(1, 1, 1, 1),
      kemPreKey: Uint8Array.of(1, 1, 1, 2),
    })
    const decoded = PreKeyBundle.decode(bytes)
    expect([...decoded.deviceCertificate]).toEqual([...certificate])
    expect(decoded.oneTimePreKey).toBeUndefined()
  })
})
