import { AccountKeyPair, createLocalDevice, issueDeviceList, verifyDeviceList } from '@ferry/crypto'
import { nodeProvider } from '@ferry/crypto/provider/node'
import { openClientStore } from '@ferry/storage'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { MemoryLevel } from 'memory-level'
import { afterEach, describe, expect, it } from 'vitest'
import { newMailboxes, parseRelays, publicMailbox } from '../src/identity.js'
import { createMessenger, IdentityChangedError, type MessageEvent, type Messenger } from '../src/index.js'
import { startTestRelay, type TestRelay } from './helpers/relay.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch(() => {})
  }
})

async function relay(): Promise<TestRelay> {
  const r = await startTestRelay()
  cleanups.push(() => r.stop())
  return r
}

async function messenger(db = new MemoryLevel()): Promise<Messenger> {
  const m = await createMessenger({ db: db as never, listen: ['/ip4/127.0.0.1/tcp/0'] })
  cleanups.push(() => m.close())
  return m
}

/**
 * Bob's primary comes back on a new install: the same account key (restored from a backup), device
 * number 1 again, but new device keys, in a device list one version newer.
 */
async function restoreOnNewInstall(bobDb: MemoryLevel, r: TestRelay): Promise<Messenger> {
  const ctx = { provider: nodeProvider, now: Date.now }
  const old = await openClientStore(bobDb as never)
  const record = (await old.account.get())!
  const account = await AccountKeyPair.fromSecret(nodeProvider, record.accountSecret!)
  const peerKey = await generateKeyPair('Ed25519')
  const local = await createLocalDevice(ctx, account, {
    deviceId: 1,
    peerId: peerIdFromPrivateKey(peerKey).toMultihash().bytes,
  })
  const mailboxes = await newMailboxes(parseRelays([r.addr]))
  const version = (await verifyDeviceList(ctx, record.deviceList!.signed)).listVersion + 1
  const list = await issueDeviceList(ctx, account, {
    listVersion: version,
    devices: [{ certificate: local.certificate, mailboxes: mailboxes.map(publicMailbox) }],
  })
  const fresh = new MemoryLevel()
  const store = await openClientStore(fresh as never)
  const unit = store.unit()
  await unit.account.put({
    accountKey: account.publicKey,
    accountSecret: account.secret.bytes,
    deviceId: 1,
    identityKeyPair: local.identityKeyPair,
    signingKeyPair: local.signingKeyPair,
    certificate: local.certificate,
    peerPrivateKey: privateKeyToProtobuf(peerKey),
    mailboxes,
    deviceList: { signed: list, version },
    preKeys: { nextOneTimeId: 1, nextKemId: 1, signedPreKeyId: 0, signedPreKeyCreatedAt: 0 },
  })
  await unit.commit()
  await store.close()
  return messenger(fresh)
}

describe('identity changes', () => {
  it('surfaces a changed identity key and pauses sending to it until the user approves', async () => {
    const r = await relay()
    const alice = await messenger()
    const bobDb = new MemoryLevel()
    const bob = await messenger(bobDb)
    await alice.createAccount({ relays: [r.addr] })
    const bobInfo = await bob.createAccount({ relays: [r.addr] })
    await bob.start()
    await alice.start()
    await alice.addContact(bobInfo.invite, { name: 'bob' })
    const first = await alice.send('bob', 'before')
    expect(first.devices[0]!.status).not.toBe('pending')
    await bob.stop()

    const restored = await restoreOnNewInstall(bobDb, r)
    await restored.start()
    await new Promise((resolve) => setTimeout(resolve, 500)) // publishes its list and pre-keys

    const changes: string[] = []
    alice.on('identity-changed', (event) => changes.push(event.account))
    await alice.addContact(bobInfo.invite) // refreshes Bob's device list: version 2
    const err = await alice.send('bob', 'after').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(IdentityChangedError)
    expect(changes).toEqual([bobInfo.accountId])

    await alice.approveIdentity('bob')
    const arrived = new Promise<MessageEvent>((resolve) => restored.on('message', resolve))
    await alice.send('bob', 'after approval')
    expect((await arrived).text).toBe('after approval')
  })
})
