import { DeviceListRequest, DeviceListResponse, PROTOCOL_DEVICE_LIST, StatusCode } from '@ferry/wire'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DeviceListClient, type DeviceListServer, deviceListServer } from '../src/index.js'
import {
  deviceList,
  MemoryDeviceListBackend,
  makeDevice,
  verifyDeviceList,
} from './fixtures/memory-record-backends.js'
import { hex, startPeer, startRelay, stopAll } from './fixtures/network.js'
import { RawStream } from './fixtures/raw-stream.js'

describe('device-list protocol', () => {
  let relay: Libp2p<{ deviceLists: DeviceListServer }>
  let peer: Libp2p
  let client: DeviceListClient

  beforeEach(async () => {
    relay = await startRelay({
      deviceLists: deviceListServer({ backend: new MemoryDeviceListBackend(), verifyDeviceList }),
    })
    peer = await startPeer()
    client = new DeviceListClient(peer)
  })

  afterEach(async () => {
    await stopAll(peer, relay)
  })

  it('stores a newer list and refuses an older or equal one', async () => {
    const account = await generateKeyPair('Ed25519')
    const device = await makeDevice(1, account)
    const target = relay.getMultiaddrs()
    expect(await client.get(target, account.publicKey.raw)).toBeUndefined()

    const v2 = await deviceList(account, 2, device.certificate)
    expect(await client.put(target, v2)).toBe('stored')
    expect(hex((await client.get(target, account.publicKey.raw))!)).toBe(hex(v2))

    expect(await client.put(target, await deviceList(account, 1, device.certificate))).toBe('stale')
    expect(await client.put(target, await deviceList(account, 2, device.certificate))).toBe('stale')
    expect(hex((await client.get(target, account.publicKey.raw))!)).toBe(hex(v2))

    const v3 = await deviceList(account, 3, device.certificate)
    expect(await client.put(target, v3)).toBe('stored')
    expect(hex((await client.get(target, account.publicKey.raw))!)).toBe(hex(v3))
  })

  it('refuses a list signed by another key, and keeps the stored one', async () => {
    const account = await generateKeyPair('Ed25519')
    const forger = await generateKeyPair('Ed25519')
    const device = await makeDevice(1, account)
    const target = relay.getMultiaddrs()
    const v1 = await deviceList(account, 1, device.certificate)
    await client.put(target, v1)
    await expect(
      client.put(target, await deviceList(account, 9, device.certificate, forger)),
    ).rejects.toMatchObject({
      name: 'RequestRefusedError',
      code: StatusCode.INVALID_RECORD,
    })
    expect(hex((await client.get(target, account.publicKey.raw))!)).toBe(hex(v1))
  })

  it('refuses a malformed request with its typed code', async () => {
    const raw = await RawStream.open(peer, relay.getMultiaddrs(), PROTOCOL_DEVICE_LIST)
    raw.sendFrame(DeviceListRequest.encode({ version: 1, get: new Uint8Array(32) }).subarray(0, 10))
    const [reply] = await raw.drain()
    expect(DeviceListResponse.decode(reply!).status).toBe(StatusCode.MALFORMED)
  })
})
