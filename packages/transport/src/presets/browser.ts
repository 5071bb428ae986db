/**
 * The browser host of a device: WebSockets to relays, circuit relay v2 as a transport (reservations
 * on the device's relays, so peers reach it through them), and WebRTC between browsers, which the
 * preset opens by itself as an upgrade once a relayed connection to a peer that listens on WebRTC has
 * been identified. Messaging never waits for WebRTC: the relayed connection carries everything until
 * the direct one is up.
 *
 * Which addresses may be dialled is a policy (`connectionPolicy`): libp2p's browser default allows
 * only secure WebSockets to public addresses; tests and local development relax it to loopback, or
 * to everything. ICE servers are always explicit: the default is none (host candidates only), never a
 * public STUN server.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { type Identify, identify } from '@libp2p/identify'
import {
  type Connection,
  type ConnectionGater,
  FaultTolerance,
  type IdentifyResult,
  type Libp2p,
  type PeerId,
  type ServiceMap,
} from '@libp2p/interface'
import { type Ping, ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { yamux } from '@libp2p/yamux'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { WEBRTC_UPGRADE_RETRY_MS, WEBRTC_UPGRADE_TIMEOUT_MS } from '../constants.js'
import { installPolyfills } from '../polyfills.js'
import { type BaseLibp2pInit, component, type HostConfig } from './common.js'

/**
 * Which relay addresses a browser host may dial.
 * - `default`: libp2p's browser rules: secure WebSockets (`/wss`, `/tls/ws`) to public addresses only.
 * - `loopback`: the default, and also plain `/ws` and private rules waived for loopback hosts
 *   (127.0.0.0/8, ::1, localhost): a relay on this machine, for tests and local development.
 * - `permissive`: anything (tests inside a private test network).
 */
export type ConnectionPolicy = 'default' | 'loopback' | 'permissive'

/**
 * A browser host's options: those of every host except the DHT, which a browser does not run (it
 * reaches device lists and pre-keys through relays, and kad-dht is a quarter of the bundle).
 */
export interface BrowserLibp2pInit<S extends ServiceMap = ServiceMap> extends Omit<BaseLibp2pInit<S>, 'dht'> {
  /** Addresses a browser dials. Default: 'default'. Ignored when `connectionGater` is given. */
  connectionPolicy?: ConnectionPolicy
  /**
   * ICE servers for WebRTC. Default: none, so only host candidates are gathered and no third party
   * learns of the connection; pass your own STUN/TURN servers for browsers behind NAT.
   */
  iceServers?: RTCIceServer[]
  /** Open WebRTC connections to browsers reached through a relay. Default: true. */
  webRTC?: boolean
}

/** The services every browser host runs. */
export interface BrowserServices {
  identify: Identify
  ping: Ping
}

/**
 * Listening addresses of a browser besides its relays' circuits: a reservation on any relay it is
 * connected to (so a relay that was down at start-up is reserved on once the device reaches it), and
 * incoming WebRTC.
 */
export const BROWSER_DEFAULT_LISTEN = ['/p2p-circuit', '/webrtc']

const PRIVATE_V4: ReadonlyArray<readonly [number, number, number]> = [
  // [first octet, second octet lower bound, upper bound]
  [10, 0, 255],
  [127, 0, 255],
  [169, 254, 254],
  [172, 16, 31],
  [192, 168, 168],
  [100, 64, 127],
  [0, 0, 255],
]

interface AddressShape {
  host: string | undefined
  family: 'ip4' | 'ip6' | 'dns' | undefined
  /** Plain WebSockets: `/ws` without `/tls` (or `/wss`). */
  insecureWebSocket: boolean
}

function shapeOf(ma: Multiaddr): AddressShape {
  let host: string | undefined
  let family: AddressShape['family']
  let tls = false
  let insecureWebSocket = false
  for (const c of ma.getComponents()) {
    if (c.name === 'p2p-circuit') {
      break // what follows is the far side of a relay; the dial goes to the relay
    }
    if (host === undefined && (c.name === 'ip4' || c.name === 'ip6')) {
      host = c.value
      family = c.name
    } else if (host === undefined && (c.name === 'dns' || c.name === 'dns4' || c.name === 'dns6')) {
      host = c.value
      family = 'dns'
    } else if (c.name === 'tls') {
      tls = true
    } else if (c.name === 'ws' && !tls) {
      insecureWebSocket = true
    }
  }
  return { host, family, insecureWebSocket }
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackAddress(ma: Multiaddr): boolean {
  const { host, family } = shapeOf(ma)
  if (host === undefined) {
    return false
  }
  if (family === 'ip4') {
    return host.startsWith('127.')
  }
  if (family === 'ip6') {
    return host === '::1' || host === '0:0:0:0:0:0:0:1'
  }
  return host === 'localhost' || host.endsWith('.localhost')
}

function isPrivateHost(ma: Multiaddr): boolean {
  const { host, family } = shapeOf(ma)
  if (host === undefined) {
    return false
  }
  if (family === 'ip4') {
    const [a, b] = host.split('.').map(Number)
    return PRIVATE_V4.some(([first, low, high]) => a === first && b !== undefined && b >= low && b <= high)
  }
  if (family === 'ip6') {
    const lower = host.toLowerCase()
    return (
      isLoopbackAddress(ma) ||
      lower.startsWith('fc') ||
      lower.startsWith('fd') ||
      lower.startsWith('fe80') ||
      lower === '::'
    )
  }
  return isLoopbackAddress(ma)
}

/** The connection gater of a policy (see ConnectionPolicy). */
export function connectionGaterFor(policy: ConnectionPolicy): ConnectionGater {
  if (policy === 'permissive') {
    return { denyDialMultiaddr: () => false }
  }
  return {
    denyDialMultiaddr: (ma) => {
      if (policy === 'loopback' && isLoopbackAddress(ma)) {
        return false
      }
      const shape = shapeOf(ma)
      return shape.insecureWebSocket || isPrivateHost(ma)
    },
  }
}

export async function createBrowserLibp2p<S extends ServiceMap = ServiceMap>(
  init: BrowserLibp2pInit<S> = {},
): Promise<Libp2p<BrowserServices & S>> {
  installPolyfills()
  const limits = init.connectionManager ?? {}
  const withWebRTC = init.webRTC ?? true
  const transports = init.transports ?? [component(webSockets()), component(circuitRelayTransport())]
  if (init.transports === undefined && withWebRTC) {
    // loaded on demand: a host without WebRTC (and Node, which never builds this preset) skips it
    const { webRTC } = await import('@libp2p/webrtc')
    const rtcConfiguration = { iceServers: [...(init.iceServers ?? [])] }
    transports.push(component(webRTC({ rtcConfiguration })))
  }
  const listen = init.listen ?? BROWSER_DEFAULT_LISTEN.filter((a) => withWebRTC || a !== '/webrtc')
  const config: HostConfig = {
    privateKey: init.privateKey,
    addresses: { listen, announce: init.announce },
    // a relay that is unreachable at start-up must not stop the device: it retries, and its other
    // relays serve meanwhile
    transportManager: { faultTolerance: FaultTolerance.NO_FATAL },
    transports,
    connectionEncrypters: [component(noise())],
    streamMuxers: [component(yamux())],
    logger: init.logger,
    services: {
      identify: component(identify()),
      ping: component(ping()),
      ...(component<HostConfig['services']>(init.services as never) ?? {}),
    },
    connectionGater: init.connectionGater ?? connectionGaterFor(init.connectionPolicy ?? 'default'),
    connectionManager: {
      maxConnections: limits.maxConnections,
      inboundConnectionThreshold: limits.inboundConnectionThreshold,
      maxIncomingPendingConnections: limits.maxIncomingPendingConnections,
    },
  }
  // the peers the WebRTC upgrade is dialling: the only WebRTC dials the gater lets through
  const upgrading = new Set<string>()
  if (withWebRTC) {
    config.connectionGater = gateWebRTCDials(config.connectionGater ?? {}, upgrading)
  }
  const node = (await createLibp2p(config)) as unknown as Libp2p<BrowserServices & S>
  if (withWebRTC) {
    upgradeToWebRTC(node, upgrading)
  }
  return node
}

/**
 * A gater that refuses WebRTC addresses behind a relay except to the peers in `upgrading`, so that
 * only the upgrade dials WebRTC, and only from the side whose PeerId sorts first. libp2p does not
 * reuse a limited (relayed) connection for a dial by PeerId: a send to a browser reached through a
 * relay would otherwise pick the peer's `/p2p-circuit/webrtc` address from the peer store, and when
 * the other browser's upgrade dials at the same moment the two signalling exchanges cross and leave a
 * WebRTC connection whose data channels never open. Such a send takes a new relayed connection.
 */
export function gateWebRTCDials(gater: ConnectionGater, upgrading: ReadonlySet<string>): ConnectionGater {
  return {
    ...gater,
    denyDialMultiaddr: async (ma) => {
      if (isWebRTCCircuitAddress(ma) && !upgrading.has(lastPeerOf(ma) ?? '')) {
        return true
      }
      return (await gater.denyDialMultiaddr?.(ma)) ?? false
    },
  }
}

/** The PeerId an address ends at: its last `/p2p` component. */
function lastPeerOf(ma: Multiaddr): string | undefined {
  return ma.getComponents().findLast((c) => c.name === 'p2p')?.value
}

/** True for a WebRTC address reached through a relay: `…/p2p-circuit/webrtc[/p2p/…]`. */
export function isWebRTCCircuitAddress(ma: Multiaddr): boolean {
  const names = ma.getComponents().map((c) => c.name)
  const circuit = names.lastIndexOf('p2p-circuit')
  return circuit >= 0 && names[circuit + 1] === 'webrtc'
}

/** What the WebRTC upgrade uses of a libp2p node. */
export type UpgradingNode = Pick<Libp2p, 'peerId' | 'getConnections' | 'dial' | 'addEventListener'>

/**
 * Opens a WebRTC connection to every peer identified over a relayed connection that listens
 * on WebRTC itself, once, by the side whose PeerId sorts first (so two browsers do not both dial).
 * A failed attempt, and a WebRTC connection that closed while a relayed one stays, are tried again
 * WEBRTC_UPGRADE_RETRY_MS later while the peer is still reached through a relay alone (identify runs
 * once per connection, so waiting for the next one could wait for as long as the relayed connection
 * lasts); an identify meanwhile does not try sooner. What it keeps of a peer goes when the peer
 * disconnects, its timers when the node stops.
 */
export function upgradeToWebRTC(node: UpgradingNode, pending: Set<string>): void {
  const failedAt = new Map<string, number>()
  const retries = new Map<string, ReturnType<typeof setTimeout>>()
  /** Peers this side upgrades (it sorts first) and their WebRTC addresses, while connected. */
  const upgradable = new Map<string, { peerId: PeerId; targets: Multiaddr[] }>()
  let stopped = false
  const connections = (peer: PeerId) => node.getConnections(peer).filter((c) => c.status === 'open')
  const hasDirect = (peer: PeerId): boolean => connections(peer).some((c) => c.direct)

  const attempt = (peerId: PeerId, targets: Multiaddr[]): void => {
    const key = peerId.toString()
    pending.add(key)
    node
      .dial(targets, { signal: AbortSignal.timeout(WEBRTC_UPGRADE_TIMEOUT_MS) })
      .then(() => failedAt.delete(key))
      .catch(() => {
        failedAt.set(key, Date.now())
        retryLater(peerId, targets)
      })
      .finally(() => pending.delete(key))
  }

  const retryLater = (peerId: PeerId, targets: Multiaddr[]): void => {
    const key = peerId.toString()
    if (stopped) {
      return
    }
    clearTimeout(retries.get(key))
    retries.set(
      key,
      setTimeout(() => {
        retries.delete(key)
        const open = connections(peerId)
        if (!stopped && !pending.has(key) && open.length > 0 && !open.some((c) => c.direct)) {
          attempt(peerId, targets)
        }
      }, WEBRTC_UPGRADE_RETRY_MS),
    )
  }

  node.addEventListener('peer:identify', (event: CustomEvent<IdentifyResult>) => {
    const { peerId, listenAddrs, connection } = event.detail
    const key = peerId.toString()
    if (connection.direct || node.peerId.toString() > key) {
      return
    }
    const targets = listenAddrs.filter(isWebRTCCircuitAddress).map((ma) => withPeer(ma, key))
    if (targets.length === 0) {
      return
    }
    upgradable.set(key, { peerId, targets })
    if (
      pending.has(key) ||
      hasDirect(peerId) ||
      Date.now() - (failedAt.get(key) ?? 0) < WEBRTC_UPGRADE_RETRY_MS
    ) {
      return
    }
    attempt(peerId, targets)
  })

  // a direct connection that closes while a relayed one stays brings no identify: try again later
  node.addEventListener('connection:close', (event: CustomEvent<Connection>) => {
    const connection = event.detail
    const known = upgradable.get(connection.remotePeer.toString())
    if (connection.direct && known !== undefined && !hasDirect(known.peerId)) {
      retryLater(known.peerId, known.targets)
    }
  })

  node.addEventListener('peer:disconnect', (event: CustomEvent<PeerId>) => {
    const key = event.detail.toString()
    upgradable.delete(key)
    clearTimeout(retries.get(key))
    retries.delete(key)
  })

  node.addEventListener('stop', () => {
    stopped = true
    for (const timer of retries.values()) {
      clearTimeout(timer)
    }
    retries.clear()
    upgradable.clear()
  })
}

function withPeer(ma: Multiaddr, peer: string): Multiaddr {
  return ma.getComponents().at(-1)?.name === 'p2p' ? ma : ma.encapsulate(`/p2p/${peer}`)
}
