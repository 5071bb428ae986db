import { GroupEnvelope } from '@ferry/wire'
import type { Libp2p, ServiceMap } from '@libp2p/interface'
import { afterEach, describe, expect, it } from 'vitest'
import { PenaltyBook } from '../src/group-gossip/penalties.js'
import {
  GOSSIP_INVALID_MESSAGE_PENALTY,
  type GossipedEnvelope,
  type GroupGossip,
  GroupNotJoinedError,
  groupTopic,
  InvalidGroupIdError,
  type NodeServices,
} from '../src/index.js'
import { eventually, hex, randomId, startPeer, stopAll } from './fixtures/network.js'

type Peer = Libp2p<NodeServices & ServiceMap>

function gossipOf(peer: Peer): GroupGossip {
  const gossip = peer.services.groupGossip
  if (gossip === undefined) {
    throw new Error('the node preset mounts group gossip')
  }
  return gossip
}

/** A well-formed GroupEnvelope frame (its ciphertext is random: only its shape is checked here). */
function envelope(keyId = 7): Uint8Array {
  return GroupEnvelope.encode({
    envelopeId: randomId(),
    keyId,
    nonce: randomId(12),
    ciphertext: randomId(64),
  })
}

describe('group gossip', () => {
  const nodes: Peer[] = []
  afterEach(async () => {
    await stopAll(...nodes.splice(0))
  })

  async function line(count: number): Promise<Peer[]> {
    const peers: Peer[] = []
    for (let i = 0; i < count; i++) {
      peers.push(await startPeer({}, true))
    }
    nodes.push(...peers)
    for (let i = 1; i < count; i++) {
      await peers[i - 1]!.dial(peers[i]!.getMultiaddrs())
    }
    return peers
  }

  function collect(peer: Peer, groupId: Uint8Array, check?: () => 'accept' | 'reject' | 'ignore') {
    const got: GossipedEnvelope[] = []
    return {
      got,
      join: () =>
        gossipOf(peer).join(groupId, {
          onEnvelope: (m) => got.push(m),
          ...(check === undefined ? {} : { check }),
        }),
    }
  }

  it('derives a topic from the group ID that reveals nothing of it, and refuses a malformed ID', async () => {
    const id = randomId()
    const topic = await groupTopic(id)
    expect(topic).toMatch(/^ferry\/g\/[0-9a-f]{64}$/)
    expect(await groupTopic(id.slice())).toBe(topic)
    expect(await groupTopic(randomId())).not.toBe(topic)
    expect(topic).not.toContain(hex(id))
    await expect(groupTopic(randomId(15))).rejects.toBeInstanceOf(InvalidGroupIdError)
  })

  it('carries a group envelope over two hops; junk is rejected at the first hop, not forwarded, and its sender penalized (FAULTS 33)', async () => {
    const [a, b, c] = (await line(3)) as [Peer, Peer, Peer]
    const groupId = randomId()
    const atA = collect(a, groupId)
    const atB = collect(b, groupId)
    const atC = collect(c, groupId)
    await Promise.all([atA.join(), atB.join(), atC.join()])
    // b forwards only to its mesh: wait for a-b and b-c to be grafted both ways
    await eventually(
      () =>
        gossipOf(b).meshPeers(groupId).length === 2 &&
        gossipOf(a).meshPeers(groupId).length === 1 &&
        gossipOf(c).meshPeers(groupId).length === 1,
    )
    expect(a.getConnections(c.peerId)).toHaveLength(0)

    const topic = await gossipOf(a).topic(groupId)
    // junk straight through the router, past a's own API: random bytes, and a frame of another kind
    await gossipOf(a).router.publish(topic, randomId(200))
    await gossipOf(a).router.publish(topic, new Uint8Array([0x30, 1, 0]))
    await eventually(() => gossipOf(b).stats().rejected === 2)
    expect(gossipOf(b).penalty(a.peerId)).toBeGreaterThanOrEqual(1.9 * GOSSIP_INVALID_MESSAGE_PENALTY)

    const good = envelope()
    const outcome = await gossipOf(a).publish(groupId, good)
    expect(outcome.recipients).toBe(1)
    expect(outcome.bytes).toBe(good.byteLength)
    await eventually(() => atC.got.length === 1)
    expect(hex(atC.got[0]!.envelope)).toBe(hex(good))
    expect(hex(atC.got[0]!.envelopeId)).toBe(hex(GroupEnvelope.decode(good).envelopeId))
    expect(atC.got[0]!.from.equals(b.peerId)).toBe(true)
    expect(atB.got).toHaveLength(1)
    // the junk never reached c, neither delivered nor even validated there
    expect(gossipOf(c).stats()).toMatchObject({ delivered: 1, rejected: 0, ignored: 0 })
    expect(atA.got).toHaveLength(0)
  })

  it("a subscriber's own check rejects (penalized) or ignores (not penalized) a well-formed envelope", async () => {
    const [a, b] = (await line(2)) as [Peer, Peer]
    const groupId = randomId()
    let verdict: 'accept' | 'reject' | 'ignore' = 'reject'
    const atA = collect(a, groupId)
    const atB = collect(b, groupId, () => verdict)
    await Promise.all([atA.join(), atB.join()])
    await eventually(() => gossipOf(a).topicPeers(groupId).length === 1)
    await gossipOf(a).publish(groupId, envelope())
    await eventually(() => gossipOf(b).stats().rejected === 1)
    const penalty = gossipOf(b).penalty(a.peerId)
    expect(penalty).toBeGreaterThan(0)
    verdict = 'ignore'
    await gossipOf(a).publish(groupId, envelope())
    await eventually(() => gossipOf(b).stats().ignored === 1)
    expect(gossipOf(b).penalty(a.peerId)).toBeLessThanOrEqual(penalty)
    verdict = 'accept'
    await gossipOf(a).publish(groupId, envelope())
    await eventually(() => atB.got.length === 1)
  })

  it('leaving a group stops delivery; publishing to a group not joined is refused', async () => {
    const [a, b] = (await line(2)) as [Peer, Peer]
    const groupId = randomId()
    const atB = collect(b, groupId)
    await Promise.all([collect(a, groupId).join(), atB.join()])
    await eventually(() => gossipOf(a).topicPeers(groupId).length === 1)
    await gossipOf(b).leave(groupId)
    expect(gossipOf(b).isJoined(groupId)).toBe(false)
    await eventually(() => gossipOf(a).topicPeers(groupId).length === 0)
    await gossipOf(a).publish(groupId, envelope())
    await expect(gossipOf(b).publish(groupId, envelope())).rejects.toBeInstanceOf(GroupNotJoinedError)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(atB.got).toHaveLength(0)
  })
})

describe('penalty book', () => {
  it('halves a penalty every half-life and forgets the smallest past its bound', () => {
    let now = 0
    const book = new PenaltyBook(() => now, 1000, 2)
    book.add('a', 4)
    now = 1000
    expect(book.value('a')).toBeCloseTo(2)
    book.add('a', 1)
    expect(book.value('a')).toBeCloseTo(3)
    book.add('b', 10)
    book.add('c', 5)
    expect(book.size).toBe(2)
    expect(book.value('a')).toBe(0)
    expect(book.value('b')).toBe(10)
    expect(book.value('unknown')).toBe(0)
  })
})
