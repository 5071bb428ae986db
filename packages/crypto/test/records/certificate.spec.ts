import { DeviceCertificateBody, type pb, Signed, WireError } from '@ferry/wire'
import { describe, expect, it } from 'vitest'
import { toHex } from '../../src/bytes.js'
import { CryptoError, InvalidKeyError, InvalidRecordError, InvalidSignatureError } from '../../src/errors.js'
import {
  createLocalDevice,
  issueDeviceCertificate,
  verifyDeviceCertificate,
} from '../../src/records/certificate.js'
import { SignatureContext } from '../../src/records/constants.js'
import {
  AccountKeyPair,
  ED25519_SMALL_ORDER_ENCODINGS,
  generateDeviceKeys,
  X25519_LOW_ORDER_POINTS,
} from '../../src/records/keys.js'
import { signRecord } from '../../src/records/signed.js'
import { contextFor, fakePeerId, flipBit, PROVIDERS, signatureBits, withSignature } from './providers.js'

describe.each(PROVIDERS)('device certificates with the %s provider', (_name, provider) => {
  const ctx = contextFor(provider)

  async function fixture() {
    const account = await AccountKeyPair.generate(provider)
    const keys = await generateDeviceKeys(provider)
    const peerId = fakePeerId(provider)
    const certificate = await issueDeviceCertificate(ctx, account, {
      deviceId: 3,
      signingKey: keys.signingKeyPair.publicKey,
      identityKey: keys.identityKeyPair.publicKey,
      peerId,
    })
    return { account, keys, peerId, certificate }
  }

  /** A certificate body signed by `signer`, with any fields, bypassing the issuer's checks. */
  async function forge(signer: AccountKeyPair, fields: Partial<pb.DeviceCertificateBody>) {
    const keys = await generateDeviceKeys(provider)
    const body = DeviceCertificateBody.encode({
      accountKey: signer.publicKey,
      deviceId: 1,
      signingKey: keys.signingKeyPair.publicKey,
      identityKey: keys.identityKeyPair.publicKey,
      peerId: fakePeerId(provider),
      createdAt: 5,
      ...fields,
    })
    return signRecord(provider, signer.secret.bytes, SignatureContext.DeviceCertificate, body)
  }

  it('a good certificate verifies and returns what it binds', async () => {
    const { account, keys, peerId, certificate } = await fixture()
    for (const expected of [undefined, account.publicKey]) {
      const verified = await verifyDeviceCertificate(ctx, certificate, expected)
      expect(toHex(verified.accountKey)).toBe(toHex(account.publicKey))
      expect(verified.deviceId).toBe(3)
      expect(toHex(verified.signingKey)).toBe(toHex(keys.signingKeyPair.publicKey))
      expect(toHex(verified.identityKey)).toBe(toHex(keys.identityKeyPair.publicKey))
      expect(toHex(verified.peerId)).toBe(toHex(peerId))
      expect(verified.createdAt).toBe(ctx.now())
      expect(toHex(verified.bytes)).toBe(toHex(certificate))
    }
  })

  it('the returned fields are copies: changing the input afterwards changes nothing', async () => {
    const { certificate, keys } = await fixture()
    const input = certificate.slice()
    const verified = await verifyDeviceCertificate(ctx, input)
    input.fill(0)
    expect(toHex(verified.identityKey)).toBe(toHex(keys.identityKeyPair.publicKey))
    expect(toHex(verified.bytes)).toBe(toHex(certificate))
  })

  it('wrong account key expected → InvalidRecordError', async () => {
    const { certificate } = await fixture()
    const other = await AccountKeyPair.generate(provider)
    await expect(verifyDeviceCertificate(ctx, certificate, other.publicKey)).rejects.toThrow(
      InvalidRecordError,
    )
  })

  it('any single signature bit flipped (all 512 with node:crypto) → InvalidSignatureError', async () => {
    const { account, certificate } = await fixture()
    for (const bit of signatureBits(provider)) {
      const forged = withSignature(certificate, (signature) => flipBit(signature, bit))
      await expect(verifyDeviceCertificate(ctx, forged, account.publicKey)).rejects.toThrow(
        InvalidSignatureError,
      )
    }
  })

  it('bits flipped anywhere in the record → a typed rejection, never acceptance', async () => {
    const { account, certificate } = await fixture()
    // every third bit: each byte gets two or three flips, at every bit position across the record
    for (let bit = 0; bit < certificate.byteLength * 8; bit += 3) {
      const error = await verifyDeviceCertificate(ctx, flipBit(certificate, bit), account.publicKey).then(
        () => undefined,
        (err: unknown) => err,
      )
      expect(error instanceof CryptoError || error instanceof WireError).toBe(true)
    }
  })

  it('a certificate naming account A but signed by account B → InvalidSignatureError', async () => {
    const a = await AccountKeyPair.generate(provider)
    const b = await AccountKeyPair.generate(provider)
    const keys = await generateDeviceKeys(provider)
    const body = DeviceCertificateBody.encode({
      accountKey: a.publicKey,
      deviceId: 1,
      signingKey: keys.signingKeyPair.publicKey,
      identityKey: keys.identityKeyPair.publicKey,
      peerId: fakePeerId(provider),
      createdAt: 0,
    })
    const forged = await signRecord(provider, b.secret.bytes, SignatureContext.DeviceCertificate, body)
    await expect(verifyDeviceCertificate(ctx, forged)).rejects.toThrow(InvalidSignatureError)
    await expect(verifyDeviceCertificate(ctx, forged, a.publicKey)).rejects.toThrow(InvalidSignatureError)
  })

  it('a certificate signed under another context → InvalidSignatureError', async () => {
    const account = await AccountKeyPair.generate(provider)
    const good = Signed.decode(await forge(account, {}))
    const wrongContext = await signRecord(
      provider,
      account.secret.bytes,
      SignatureContext.DeviceList,
      good.body,
    )
    await expect(verifyDeviceCertificate(ctx, wrongContext)).rejects.toThrow(InvalidSignatureError)
  })

  it('a signed certificate with a low-order identity key or small-order signing key → InvalidKeyError', async () => {
    const account = await AccountKeyPair.generate(provider)
    for (const identityKey of X25519_LOW_ORDER_POINTS) {
      await expect(verifyDeviceCertificate(ctx, await forge(account, { identityKey }))).rejects.toThrow(
        InvalidKeyError,
      )
    }
    for (const signingKey of ED25519_SMALL_ORDER_ENCODINGS) {
      await expect(verifyDeviceCertificate(ctx, await forge(account, { signingKey }))).rejects.toThrow(
        InvalidKeyError,
      )
    }
  })

  it('a certificate naming a small-order account key → InvalidKeyError, without a signature check', async () => {
    const account = await AccountKeyPair.generate(provider)
    const body = DeviceCertificateBody.decode(Signed.decode(await forge(account, {})).body)
    const forged = Signed.encode({
      body: DeviceCertificateBody.encode({ ...body, accountKey: ED25519_SMALL_ORDER_ENCODINGS[1]! }),
      signature: new Uint8Array(64),
    })
    await expect(verifyDeviceCertificate(ctx, forged)).rejects.toThrow(InvalidKeyError)
  })

  it('the issuer refuses to certify a low-order identity key', async () => {
    const account = await AccountKeyPair.generate(provider)
    const keys = await generateDeviceKeys(provider)
    await expect(
      issueDeviceCertificate(ctx, account, {
        deviceId: 1,
        signingKey: keys.signingKeyPair.publicKey,
        identityKey: X25519_LOW_ORDER_POINTS[0]!,
        peerId: fakePeerId(provider),
      }),
    ).rejects.toThrow(InvalidKeyError)
  })

  it('createLocalDevice: fresh keys, a certificate binding them, the address of the device', async () => {
    const account = await AccountKeyPair.generate(provider)
    const peerId = fakePeerId(provider)
    const device = await createLocalDevice(ctx, account, { deviceId: 2, peerId })
    expect(device.address.deviceId).toBe(2)
    expect(toHex(device.address.accountKey)).toBe(toHex(account.publicKey))
    const verified = await verifyDeviceCertificate(ctx, device.certificate, account.publicKey)
    expect(toHex(verified.identityKey)).toBe(toHex(device.identityKeyPair.publicKey))
    expect(toHex(verified.signingKey)).toBe(toHex(device.signingKeyPair.publicKey))
    expect(toHex(verified.peerId)).toBe(toHex(peerId))
    expect(toHex(await provider.x25519PublicKey(device.identityKeyPair.secretKey))).toBe(
      toHex(device.identityKeyPair.publicKey),
    )
  })
})
