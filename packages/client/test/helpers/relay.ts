/**
 * A relay in this process for the messenger's tests: the real transport services over the real
 * relay stores (memory-level), on TCP loopback. The `ferry-relay` process is tested in test/relay.
 */

import { nodeProvider } from '@ferry/crypto/provider/node'
import { verifyDeviceCertificate, verifyDeviceList, verifySignedPreKey } from '@ferry/crypto/records'
import { openRelayStorage } from '@ferry/storage'
import {
  createRelayLibp2p,
  type DepositOutcome,
  deviceKey,
  deviceListServer,
  type MailboxBackend,
  mailboxServer,
  preKeyServer,
} from '@ferry/transport'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { MemoryLevel } from 'memory-level'

/** A deposit as the relay's store received it. */
export interface DepositRecord {
  readonly envelopeId: Uint8Array
  /** The payload's kind byte (0x30 sealed envelope, 0x23 group envelope). */
  readonly kind: number
  readonly payload: Uint8Array
  readonly mailboxes: number
  readonly outcome: DepositOutcome['status']
  /** When the relay will drop it (its own clock), for a stored or duplicate deposit. */
  readonly expiresAt?: number
}

export interface TestRelay {
  readonly addr: string
  stop(): Promise<void>
  storedEnvelopes(): number
  /** One-time pre-keys the relay holds for a device. */
  oneTimePreKeys(accountKey: Uint8Array, deviceId: number): Promise<number>
  /** The store's counters (deposits stored, acks, live envelopes, ...). */
  stats(): ReturnType<Awaited<ReturnType<typeof openRelayStorage>>['mailbox']['stats']>
  /** Every deposit, in arrival order. */
  deposits(): readonly DepositRecord[]
  /** Kind bytes of every envelope the relay handed to a fetching device (listed or pushed live). */
  handedOut(): readonly number[]
}

/** The store behind the mailbox service, recording what passes through it. */
function recording(backend: MailboxBackend, deposits: DepositRecord[], handedOut: number[]): MailboxBackend {
  return {
    async deposit(request, options) {
      const outcome = await backend.deposit(request, options)
      deposits.push({
        envelopeId: request.envelopeId.slice(),
        kind: request.payload[0] ?? -1,
        payload: request.payload.slice(),
        mailboxes: request.mailboxes.length,
        outcome: outcome.status,
        ...('expiresAt' in outcome ? { expiresAt: outcome.expiresAt } : {}),
      })
      return outcome
    },
    async list(mailbox, options) {
      const listed = await backend.list(mailbox, options)
      handedOut.push(...listed.map((e) => e.payload[0] ?? -1))
      return listed
    },
    ack: (mailbox, ids, options) => backend.ack(mailbox, ids, options),
    status: (id) => backend.status(id),
    subscribe: (mailbox, listener) =>
      backend.subscribe(mailbox, (envelope) => {
        handedOut.push(envelope.payload[0] ?? -1)
        listener(envelope)
      }),
  }
}

export async function startTestRelay(): Promise<TestRelay> {
  const storage = await openRelayStorage({ db: new MemoryLevel() as never })
  const deposits: DepositRecord[] = []
  const handedOut: number[] = []
  const ctx = { provider: nodeProvider, now: Date.now }
  const host = await createRelayLibp2p({
    privateKey: await generateKeyPair('Ed25519'),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    dht: { privateAddresses: true },
    services: {
      mailbox: mailboxServer({ backend: recording(storage.mailbox, deposits, handedOut) }),
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
    oneTimePreKeys: async (accountKey, deviceId) =>
      (await storage.preKeys.count(deviceKey(accountKey, deviceId))).oneTime,
    stats: () => storage.mailbox.stats(),
    deposits: () => deposits,
    handedOut: () => handedOut,
    async stop() {
      await host.stop()
      await storage.close()
    },
  }
}
