/**
 * The relay's libp2p host as the configuration describes it: the relay preset (TCP, WebSockets,
 * kad-dht server, circuit relay v2 server, raised connection limits, no connection monitor) with the
 * mailbox, pre-key and device-list services on the relay's storage, their limits from the config,
 * their record checks from @ferry/crypto/records, and their events feeding the metrics.
 */
import type { RelayStorage } from '@ferry/storage'
import {
  createRelayLibp2p,
  type DeviceListServer,
  deviceListServer,
  type MailboxServer,
  mailboxServer,
  type PreKeyServer,
  preKeyServer,
  type RelayServices,
} from '@ferry/transport'
import type { Libp2p, PrivateKey, ServiceMap } from '@libp2p/interface'
import type { RelayConfig } from './config/schema.js'
import { RelayStartError } from './errors.js'
import { libp2pLogger } from './libp2p-logger.js'
import type { RelayMetrics } from './metrics/relay-metrics.js'
import { deviceListVerifier, preKeyUploadVerifier } from './records.js'

/** The services of a relay host. */
export type RelayHostServices = ServiceMap &
  RelayServices & {
    mailbox: MailboxServer
    prekeys: PreKeyServer
    deviceLists: DeviceListServer
  }

export interface HostInit {
  config: RelayConfig
  privateKey: PrivateKey
  storage: Pick<RelayStorage, 'mailbox' | 'preKeys' | 'deviceLists'>
  metrics: Pick<RelayMetrics, 'onMailboxEvent' | 'onPreKeyEvent' | 'onDeviceListEvent'>
  now: () => number
}

/** Creates and starts the host; a failure to listen is a RelayStartError naming the addresses. */
export async function createHost(init: HostInit): Promise<Libp2p<RelayHostServices>> {
  const { config, storage, metrics, now } = init
  const limits = config.streams
  try {
    const node = await createRelayLibp2p({
      privateKey: init.privateKey,
      listen: config.listen,
      announce: config.announce.length > 0 ? config.announce : undefined,
      connectionManager: config.connections,
      dht: { privateAddresses: config.dht.privateAddresses },
      logger: libp2pLogger(process.env),
      circuitRelay: {
        maxReservations: config.circuitRelay.maxReservations,
        reservationTtl: config.circuitRelay.reservationTtlMs,
        defaultDurationLimit: config.circuitRelay.durationLimitMs,
        defaultDataLimit: BigInt(config.circuitRelay.dataLimitBytes),
        applyDefaultLimit: config.circuitRelay.applyLimits,
        maxInboundHopStreams: config.circuitRelay.maxInboundHopStreams,
      },
      services: {
        mailbox: mailboxServer({
          backend: storage.mailbox,
          maxEnvelopeBytes: config.mailbox.maxEnvelopeBytes,
          maxDepositMailboxes: config.mailbox.maxDepositMailboxes,
          defaultTtlMs: config.mailbox.defaultTtlMs,
          maxTtlMs: config.mailbox.maxTtlMs,
          depositBurstPerPeer: config.mailbox.depositBurstPerPeer,
          depositRatePerPeerPerSecond: config.mailbox.depositRatePerPeerPerSecond,
          queryBurstPerPeer: config.mailbox.queryBurstPerPeer,
          queryRatePerPeerPerSecond: config.mailbox.queryRatePerPeerPerSecond,
          maxInboundStreams: limits.mailboxMaxInboundStreams,
          maxStreamsPerPeer: limits.mailboxMaxStreamsPerPeer,
          maxPipelinedDeposits: limits.maxPipelinedDeposits,
          frameTimeoutMs: limits.frameTimeoutMs,
          idleTimeoutMs: limits.idleTimeoutMs,
          now,
          onEvent: metrics.onMailboxEvent,
        }),
        prekeys: preKeyServer({
          backend: storage.preKeys,
          verifyUpload: preKeyUploadVerifier(now),
          ...config.preKeys,
          frameTimeoutMs: limits.frameTimeoutMs,
          idleTimeoutMs: limits.idleTimeoutMs,
          now,
          onEvent: metrics.onPreKeyEvent,
        }),
        deviceLists: deviceListServer({
          backend: storage.deviceLists,
          verifyDeviceList: deviceListVerifier(now),
          burstPerPeer: config.deviceLists.burstPerPeer,
          ratePerPeerPerSecond: config.deviceLists.ratePerPeerPerSecond,
          frameTimeoutMs: limits.frameTimeoutMs,
          idleTimeoutMs: limits.idleTimeoutMs,
          now,
          onEvent: metrics.onDeviceListEvent,
        }),
      },
    })
    return node as unknown as Libp2p<RelayHostServices>
  } catch (err) {
    const code = (err as { code?: string }).code
    const why = code ?? (err as Error)?.message ?? 'error'
    throw new RelayStartError(`cannot start libp2p on ${config.listen.join(' ')} (${why})`)
  }
}
