import { describe, expect, it } from 'vitest'
import { InvalidRecordError } from '../../src/errors.js'
import { nodeProvider } from '../../src/provider/node.js'
import { createLocalDevice, verifyDeviceCertificate } from '../../src/records/certificate.js'
import { AccountKeyPair } from '../../src/records/keys.js'
import { spyProvider } from '../helpers/spy-provider.js'

describe('verified certificates are remembered by their bytes', () => {
  it('checks the signature once; a second verification still enforces the expected account', async () => {
    const spy = spyProvider(nodeProvider)
    const ctx = { provider: spy.provider, now: Date.now }
    const account = await AccountKeyPair.generate(nodeProvider)
    const other = await AccountKeyPair.generate(nodeProvider)
    const device = await createLocalDevice(ctx, account, {
      deviceId: 3,
      peerId: nodeProvider.randomBytes(38),
    })
    spy.reset()
    const first = await verifyDeviceCertificate(ctx, device.certificate, account.publicKey)
    expect(spy.count('ed25519Verify')).toBe(1)
    first.identityKey.fill(0) // a caller changing its copy changes nothing remembered
    const second = await verifyDeviceCertificate(ctx, device.certificate.slice(), account.publicKey)
    expect(spy.count('ed25519Verify')).toBe(1)
    expect(second.identityKey).toEqual(device.identityKeyPair.publicKey)
    await expect(verifyDeviceCertificate(ctx, device.certificate, other.publicKey)).rejects.toThrow(
      InvalidRecordError,
    )
    // a changed byte is a different certificate: verified again, and refused
    const forged = device.certificate.slice()
    forged[forged.byteLength - 1]! ^= 1
    await expect(verifyDeviceCertificate(ctx, forged)).rejects.toThrow()
    expect(spy.count('ed25519Verify')).toBe(2)
  })
})
