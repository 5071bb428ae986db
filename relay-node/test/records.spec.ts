/**
 * The relay's record checks on real records made with @ferry/crypto: the verification-only provider
 * applies Ferry's Ed25519 policy (and nothing else), the pre-key upload verifier accepts a device's
 * real upload and refuses every tampered or mismatched part, and the device-list verifier likewise.
 */
import { nodeProvider } from '@ferry/crypto/provider/node'
import {
  AccountKeyPair,
  createLocalDevice,
  ED25519_SMALL_ORDER_ENCODINGS,
  generateKemPreKey,
  generateSignedPreKey,
  issueDeviceList,
  SignatureContext,
  signRecord,
} from '@ferry/crypto/records'
import type { PreKeyUpload } from '@ferry/transport'
import { DeviceListBody } from '@ferry/wire'
import { describe, expect, it } from 'vitest'
import { deviceListVerifier, preKeyUploadVerifier, verifyingProvider } from '../src/records.js'

const ctx = { provider: nodeProvider, now: () => 1_700_000_000_000 }
const now = () => 1_700_000_000_000

async function device(account?: AccountKeyPair) {
  const owner = account ?? (await AccountKeyPair.generate(nodeProvider))
  const local = await createLocalDevice(ctx, owner, { deviceId: 1, peerId: new Uint8Array([0, 1, 2]) })
  return { account: owner, local }
}

async function upload(local: Awaited<ReturnType<typeof device>>['local']): Promise<PreKeyUpload> {
  const signed = await generateSignedPreKey(ctx, local.signingKeyPair, 1)
  const lastResort = await generateKemPreKey(ctx, local.signingKeyPair, 2, { lastResort: true })
  const oneTime = await generateKemPreKey(ctx, local.signingKeyPair, 3, { lastResort: false })
  return {
    certificate: local.certificate,
    signedPreKey: signed.record,
    kemLastResort: lastResort.record,
    oneTimePreKeys: [{ id: 9, publicKey: new Uint8Array(32).fill(9) }],
    oneTimeKemPreKeys: [{ id: 3, record: oneTime.record }],
  }
}

function flip(bytes: Uint8Array, at = bytes.byteLength - 1): Uint8Array {
  const out = bytes.slice()
  out[at]! ^= 1
  return out
}

describe('verifyingProvider', () => {
  it('verifies Ed25519 exactly as the node provider does, on valid and tampered signatures', async () => {
    const pair = await nodeProvider.ed25519Keygen()
    const message = new TextEncoder().encode('record')
    const signature = await nodeProvider.ed25519Sign(pair.secretKey, message)
    expect(await verifyingProvider.ed25519Verify(pair.publicKey, message, signature)).toBe(true)
    for (const [key, msg, sig] of [
      [pair.publicKey, flip(message), signature],
      [pair.publicKey, message, flip(signature, 0)],
      [pair.publicKey, message, flip(signature)],
      [flip(pair.publicKey, 0), message, signature],
      [pair.publicKey, message, signature.subarray(0, 63)],
    ] as const) {
      expect(await verifyingProvider.ed25519Verify(key, msg, sig)).toBe(false)
      expect(await verifyingProvider.ed25519Verify(key, msg, sig)).toBe(
        await nodeProvider.ed25519Verify(key, msg, sig),
      )
    }
  })

  it('refuses a non-canonical S (S + L) and small-order keys or R', async () => {
    const pair = await nodeProvider.ed25519Keygen()
    const message = new Uint8Array([1, 2, 3])
    const signature = await nodeProvider.ed25519Sign(pair.secretKey, message)
    // S + L: the same point equation, a malleated encoding
    const L = [
      0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]
    const malleated = signature.slice()
    let carry = 0
    for (let i = 0; i < 32; i++) {
      const sum = malleated[32 + i]! + L[i]! + carry
      malleated[32 + i] = sum & 0xff
      carry = sum >> 8
    }
    expect(await verifyingProvider.ed25519Verify(pair.publicKey, message, malleated)).toBe(false)
    for (const small of ED25519_SMALL_ORDER_ENCODINGS) {
      expect(await verifyingProvider.ed25519Verify(small, message, signature)).toBe(false)
      const r = signature.slice()
      r.set(small, 0)
      expect(await verifyingProvider.ed25519Verify(pair.publicKey, message, r)).toBe(false)
    }
  })

  it('performs no other operation: it holds no key and makes no secret', async () => {
    await expect(verifyingProvider.ed25519Sign(new Uint8Array(32), new Uint8Array(1))).rejects.toThrow(
      expect.objectContaining({ name: 'UnsupportedOperationError' }),
    )
    await expect(verifyingProvider.x25519Keygen()).rejects.toThrow(/never performs/)
    await expect(
      verifyingProvider.aesGcmDecrypt(
        new Uint8Array(32),
        new Uint8Array(12),
        new Uint8Array(16),
        new Uint8Array(0),
      ),
    ).rejects.toThrow(/never performs/)
  })
})

describe('preKeyUploadVerifier', () => {
  const verify = preKeyUploadVerifier(now)

  it("accepts a device's real upload and names its account, device and signing key", async () => {
    const { account, local } = await device()
    const verified = await verify(await upload(local))
    expect(verified).toEqual({
      accountKey: account.publicKey,
      deviceId: 1,
      signingKey: local.signingKeyPair.publicKey,
    })
  })

  it('refuses a tampered certificate or record, a record of the wrong kind, another device, or a mismatched ID', async () => {
    const { local } = await device()
    const good = await upload(local)
    const other = (await device()).local
    const otherUpload = await upload(other)
    const bad: PreKeyUpload[] = [
      { ...good, certificate: flip(good.certificate) },
      { ...good, signedPreKey: flip(good.signedPreKey) },
      { ...good, kemLastResort: flip(good.kemLastResort) },
      { ...good, signedPreKey: good.kemLastResort },
      { ...good, kemLastResort: good.oneTimeKemPreKeys[0]!.record },
      { ...good, signedPreKey: otherUpload.signedPreKey },
      { ...good, certificate: otherUpload.certificate },
      { ...good, oneTimeKemPreKeys: [{ id: 4, record: good.oneTimeKemPreKeys[0]!.record }] },
      { ...good, oneTimeKemPreKeys: [{ id: 2, record: good.kemLastResort }] },
      { ...good, certificate: new Uint8Array([1, 2, 3]) },
    ]
    for (const [i, attempt] of bad.entries()) {
      expect(await verify(attempt), `case ${i}`).toBeUndefined()
    }
  })
})

describe('deviceListVerifier', () => {
  const verify = deviceListVerifier(now)

  it('accepts a real list and reads its account and version; refuses a tampered or foreign one', async () => {
    const { account, local } = await device()
    const list = await issueDeviceList(ctx, account, {
      listVersion: 7,
      devices: [{ certificate: local.certificate, mailboxes: [] }],
    })
    expect(await verify(list)).toEqual({ accountKey: account.publicKey, listVersion: 7 })
    expect(await verify(flip(list))).toBeUndefined()
    expect(await verify(flip(list, 10))).toBeUndefined()
    expect(await verify(new Uint8Array(0))).toBeUndefined()
    // a list naming a device whose certificate another account signed: a forged entry
    const stranger = await device()
    const body = DeviceListBody.encode({
      accountKey: account.publicKey,
      listVersion: 8,
      issuedAt: 1,
      devices: [{ certificate: stranger.local.certificate, mailboxes: [] }],
    })
    const forged = await signRecord(nodeProvider, account.secret.bytes, SignatureContext.DeviceList, body)
    expect(await verify(forged)).toBeUndefined()
  })
})
