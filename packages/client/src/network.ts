/**
 * The device's libp2p host and the Ferry protocol clients on it. The host itself comes from the
 * platform (`#platform`: the Node preset with TCP and WebSockets, or the browser one), so this module
 * stays platform-neutral.
 */
import {
  DeliverClient,
  DeviceListClient,
  type EnvelopeHandler,
  type GroupGossip,
  LinkClient,
  type LinkHandler,
  MailboxClient,
  PreKeyClient,
} from '@ferry/transport'
import type { AbortOptions, ComponentLogger, Connection, Libp2p, PeerId, PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

export interface HostInit {
  readonly privateKey: PrivateKey
  /** Addresses to listen on directly; the platform's defaults when absent. */
  readonly listen?: readonly string[]
  /** Relay multiaddrs to take circuit-relay reservations on, so peers can reach this device through them. */
  readonly relays: readonly string[]
  /** Envelopes delivered directly to this device (`/ferry/deliver/1`). */
  readonly onEnvelope: EnvelopeHandler
  /** Link requests from new devices of this account (`/ferry/link/1`). */
  readonly onLinkRequest: LinkHandler
  readonly logger?: ComponentLogger
}

/**
 * What the platform provides: a started libp2p host with the deliver and link servers mounted, and
 * group gossip as its `groupGossip` service (without it, group messages go through relays only).
 */
export type CreateHost = (init: HostInit) => Promise<Libp2p>

export class Network {
  readonly host: Libp2p
  readonly mailbox: MailboxClient
  readonly deliver: DeliverClient
  readonly preKeys: PreKeyClient
  readonly deviceLists: DeviceListClient
  readonly link: LinkClient
  /** Group gossip, when the host runs it. */
  readonly gossip: GroupGossip | undefined

  constructor(host: Libp2p) {
    this.host = host
    this.gossip = (host.services as { groupGossip?: GroupGossip }).groupGossip
    const components = {
      peerId: host.peerId,
      dial: (target: PeerId | Multiaddr | Multiaddr[], options?: AbortOptions): Promise<Connection> =>
        host.dial(target, options),
      getConnections: (peer?: PeerId): Connection[] => host.getConnections(peer),
    }
    this.mailbox = new MailboxClient(components, { runOnLimitedConnection: false })
    this.deliver = new DeliverClient(components)
    this.preKeys = new PreKeyClient(components)
    this.deviceLists = new DeviceListClient(components)
    this.link = new LinkClient(components)
  }

  get peerId(): PeerId {
    return this.host.peerId
  }

  /** True when there is an open connection to the peer. */
  isConnected(peer: PeerId): boolean {
    return this.host.getConnections(peer).length > 0
  }

  async stop(): Promise<void> {
    this.mailbox.close()
    this.deliver.close()
    await this.host.stop()
  }
}
