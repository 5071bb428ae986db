/**
 * What every Ferry libp2p host shares, whatever its platform or role: noise encryption, yamux
 * multiplexing, identify, ping, and Ferry's private Kademlia DHT. The role presets (relay.ts, node.ts,
 * and a browser preset beside them later) add transports, limits and role services on top of
 * `baseConfig`, which is platform-neutral: it imports no Node-only module.
 */
import { type ICryptoInterface, noise } from '@chainsafe/libp2p-noise'
import { PROTOCOL_KAD_DHT } from '@ferry/wire'
import { type Identify, identify } from '@libp2p/identify'
import type { ComponentLogger, ConnectionGater, PrivateKey, ServiceMap } from '@libp2p/interface'
import {
  type KadDHT,
  kadDHT,
  passthroughMapper,
  removePrivateAddressesMapper,
  type SelectFn,
  type ValidateFn,
} from '@libp2p/kad-dht'
import { type Ping, ping } from '@libp2p/ping'
import { yamux } from '@libp2p/yamux'
import type { Libp2pInit, ServiceFactoryMap } from 'libp2p'

export interface DhtInit {
  /**
   * Only query the DHT, never answer (devices behind NAT). Default: false on a relay, true on a
   * peer node.
   */
  clientMode?: boolean
  /**
   * Keep private and loopback addresses in DHT peer records (tests, LANs). Default: false, which
   * strips them so a public DHT does not spread unreachable addresses.
   */
  privateAddresses?: boolean
  /** Record validators keyed by the key's namespace (for Ferry's device-list records). */
  validators?: Record<string, ValidateFn>
  /** Record selectors keyed by the key's namespace (highest valid version wins). */
  selectors?: Record<string, SelectFn>
}

export interface ConnectionLimitsInit {
  /** Connections held before libp2p prunes. */
  maxConnections?: number
  /** Inbound connections per second accepted from one host. */
  inboundConnectionThreshold?: number
  /** Inbound connections in their handshake at once. */
  maxIncomingPendingConnections?: number
}

export interface BaseLibp2pInit<S extends ServiceMap = ServiceMap> {
  /** The host's identity key. A relay persists it; a device stores its own. Default: a fresh Ed25519 key. */
  privateKey?: PrivateKey
  /** Multiaddrs to listen on. */
  listen?: string[]
  /** Multiaddrs to announce instead of the listening ones (a relay behind a load balancer). */
  announce?: string[]
  /** Replaces the platform's default transports (tests pass @libp2p/memory). */
  transports?: Libp2pInit['transports']
  /** Decides which connections are allowed; the libp2p default otherwise. */
  connectionGater?: ConnectionGater
  /** Connection-manager limits; the role's defaults otherwise. */
  connectionManager?: ConnectionLimitsInit
  /** Ferry DHT settings. */
  dht?: DhtInit
  /** Further services (Ferry protocols and clients), added to the preset's own. */
  services?: ServiceFactoryMap<S>
  /** Logger for every component; libp2p's debug logger otherwise. */
  logger?: ComponentLogger
}

/** The services every Ferry host runs. */
export interface BaseServices {
  identify: Identify
  ping: Ping
  dht: KadDHT
}

/** The configuration libp2p's `createLibp2p` takes, whatever the services. */
export type HostConfig = Libp2pInit<ServiceMap>

type Factory = (components: never) => unknown

/**
 * Re-types a libp2p module factory for `createLibp2p`. @libp2p/interface is installed twice here
 * (3.2.5 at the root, as pinned by this package, and 3.3.x nested under libp2p, kad-dht, yamux, ping
 * and others), so factories built against one version do not type-check against the other although
 * they are identical at runtime. Drop this once the pin is raised to match.
 */
export function component<T>(factory: Factory): T {
  return factory as T
}

/** The platform-neutral part of a Ferry host's configuration. */
export function baseConfig<S extends ServiceMap>(
  init: BaseLibp2pInit<S>,
  role: {
    clientMode: boolean
    /** The platform's noise crypto (Node: noise-crypto.node.ts); noise's default otherwise. */
    noiseCrypto?: ICryptoInterface
  },
): HostConfig & { services: NonNullable<HostConfig['services']> } {
  const dht = init.dht ?? {}
  return {
    privateKey: init.privateKey,
    addresses: { listen: init.listen ?? [], announce: init.announce },
    connectionEncrypters: [
      component(noise(role.noiseCrypto === undefined ? {} : { crypto: role.noiseCrypto })),
    ],
    streamMuxers: [component(yamux())],
    connectionGater: init.connectionGater,
    logger: init.logger,
    services: {
      identify: component(identify()),
      ping: component(ping()),
      dht: component(
        kadDHT({
          protocol: PROTOCOL_KAD_DHT,
          clientMode: dht.clientMode ?? role.clientMode,
          peerInfoMapper: dht.privateAddresses === true ? passthroughMapper : removePrivateAddressesMapper,
          validators: dht.validators,
          selectors: dht.selectors,
        }),
      ),
      ...(component<HostConfig['services']>(init.services as never) ?? {}),
    },
  }
}
