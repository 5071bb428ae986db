/**
 * A relay started in this process with `startRelay`: its handle, the pre-key and device-list
 * services end to end with real @ferry/crypto records (the verifiers the relay builds), TTLs on the
 * relay's own clock and the sweep, metrics, and an idempotent stop that releases the directory.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nodeProvider } from '@ferry/crypto/provider/node'
import {
  AccountKeyPair,
  createLocalDevice,
  generateKemPreKey,
  generateSignedPreKey,
  issueDeviceList,
  verifyPreKeyBundle,
} from '@ferry/crypto/records'
import { createNodeLibp2p, DeviceListClient, MailboxClient, PreKeyClient } from '@ferry/transport'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RelayHandle, startRelay } from '../src/relay.js'

const ctx = { provider: nodeProvider, now: Date.now }
const root = mkdtempSync(join(tmpdir(), 'ferry-relay-inproc-'))
let dirs = 0
const LOOPBACK = { listen: ['/ip4/127.0.0.1/tcp/0'], metrics: { port: 0 }, dht: { privateAddresses: true } }

let clock = 1_800_000_000_000
let relay: RelayHandle
let client: Libp2p

beforeAll(async () => {
  relay = await startRelay({ dataDir: join(root, `r${++dirs}`), config: LOOPBACK, now: () => clock })
  client = await createNodeLibp2p({ listen: [], dht: { privateAddresses: true } })
})

afterAll(async () => {
  await Promise.all(client.getConnections().map(async (c) => c.close().catch(() => {})))
  await client.stop()
  await relay.stop()
  rmSync(root, { recursive: true, force: true })
})

describe('startRelay', () => {
  it('returns a handle with the PeerId, dialable addresses, the metrics URL and readiness', async () => {
    expect(relay.ready).toBe(true)
    expect(relay.addrs.length).toBeGreaterThan(0)
    for (const addr of relay.addrs) {
      expect(addr).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${relay.peerId.toString()}$`))
    }
    expect(relay.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await fetch(`${relay.metricsUrl}/readyz`)).status).toBe(200)
    expect(relay.config.metrics.port).toBe(0)
    expect(relay.metrics()).toContain('ferry_relay_build_info')
  })

  it('serves pre-key uploads and claims with real records: one-time keys once, tampered uploads refused', async () => {
    const account = await AccountKeyPair.generate(nodeProvider)
    const device = await createLocalDevice(ctx, account, {
      deviceId: 1,
      peerId: client.peerId.toMultihash().bytes,
    })
    const signed = await generateSignedPreKey(ctx, device.signingKeyPair, 1)
    const lastResort = await generateKemPreKey(ctx, device.signingKeyPair, 2, { lastResort: true })
    const kem = await generateKemPreKey(ctx, device.signingKeyPair, 3, { lastResort: false })
    const oneTime = [1, 2].map((id) => ({ id, publicKey: nodeProvider.randomBytes(32) }))
    // one-time X25519 keys must be valid public keys for the bundle check: make real ones
    for (const key of oneTime) {
      key.publicKey = (await nodeProvider.x25519Keygen()).publicKey
    }
    const keys = new PreKeyClient(client)
    const sign = async (payload: Uint8Array) =>
      nodeProvider.ed25519Sign(device.signingKeyPair.secretKey, payload)
    const upload = {
      certificate: device.certificate,
      signedPreKey: signed.record,
      kemLastResort: lastResort.record,
      oneTimePreKeys: oneTime,
      oneTimeKemPreKeys: [kem.record],
    }
    expect(await keys.upload(relay.multiaddrs, upload, sign)).toEqual({ oneTime: 2, oneTimeKem: 1 })

    const first = await keys.claim(relay.multiaddrs, { accountKey: account.publicKey, deviceId: 1 })
    const second = await keys.claim(relay.multiaddrs, { accountKey: account.publicKey, deviceId: 1 })
    const a = await verifyPreKeyBundle(ctx, first!, { accountKey: account.publicKey, deviceId: 1 })
    const b = await verifyPreKeyBundle(ctx, second!, { accountKey: account.publicKey, deviceId: 1 })
    expect(a.oneTimePreKey?.id).not.toBe(b.oneTimePreKey?.id)
    expect(a.kemPreKey).toMatchObject({ id: 3, lastResort: false })
    expect(b.kemPreKey).toMatchObject({ id: 2, lastResort: true })

    // a record signed by another key: INVALID_RECORD; a challenge signed by another key: UNAUTHORISED
    const other = await createLocalDevice(ctx, account, { deviceId: 2, peerId: new Uint8Array([1]) })
    const foreign = await generateSignedPreKey(ctx, other.signingKeyPair, 1)
    await expect(
      keys.upload(relay.multiaddrs, { ...upload, signedPreKey: foreign.record }, sign),
    ).rejects.toMatchObject({
      status: 'INVALID_RECORD',
    })
    const wrongSigner = async (payload: Uint8Array) =>
      nodeProvider.ed25519Sign(other.signingKeyPair.secretKey, payload)
    await expect(keys.upload(relay.multiaddrs, upload, wrongSigner)).rejects.toMatchObject({
      status: 'UNAUTHORISED',
    })
    expect(relay.metrics()).toMatch(/ferry_relay_prekey_uploads_total\{result="ok"\} 1/)
  })

  it('stores the newest valid device list and refuses stale or forged ones', async () => {
    const account = await AccountKeyPair.generate(nodeProvider)
    const device = await createLocalDevice(ctx, account, { deviceId: 1, peerId: new Uint8Array([7]) })
    const lists = new DeviceListClient(client)
    const v2 = await issueDeviceList(ctx, account, {
      listVersion: 2,
      devices: [{ certificate: device.certificate, mailboxes: [] }],
    })
    const v1 = await issueDeviceList(ctx, account, {
      listVersion: 1,
      devices: [{ certificate: device.certificate, mailboxes: [] }],
    })
    expect(await lists.put(relay.multiaddrs, v2)).toBe('stored')
    expect(await lists.put(relay.multiaddrs, v1)).toBe('stale')
    expect(await lists.get(relay.multiaddrs, account.publicKey)).toEqual(v2)
    const forged = v2.slice()
    forged[forged.length - 1]! ^= 1
    await expect(lists.put(relay.multiaddrs, forged)).rejects.toMatchObject({ status: 'INVALID_RECORD' })
  })

  it("measures TTLs on the relay's clock and sweeps expired payloads", async () => {
    const mailboxes = new MailboxClient(client)
    const key = await generateKeyPair('Ed25519')
    const mailbox = await mailboxes.mailboxId(key, relay.peerId)
    const envelopeId = crypto.getRandomValues(new Uint8Array(16))
    const result = await mailboxes.deposit(relay.multiaddrs, {
      envelopeId,
      payload: new Uint8Array(64),
      mailboxIds: [mailbox],
      ttlMs: 10_000,
    })
    expect(result).toEqual({ status: 'stored', expiresAt: clock + 10_000 })
    const before = relay.storageStats().storedEnvelopes
    clock += 10_001
    const swept = await relay.sweep()
    expect(swept.expired).toBeGreaterThanOrEqual(1)
    expect(relay.storageStats().storedEnvelopes).toBe(before - 1)
    expect(await mailboxes.status(relay.multiaddrs, [envelopeId])).toEqual([
      { total: 1, pending: 1, expired: true },
    ])
    expect(relay.metrics()).toMatch(/ferry_relay_expired_envelopes_total [1-9]/)
    mailboxes.close()
  })
})

describe('startRelay lifecycle', () => {
  it('refuses a second relay on a directory in use, and stops idempotently, releasing it', async () => {
    const dataDir = join(root, `r${++dirs}`)
    const first = await startRelay({ dataDir, config: LOOPBACK })
    await expect(startRelay({ dataDir, config: LOOPBACK })).rejects.toMatchObject({
      name: 'DataDirLockedError',
    })
    const stopping = first.stop()
    expect(first.stop()).toBe(stopping)
    expect(first.ready).toBe(false)
    await stopping
    const again = await startRelay({ dataDir, config: LOOPBACK })
    expect(again.peerId.equals(first.peerId)).toBe(true)
    await again.stop()
  })

  it('refuses an invalid configuration naming the key', async () => {
    await expect(
      startRelay({ dataDir: join(root, `r${++dirs}`), config: { mailbox: { maxTtlMs: -1 } } }),
    ).rejects.toMatchObject({ name: 'ConfigError', key: 'mailbox.maxTtlMs' })
  })
})
