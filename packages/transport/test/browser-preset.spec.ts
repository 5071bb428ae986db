/**
 * The browser preset's address rules (presets/browser.ts), checked in Node: which relay addresses each
 * connection policy lets a browser dial, and which addresses are WebRTC addresses behind a relay.
 * The preset itself runs in Chromium (test/browser).
 */
import { multiaddr } from '@multiformats/multiaddr'
import { describe, expect, it } from 'vitest'
import {
  connectionGaterFor,
  gateWebRTCDials,
  isLoopbackAddress,
  isWebRTCCircuitAddress,
} from '../src/index.js'

const RELAY = '12D3KooWSCU5s7reVADDhLdbsGfzsQeMWppcsuUfe27Gn7tCmcy1'
const PEER = '12D3KooWPDYMrE18QFmoxArC8LXh9dgSq2bu8YssjHh545P1LeE2'

function denied(policy: 'default' | 'loopback' | 'permissive', address: string): boolean {
  const deny = connectionGaterFor(policy).denyDialMultiaddr
  return deny === undefined ? false : (deny(multiaddr(address)) as boolean)
}

describe('browser connection policies', () => {
  const cases: Array<[string, boolean, boolean, boolean]> = [
    // address, denied by default, by loopback, by permissive
    [`/dns4/relay.example.org/tcp/443/wss/p2p/${RELAY}`, false, false, false],
    [`/dns4/relay.example.org/tcp/443/tls/ws/p2p/${RELAY}`, false, false, false],
    [`/ip4/203.0.113.7/tcp/443/tls/ws/p2p/${RELAY}`, false, false, false],
    [`/dns4/relay.example.org/tcp/80/ws/p2p/${RELAY}`, true, true, false],
    [`/ip4/127.0.0.1/tcp/4002/ws/p2p/${RELAY}`, true, false, false],
    [`/ip6/::1/tcp/4002/ws/p2p/${RELAY}`, true, false, false],
    [`/dns4/localhost/tcp/4002/ws/p2p/${RELAY}`, true, false, false],
    [`/ip4/10.231.0.1/tcp/4002/ws/p2p/${RELAY}`, true, true, false],
    [`/ip4/192.168.1.2/tcp/443/wss/p2p/${RELAY}`, true, true, false],
    [`/ip4/172.20.0.5/tcp/443/wss/p2p/${RELAY}`, true, true, false],
    [`/ip4/172.32.0.5/tcp/443/wss/p2p/${RELAY}`, false, false, false],
    // through a relay: the relay's address decides
    [`/ip4/127.0.0.1/tcp/4002/ws/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`, true, false, false],
    [`/dns4/relay.example.org/tcp/443/wss/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${PEER}`, false, false, false],
  ]

  it.each(cases)(
    '%s: default %s, loopback %s, permissive %s',
    (address, byDefault, byLoopback, byPermissive) => {
      expect(denied('default', address)).toBe(byDefault)
      expect(denied('loopback', address)).toBe(byLoopback)
      expect(denied('permissive', address)).toBe(byPermissive)
    },
  )

  it('tells loopback hosts', () => {
    expect(isLoopbackAddress(multiaddr('/ip4/127.10.0.1/tcp/1/ws'))).toBe(true)
    expect(isLoopbackAddress(multiaddr('/ip6/::1/tcp/1/ws'))).toBe(true)
    expect(isLoopbackAddress(multiaddr('/dns4/localhost/tcp/1/ws'))).toBe(true)
    expect(isLoopbackAddress(multiaddr('/ip4/128.0.0.1/tcp/1/ws'))).toBe(false)
    expect(isLoopbackAddress(multiaddr('/dns4/localhost.example.org/tcp/1/ws'))).toBe(false)
  })

  it('tells WebRTC addresses behind a relay', () => {
    expect(isWebRTCCircuitAddress(multiaddr(`/ip4/10.0.0.1/tcp/1/ws/p2p/${RELAY}/p2p-circuit/webrtc`))).toBe(
      true,
    )
    expect(
      isWebRTCCircuitAddress(multiaddr(`/ip4/10.0.0.1/tcp/1/ws/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${PEER}`)),
    ).toBe(true)
    expect(
      isWebRTCCircuitAddress(multiaddr(`/ip4/10.0.0.1/tcp/1/ws/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`)),
    ).toBe(false)
    expect(isWebRTCCircuitAddress(multiaddr('/ip4/10.0.0.1/udp/1/webrtc-direct'))).toBe(false)
  })
})

describe('WebRTC dials belong to the upgrade', () => {
  const webrtc = `/ip4/10.0.0.1/tcp/1/ws/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${PEER}`
  const circuit = `/ip4/10.0.0.1/tcp/1/ws/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`

  function deny(gater: ReturnType<typeof gateWebRTCDials>, address: string): Promise<boolean> {
    return Promise.resolve(gater.denyDialMultiaddr?.(multiaddr(address)) ?? false)
  }

  it('refuses a WebRTC address behind a relay unless the upgrade is dialling that peer', async () => {
    const upgrading = new Set<string>()
    const gater = gateWebRTCDials(connectionGaterFor('permissive'), upgrading)
    // a dial by PeerId (a send) finds both addresses in the peer store: only the circuit passes
    expect(await deny(gater, webrtc)).toBe(true)
    expect(await deny(gater, circuit)).toBe(false)
    // a WebRTC address without the peer it leads to is refused too
    expect(await deny(gater, `/ip4/10.0.0.1/tcp/1/ws/p2p/${RELAY}/p2p-circuit/webrtc`)).toBe(true)
    upgrading.add(PEER)
    expect(await deny(gater, webrtc)).toBe(false)
    upgrading.delete(PEER)
    expect(await deny(gater, webrtc)).toBe(true)
  })

  it("keeps the policy's own refusals and its other rules", async () => {
    const denyInboundConnection = () => true
    const gater = gateWebRTCDials(
      { ...connectionGaterFor('default'), denyInboundConnection },
      new Set([PEER]),
    )
    // plain ws to a private address stays refused under the default policy, WebRTC or not
    expect(await deny(gater, webrtc)).toBe(true)
    expect(
      await deny(gater, `/dns4/relay.example.org/tcp/443/wss/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${PEER}`),
    ).toBe(false)
    expect(gater.denyInboundConnection).toBe(denyInboundConnection)
  })
})
