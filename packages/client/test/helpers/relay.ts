/**
 * A relay in this process for the messenger's tests: the real transport services over the real
 * relay stores (memory-level), on TCP loopback. The `ferry-relay` process is tested in test/relay.
 */

import { nodeProvider } from '@ferry/crypto/provider/node'
import { verifyDeviceCertificate, verifyDeviceList, verifySignedPreKey } from '@ferry/crypto/records'
import { openRelayStorage } from '@ferry/storage'
import { createRelayLibp2p, deviceListServer, mailboxServer, preKeyServer } from '@ferry/transport'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryLevel } from 'memory-level'

export interface TestRelay {
  readonly addr: string
  stop(): Promise<void>
  storedEnvelopes(): number
}

export async function startTestRelay(): Promise<TestRelay> {
  const storage = await openRelayStorage({ db: new MemoryLevel() as never })
  const ctx = { provider: nodeProvider, now: Date.now }
  const host = await createRelayLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    dht: { privateAddresses: true },
    services: {
      mailbox: mailboxServer({ backend: storage.mailbox }),
      preKeys: preKeyServer({
        backend: storage.preKeys,
        verifyUpload: async (upload) => {
          const certificate = await verifyDeviceCertificate(ctx, upload.certificate)
          await verifySignedPreKey(ctx, certificate.signingKey, upload.signedPreKey, ['SIGNED_X25519'])
          await verifySignedPreKey(ctx, certificate.signingKey, upload.kemLastResort, ['KEM_LAST_RESORT'])
          for (const { record } of upload.oneTimeKemPreKeys) {
            await verifySignedPreKey(ctx, certificate.signingKey, record, ['KEM_ONE_TIME'])
          }
          return {
            accountKey: certificate.accountKey,
            deviceId: certificate.deviceId,
            signingKey: certificate.signingKey,
          }
        },
      }),
      deviceLists: deviceListServer({
        backend: storage.deviceLists,
        verifyDeviceList: async (record) => {
          const list = await verifyDeviceList(ctx, record)
          return { accountKey: list.accountKey, listVersion: list.listVersion }
        },
      }),
    },
  })
  const addr = host.getMultiaddrs()[0]!.toString()
  return {
    addr,
    storedEnvelopes: () => storage.mailbox.stats().storedEnvelopes,
    async stop() {
      await host.stop()
      await storage.close()
    },
  }
}
