/**
 * The peer-node host (Node): TCP and WebSockets, circuit relay v2 as a transport (so a device behind
 * NAT is reachable through its relays, listening on `/p2p-circuit`), the Kademlia DHT in client mode
 * by default, libp2p's default connection limits. Ferry services (deliver server, clients) come in
 * through `services`. Group gossip (gossipsub for group topics, ../group-gossip) is mounted as the
 * `groupGossip` service unless `groupGossip: false`. A browser preset sits beside this one with
 * WebSockets and WebRTC.
 */
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import type { Libp2p, ServiceMap } from '@libp2p/interface'
import { tcp } from '@libp2p/tcp'
import { webSockets } from '@libp2p/websockets'
import { createLibp2p } from 'libp2p'
import { type GroupGossip, type GroupGossipInit, groupGossip } from '../group-gossip/index.js'
import { installPolyfills } from '../polyfills.js'
import { type BaseLibp2pInit, type BaseServices, baseConfig, component } from './common.js'
import { nodeNoiseCrypto } from './noise-crypto.node.js'
import { installNodeWebSocket } from './websocket.node.js'

export interface NodeLibp2pInit<S extends ServiceMap = ServiceMap> extends BaseLibp2pInit<S> {
  /** Group gossip settings, or false to run without it. Default: mounted with its defaults. */
  groupGossip?: GroupGossipInit | false
}

/** `groupGossip` is absent when the host was made with `groupGossip: false`. */
export type NodeServices = BaseServices & { groupGossip?: GroupGossip }

/** Default listening addresses of a peer node: an ephemeral TCP port on every interface. */
export const NODE_DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/0']

export async function createNodeLibp2p<S extends ServiceMap = ServiceMap>(
  init: NodeLibp2pInit<S> = {},
): Promise<Libp2p<NodeServices & S>> {
  installPolyfills()
  await installNodeWebSocket()
  const base = baseConfig(init, { clientMode: true, noiseCrypto: await nodeNoiseCrypto() })
  const limits = init.connectionManager ?? {}
  if (init.groupGossip !== false) {
    base.services.groupGossip = component(groupGossip(init.groupGossip))
  }
  return createLibp2p({
    ...base,
    addresses: { listen: init.listen ?? NODE_DEFAULT_LISTEN, announce: init.announce },
    transports: init.transports ?? [
      component(tcp()),
      component(webSockets()),
      component(circuitRelayTransport()),
    ],
    connectionManager: {
      maxConnections: limits.maxConnections,
      inboundConnectionThreshold: limits.inboundConnectionThreshold,
      maxIncomingPendingConnections: limits.maxIncomingPendingConnections,
    },
  }) as unknown as Promise<Libp2p<NodeServices & S>>
}
