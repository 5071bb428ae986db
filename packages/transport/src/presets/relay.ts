/**
 * The relay host (Node): TCP and WebSockets, the Kademlia DHT in server mode, a circuit relay v2
 * server, connection limits raised for a server, and libp2p's connection monitor off (its pings to
 * every connection at once stall a relay holding thousands; yamux keeps its own keepalive). The Ferry
 * services (mailbox, pre-keys, device lists) come in through `services`.
 */
import { type CircuitRelayService, circuitRelayServer } from '@libp2p/circuit-relay-v2'
import type { Libp2p, PrivateKey, ServiceMap } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import {
  RELAY_INBOUND_CONNECTION_THRESHOLD,
  RELAY_MAX_CONNECTIONS,
  RELAY_MAX_INBOUND_HOP_STREAMS,
  RELAY_MAX_INCOMING_PENDING_CONNECTIONS,
  RELAY_MAX_RESERVATIONS,
} from '../constants.js'
import { installPolyfills } from '../polyfills.js'
import { type BaseLibp2pInit, type BaseServices, baseConfig, component, type HostConfig } from './common.js'
import { nodeNoiseCrypto } from './noise-crypto.node.js'
import { installNodeWebSocket } from './websocket.node.js'

export interface CircuitRelayLimitsInit {
  /** Reservations granted at once. Default: RELAY_MAX_RESERVATIONS. */
  maxReservations?: number
  /** Lifetime of a reservation, ms. Default: libp2p's (2 hours). */
  reservationTtl?: number
  /** Longest a relayed connection may stay open, ms. Default: libp2p's (2 minutes). */
  defaultDurationLimit?: number
  /** Most bytes a relayed connection may carry. Default: libp2p's (128 KiB). */
  defaultDataLimit?: bigint
  /** Apply the duration and data limits at all. Default: true. */
  applyDefaultLimit?: boolean
  /** Hop streams being set up at once. Default: RELAY_MAX_INBOUND_HOP_STREAMS. */
  maxInboundHopStreams?: number
}

export interface RelayLibp2pInit<S extends ServiceMap = ServiceMap> extends BaseLibp2pInit<S> {
  /** The relay's persistent identity (loaded from, or saved to, its data directory). Required. */
  privateKey: PrivateKey
  /** Circuit relay v2 server limits. */
  circuitRelay?: CircuitRelayLimitsInit
}

export interface RelayServices extends BaseServices {
  relay: CircuitRelayService
}

/** Default listening addresses of a relay: TCP and WebSockets on every interface, fixed by config. */
export const RELAY_DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/4001', '/ip4/0.0.0.0/tcp/4002/ws']

export async function createRelayLibp2p<S extends ServiceMap = ServiceMap>(
  init: RelayLibp2pInit<S>,
): Promise<Libp2p<RelayServices & S>> {
  installPolyfills()
  await installNodeWebSocket()
  const base = baseConfig(init, { clientMode: false, noiseCrypto: await nodeNoiseCrypto() })
  const limits = init.connectionManager ?? {}
  const relay = init.circuitRelay ?? {}
  const services: HostConfig['services'] = {
    ...base.services,
    relay: component(
      circuitRelayServer({
        maxInboundHopStreams: relay.maxInboundHopStreams ?? RELAY_MAX_INBOUND_HOP_STREAMS,
        reservations: {
          maxReservations: relay.maxReservations ?? RELAY_MAX_RESERVATIONS,
          reservationTtl: relay.reservationTtl,
          defaultDurationLimit: relay.defaultDurationLimit,
          defaultDataLimit: relay.defaultDataLimit,
          applyDefaultLimit: relay.applyDefaultLimit,
        },
      }),
    ),
  }
  return createLibp2p({
    ...base,
    addresses: { listen: init.listen ?? RELAY_DEFAULT_LISTEN, announce: init.announce },
    transports: init.transports ?? [component(tcp()), component(webSockets())],
    connectionManager: {
      maxConnections: limits.maxConnections ?? RELAY_MAX_CONNECTIONS,
      inboundConnectionThreshold: limits.inboundConnectionThreshold ?? RELAY_INBOUND_CONNECTION_THRESHOLD,
      maxIncomingPendingConnections:
        limits.maxIncomingPendingConnections ?? RELAY_MAX_INCOMING_PENDING_CONNECTIONS,
    },
    connectionMonitor: { enabled: false },
    services,
  }) as unknown as Promise<Libp2p<RelayServices & S>>
}
