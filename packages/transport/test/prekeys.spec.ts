import { PreKeyBundle, StatusCode } from '@ferry/wire'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PreKeyClient, type PreKeyServer, type PreKeyServerInit, preKeyServer } from '../src/index.js'
import {
  MemoryPreKeyBackend,
  makeDevice,
  preKeyRecord,
  type TestDevice,
  verifyUpload,
} from './fixtures/memory-record-backends.js'
import { hex, startPeer, startRelay, stopAll } from './fixtures/network.js'

describe('pre-key protocol', () => {
  let backend: MemoryPreKeyBackend
  let relay: Libp2p<{ prekeys: PreKeyServer }>
  let owner: Libp2p
  let requesters: Libp2p[]
  let device: TestDevice

  async function start(init: Partial<PreKeyServerInit> = {}): Promise<void> {
    await relay?.stop()
    relay = await startRelay({ prekeys: preKeyServer({ backend, verifyUpload, ...init }) })
  }

  async function upload(oneTime: number, oneTimeKem: number, sign = device.signingKey) {
    const client = new PreKeyClient(owner)
    return client.upload(
      relay.getMultiaddrs(),
      {
        certificate: device.certificate,
        signedPreKey: await preKeyRecord(device, 'SIGNED_X25519', 1),
        kemLastResort: await preKeyRecord(device, 'KEM_LAST_RESORT', 2),
        oneTimePreKeys: Array.from({ length: oneTime }, (_, i) => ({
          id: 100 + i,
          publicKey: new Uint8Array(32).fill(i),
        })),
        oneTimeKemPreKeys: await Promise.all(
          Array.from({ length: oneTimeKem }, async (_, i) => preKeyRecord(device, 'KEM_ONE_TIME', 200 + i)),
        ),
      },
      async (payload) => sign.sign(payload),
    )
  }

  async function claim(from: Libp2p) {
    const bytes = await new PreKeyClient(from).claim(relay.getMultiaddrs(), {
      accountKey: device.accountKey.publicKey.raw,
      deviceId: device.deviceId,
    })
    return bytes === undefined ? undefined : PreKeyBundle.decode(bytes)
  }

  beforeEach(async () => {
    backend = new MemoryPreKeyBackend()
    await start()
    owner = await startPeer()
    requesters = await Promise.all([startPeer(), startPeer(), startPeer()])
    device = await makeDevice(3)
  })

  afterEach(async () => {
    await stopAll(owner, ...requesters, relay)
  })

  it('uploads, then hands each one-time key out once and falls back to the last-resort key', async () => {
    expect(await upload(2, 2)).toEqual({ oneTime: 2, oneTimeKem: 2 })
    const lastResort = await preKeyRecord(device, 'KEM_LAST_RESORT', 2)
    const bundles = [await claim(requesters[0]!), await claim(requesters[1]!), await claim(requesters[2]!)]
    const oneTimeIds = bundles.map((b) => b?.oneTimePreKey?.id)
    expect(oneTimeIds).toEqual([100, 101, undefined])
    expect(hex(bundles[0]!.kemPreKey)).not.toBe(hex(bundles[1]!.kemPreKey))
    expect(hex(bundles[2]!.kemPreKey)).toBe(hex(lastResort))
    expect(hex(bundles[0]!.deviceCertificate)).toBe(hex(device.certificate))
    expect(await backend.count(deviceKeyOf(device))).toEqual({ oneTime: 0, oneTimeKem: 0 })
  })

  it('answers a claim for a device that never uploaded with undefined', async () => {
    expect(await claim(requesters[0]!)).toBeUndefined()
  })

  it('rate limits claims per requester with a typed code, others still served (FAULTS 27)', async () => {
    await start({ claimBurstPerRequester: 2, claimRatePerRequesterPerSecond: 0 })
    await upload(10, 0)
    await claim(requesters[0]!)
    await claim(requesters[0]!)
    await expect(claim(requesters[0]!)).rejects.toMatchObject({
      name: 'RequestRefusedError',
      code: StatusCode.RATE_LIMITED,
      status: 'RATE_LIMITED',
    })
    expect((await claim(requesters[1]!))?.oneTimePreKey).toBeDefined()
  })

  it('limits one-time-key claims per target: past it, bundles carry only the last-resort keys (FAULTS 27)', async () => {
    await start({ oneTimeClaimBurstPerTarget: 2, oneTimeClaimRatePerTargetPerSecond: 0 })
    await upload(10, 10)
    const first = await claim(requesters[0]!)
    const second = await claim(requesters[1]!)
    const third = await claim(requesters[2]!)
    expect(first?.oneTimePreKey).toBeDefined()
    expect(second?.oneTimePreKey).toBeDefined()
    expect(third?.oneTimePreKey).toBeUndefined()
    expect(hex(third!.kemPreKey)).toBe(hex(await preKeyRecord(device, 'KEM_LAST_RESORT', 2)))
    // the draining attempt consumed nothing past the limit
    expect(await backend.count(deviceKeyOf(device))).toEqual({ oneTime: 8, oneTimeKem: 8 })
  })

  it('refuses an upload signed by another key, or with records that do not verify', async () => {
    const stranger = await generateKeyPair('Ed25519')
    await expect(upload(1, 0, stranger)).rejects.toMatchObject({ code: StatusCode.UNAUTHORISED })
    const impostor = await makeDevice(3) // a certificate from another account for the same device number
    device = { ...device, certificate: impostor.certificate }
    await expect(upload(1, 0)).rejects.toMatchObject({ code: StatusCode.INVALID_RECORD })
    expect(await backend.count(deviceKeyOf(device))).toEqual({ oneTime: 0, oneTimeKem: 0 })
  })
})

function deviceKeyOf(device: TestDevice): Uint8Array {
  const key = new Uint8Array(36)
  key.set(device.accountKey.publicKey.raw)
  new DataView(key.buffer).setUint32(32, device.deviceId)
  return key
}
