import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterEach, describe, expect, it } from 'vitest'
import { createNodeLibp2p, createRelayLibp2p, MailboxClient, mailboxServer } from '../src/index.js'
import { MemoryMailboxBackend } from './fixtures/memory-mailbox-backend.js'
import { randomId, stopAll } from './fixtures/network.js'

describe('presets', () => {
  const nodes: Array<Pick<Libp2p, 'getConnections' | 'stop'>> = []

  afterEach(async () => {
    await stopAll(...nodes.splice(0))
  })

  it('runs a relay on TCP and WebSockets with the DHT in server mode, and a node dials it over /ws', async () => {
    const privateKey = await generateKeyPair('Ed25519')
    const relay = await createRelayLibp2p({
      privateKey,
      listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'],
      dht: { privateAddresses: true },
      services: { mailbox: mailboxServer({ backend: new MemoryMailboxBackend() }) },
    })
    const node = await createNodeLibp2p({ listen: ['/ip4/127.0.0.1/tcp/0'], dht: { privateAddresses: true } })
    nodes.push(relay, node)

    expect(relay.peerId.equals(peerIdFromPrivateKey(privateKey))).toBe(true)
    expect(relay.services.dht.getMode()).toBe('server')
    expect(node.services.dht.getMode()).toBe('client')
    expect(relay.services.relay).toBeDefined()

    const ws = relay.getMultiaddrs().filter((addr) => addr.toString().includes('/ws'))
    expect(ws).toHaveLength(1)
    expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe('function')
    const result = await new MailboxClient(node).deposit(ws, {
      envelopeId: randomId(),
      payload: new Uint8Array([1]),
      mailboxIds: [randomId(32)],
    })
    expect(result.status).toBe('stored')
    expect(node.getConnections(relay.peerId)[0]?.remoteAddr.toString()).toContain('/ws')
  })
})
