import { StatusCode } from '@ferry/wire'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p } from '@libp2p/interface'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createNodeLibp2p,
  createRelayLibp2p,
  DeliverClient,
  type DeliverServer,
  deliverServer,
  type EnvelopeHandler,
  type IncomingEnvelope,
} from '../src/index.js'
import { component } from '../src/presets/common.js'
import { eventually, hex, randomId, startPeer, stopAll } from './fixtures/network.js'

describe('deliver protocol', () => {
  let receiver: Libp2p<{ deliver: DeliverServer }>
  let sender: Libp2p
  let client: DeliverClient
  let stored: IncomingEnvelope[]
  let handler: EnvelopeHandler

  beforeEach(async () => {
    stored = []
    handler = async (envelope) => {
      // a durable store takes a moment: the ack must wait for it
      await new Promise((resolve) => setTimeout(resolve, 5))
      stored.push(envelope)
    }
    receiver = await startPeer(
      { deliver: deliverServer({ onEnvelope: async (e, o) => handler(e, o) }) },
      true,
    )
    sender = await startPeer()
    client = new DeliverClient(sender)
  })

  afterEach(async () => {
    client.close()
    await stopAll(sender, receiver)
  })

  it('acks an envelope only after the receiver stored it', async () => {
    const envelopeId = randomId()
    await client.deliver(receiver.getMultiaddrs(), { envelopeId, payload: new Uint8Array([1, 2, 3]) })
    expect(stored).toHaveLength(1)
    expect(hex(stored[0]!.envelopeId)).toBe(hex(envelopeId))
    expect(hex(stored[0]!.payload)).toBe('010203')
    expect(stored[0]!.from.equals(sender.peerId)).toBe(true)
    expect(stored[0]!.direct).toBe(true)
  })

  it('pipelines deliveries on one stream, handing them over in order', async () => {
    const ids = Array.from({ length: 50 }, () => randomId())
    await Promise.all(
      ids.map(async (envelopeId, i) =>
        client.deliver(receiver.getMultiaddrs(), { envelopeId, payload: new Uint8Array([i]) }),
      ),
    )
    expect(stored.map((e) => hex(e.envelopeId)).sort()).toEqual(ids.map(hex).sort())
    expect(receiver.services.deliver.openStreams).toBeLessThanOrEqual(1)
  })

  /**
   * A relay, a peer reachable only through it (its peer record holds circuit addresses alone) that
   * serves deliveries, and a sender listening on `senderListen`; the peer holds its reservation.
   */
  async function behindRelay(senderListen: string[]) {
    const relay = await createRelayLibp2p({
      privateKey: await generateKeyPair('Ed25519'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      dht: { privateAddresses: true },
    })
    const hidden = await createNodeLibp2p({
      listen: ['/p2p-circuit'],
      dht: { privateAddresses: true },
      services: {
        deliver: component<() => DeliverServer>(deliverServer({ onEnvelope: async (e, o) => handler(e, o) })),
      },
    })
    const via = await createNodeLibp2p({ listen: senderListen, dht: { privateAddresses: true } })
    await hidden.dial(relay.getMultiaddrs())
    await eventually(() => hidden.getMultiaddrs().some((addr) => addr.toString().includes('/p2p-circuit')))
    const circuit = hidden.getMultiaddrs().filter((addr) => addr.toString().includes('/p2p-circuit'))
    return { relay, hidden, via, circuit }
  }

  it('delivers over a limited (circuit-relayed) connection, on TCP loopback', async () => {
    const { relay, hidden, via, circuit } = await behindRelay([])
    try {
      const relayed = new DeliverClient(via)
      await relayed.deliver(circuit, { envelopeId: randomId(), payload: new Uint8Array([5]) })
      expect(stored).toHaveLength(1)
      expect(stored[0]!.direct).toBe(false)
      expect(via.getConnections(hidden.peerId)[0]?.limits).toBeDefined()
      relayed.close()
    } finally {
      await stopAll(via, hidden, relay)
    }
  })

  it("moves a peer's channel off the relay's circuit once a direct connection to the peer is open", async () => {
    const { relay, hidden, via, circuit } = await behindRelay(['/ip4/127.0.0.1/tcp/0'])
    const relayed = new DeliverClient(via)
    try {
      await via.dial(circuit)
      // by PeerId, as a messenger delivers to a connected peer: a channel on a limited connection
      await relayed.deliver(hidden.peerId, { envelopeId: randomId(), payload: new Uint8Array([1]) })
      // the second one is still being stored when the direct connection comes
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      const plain = handler
      handler = async (envelope, options) => {
        await held
        handler = plain
        await plain(envelope, options)
      }
      const inFlight = relayed.deliver(hidden.peerId, {
        envelopeId: randomId(),
        payload: new Uint8Array([2]),
      })
      await eventually(() => hidden.services.deliver.openStreams === 1)
      // the peer reaches us directly (a WebRTC upgrade, say): the next deliveries take that connection
      await hidden.dial(via.getMultiaddrs())
      await eventually(() => via.getConnections(hidden.peerId).some((c) => c.limits == null))
      const later = [3, 4, 5].map((byte) =>
        relayed.deliver(hidden.peerId, { envelopeId: randomId(), payload: new Uint8Array([byte]) }),
      )
      release()
      // what the retired channel carried is still answered on it
      await inFlight
      await Promise.all(later)
      const byPayload = stored
        .map((e) => [e.payload[0], e.direct])
        .sort((x, y) => Number(x[0]) - Number(y[0]))
      expect(byPayload).toEqual([
        [1, false],
        [2, false],
        [3, true],
        [4, true],
        [5, true],
      ])
      // the circuit's stream was half-closed once idle; one deliver stream is left, on the direct connection
      await eventually(() => hidden.services.deliver.openStreams === 1)
    } finally {
      relayed.close()
      await stopAll(via, hidden, relay)
    }
  })

  it('does not ack when the handler fails', async () => {
    handler = async () => {
      throw new Error('disk full')
    }
    await expect(
      client.deliver(receiver.getMultiaddrs(), { envelopeId: randomId(), payload: new Uint8Array([1]) }),
    ).rejects.toMatchObject({ name: 'DeliveryRefusedError', code: StatusCode.REJECTED })
    expect(stored).toHaveLength(0)
    // the stream survives a refusal: the next delivery goes through
    handler = async (envelope) => {
      stored.push(envelope)
    }
    await client.deliver(receiver.getMultiaddrs(), { envelopeId: randomId(), payload: new Uint8Array([2]) })
    expect(stored).toHaveLength(1)
  })
})
