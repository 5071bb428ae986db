/**
 * When the browser preset's WebRTC upgrade dials (presets/browser.ts, `upgradeToWebRTC`), on a
 * stand-in node whose dials succeed or fail on request: the upgrade itself runs in two Chromium
 * instances (test/browser/webrtc.spec.ts), where a failure cannot be made to order. What is checked
 * here is the timing after a failure or a closed WebRTC connection: identify runs once per
 * connection, so the retry has a timer of its own.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PeerId } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WEBRTC_UPGRADE_RETRY_MS } from '../src/constants.js'
import { type UpgradingNode, upgradeToWebRTC } from '../src/presets/browser.js'

const RELAY = '12D3KooWSCU5s7reVADDhLdbsGfzsQeMWppcsuUfe27Gn7tCmcy1'

class StandInNode extends EventTarget {
  /** Open connections to the peer, by whether they are direct. */
  connections: Array<{ status: 'open'; direct: boolean }> = [{ status: 'open', direct: false }]
  readonly dials: Multiaddr[][] = []
  failDials = true

  constructor(readonly peerId: PeerId) {
    super()
  }

  getConnections() {
    return this.connections
  }

  dial(targets: Multiaddr[]) {
    this.dials.push(targets)
    return this.failDials ? Promise.reject(new Error('ICE failed')) : Promise.resolve({})
  }
}

/** Two PeerIds, the first sorting first (it is the side that dials). */
async function orderedPeers(): Promise<[PeerId, PeerId]> {
  const [a, b] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
  const peers = [peerIdFromPrivateKey(a), peerIdFromPrivateKey(b)]
  peers.sort((x, y) => (x.toString() < y.toString() ? -1 : 1))
  return [peers[0]!, peers[1]!]
}

describe('the WebRTC upgrade after a failed attempt', () => {
  let node: StandInNode
  let remote: PeerId

  function identify(): void {
    const listenAddrs = [multiaddr(`/ip4/10.0.0.1/tcp/1/ws/p2p/${RELAY}/p2p-circuit/webrtc`)]
    node.dispatchEvent(
      new CustomEvent('peer:identify', {
        detail: { peerId: remote, listenAddrs, connection: { direct: false } },
      }),
    )
  }

  beforeEach(async () => {
    vi.useFakeTimers()
    const [local, other] = await orderedPeers()
    remote = other
    node = new StandInNode(local)
    upgradeToWebRTC(node as unknown as UpgradingNode, new Set())
  })

  afterEach(() => {
    node.dispatchEvent(new CustomEvent('stop'))
    vi.useRealTimers()
  })

  it('tries again after the retry interval while the peer is reached through a relay alone', async () => {
    identify()
    await vi.advanceTimersByTimeAsync(0)
    expect(node.dials).toHaveLength(1)
    expect(node.dials[0]!.map(String)).toEqual([
      `/ip4/10.0.0.1/tcp/1/ws/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${remote.toString()}`,
    ])
    await vi.advanceTimersByTimeAsync(WEBRTC_UPGRADE_RETRY_MS - 1)
    expect(node.dials).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    // no new identify: before, the attempt waited for one, which comes only with a new connection
    expect(node.dials).toHaveLength(2)
    expect(node.dials[1]!.map(String)).toEqual(node.dials[0]!.map(String))
    // failing again, it keeps trying at the same interval; once it succeeds it stops
    node.failDials = false
    await vi.advanceTimersByTimeAsync(WEBRTC_UPGRADE_RETRY_MS)
    expect(node.dials).toHaveLength(3)
    await vi.advanceTimersByTimeAsync(3 * WEBRTC_UPGRADE_RETRY_MS)
    expect(node.dials).toHaveLength(3)
  })

  it('does not try sooner on an identify meanwhile, and dials once when the interval ends', async () => {
    identify()
    await vi.advanceTimersByTimeAsync(WEBRTC_UPGRADE_RETRY_MS / 2)
    identify()
    await vi.advanceTimersByTimeAsync(0)
    expect(node.dials).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(WEBRTC_UPGRADE_RETRY_MS / 2)
    expect(node.dials).toHaveLength(2)
  })

  it('does not try again once the peer has a direct connection, or none', async () => {
    identify()
    await vi.advanceTimersByTimeAsync(0)
    node.connections = [
      { status: 'open', direct: false },
      { status: 'open', direct: true },
    ]
    await vi.advanceTimersByTimeAsync(WEBRTC_UPGRADE_RETRY_MS)
    expect(node.dials).toHaveLength(1)

    node.connections = [{ status: 'open', direct: false }]
    identify()
    await vi.advanceTimersByTimeAsync(0)
    expect(node.dials).toHaveLength(2)
    node.connections = []
    await vi.advanceTimersByTimeAsync(WEBRTC_UPGRADE_RETRY_MS)
    expect(node.dials).toHaveLength(2)
  })

  it('tries again later when the WebRTC connection closes while a relayed one stays', async () => {
    node.failDials = false
    identify()
    await vi.advanceTimersByTimeAsync(0)
    expect(node.dials).toHaveLength(1)
    // the WebRTC connection came up, then closed; no identify follows on the relayed one
    node.connections = [{ status: 'open', direct: false }]
    node.dispatchEvent(new CustomEvent('connection:close', { detail: { direct: true, remotePeer: remote } }))
    // a relayed connection closing changes nothing
    node.dispatchEvent(new CustomEvent('connection:close', { detail: { direct: false, remotePeer: remote } }))
    await vi.advanceTimersByTimeAsync(WEBRTC_UPGRADE_RETRY_MS)
    expect(node.dials).toHaveLength(2)
  })

  it('forgets a peer that disconnects', async () => {
    identify()
    await vi.advanceTimersByTimeAsync(0)
    node.connections = []
    node.dispatchEvent(new CustomEvent('peer:disconnect', { detail: remote }))
    expect(vi.getTimerCount()).toBe(0)
    // back through a relay without an identify (which would bring the addresses again): nothing known
    node.connections = [{ status: 'open', direct: false }]
    node.dispatchEvent(new CustomEvent('connection:close', { detail: { direct: true, remotePeer: remote } }))
    await vi.advanceTimersByTimeAsync(2 * WEBRTC_UPGRADE_RETRY_MS)
    expect(node.dials).toHaveLength(1)
  })

  it('drops its timers when the node stops', async () => {
    identify()
    await vi.advanceTimersByTimeAsync(0)
    node.dispatchEvent(new CustomEvent('stop'))
    await vi.advanceTimersByTimeAsync(2 * WEBRTC_UPGRADE_RETRY_MS)
    expect(node.dials).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })
})
