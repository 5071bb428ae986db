/**
 * Delivery latency of group messages over gossipsub on loopback: real libp2p hosts (TCP, noise,
 * yamux, the node preset with its group gossip), one group topic, each host dialing a few others as
 * the messenger's mesh upkeep does. Every receiver validates as the messenger does (opens the envelope
 * with the group key) and then decrypts the sender-key message; latency runs from just before the
 * sender encrypts and seals to the moment a receiver has the plaintext. All hosts share this process
 * (and its event loop), so the figures include every other host's work. The first WARMUP_MESSAGES
 * are not counted.
 */

import { performance } from 'node:perf_hooks'
import {
  AccountKeyPair,
  createLocalDevice,
  createSenderKeyDistribution,
  groupDecrypt,
  groupEncrypt,
  inMemoryStores,
  openGroupEnvelope,
  processSenderKeyDistribution,
  sealGroupEnvelope,
} from '@ferry/crypto'
import { createNodeLibp2p, type GroupGossip } from '@ferry/transport'
import type { Libp2p } from '@libp2p/interface'
import { content, context } from './members.js'
import { GOSSIP_MESH_DEGREE } from './send.js'

/** Messages sent before the measured ones (JIT warm-up, first gossip rounds). */
export const WARMUP_MESSAGES = 10

export interface LatencyResult {
  readonly nodes: number
  readonly messages: number
  /** Deliveries seen and expected (messages × receivers). */
  readonly delivered: number
  readonly expected: number
  /** Milliseconds. */
  readonly p50: number
  readonly p99: number
  readonly max: number
  /** Peers the sender published each message to, on average. */
  readonly publishRecipients: number
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) {
    return Number.NaN
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function gossipOf(node: Libp2p): GroupGossip {
  const gossip = (node.services as { groupGossip?: GroupGossip }).groupGossip
  if (gossip === undefined) {
    throw new Error('benchmark: the node preset mounts group gossip')
  }
  return gossip
}

export async function gossipLatency(
  nodes: number,
  messages: number,
  intervalMs: number,
): Promise<LatencyResult> {
  const groupId = context.provider.randomBytes(16)
  const key = { keyId: 7, key: context.provider.randomBytes(32) }
  const account = await AccountKeyPair.generate(context.provider)
  const sender = await createLocalDevice(context, account, {
    deviceId: 1,
    peerId: context.provider.randomBytes(38),
  })
  const senderStores = inMemoryStores()
  const distribution = await createSenderKeyDistribution(
    context,
    senderStores.senderKeys,
    sender.address,
    groupId,
  )
  const hosts: Libp2p[] = []
  const started = new Map<string, number>()
  const latencies: number[] = []
  try {
    for (let i = 0; i < nodes; i++) {
      hosts.push(
        (await createNodeLibp2p({
          listen: ['/ip4/127.0.0.1/tcp/0'],
          dht: { privateAddresses: true },
          connectionManager: { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 1_000 },
        })) as unknown as Libp2p,
      )
    }
    // every host but the sender (host 0) is a member device reading the group
    await Promise.all(
      hosts.map(async (host, i) => {
        const stores = inMemoryStores()
        if (i > 0) {
          await processSenderKeyDistribution(context, stores.senderKeys, sender.address, distribution)
        }
        await gossipOf(host).join(groupId, {
          check: async (envelope) => {
            try {
              await openGroupEnvelope(context, envelope, () => key.key)
              return 'accept'
            } catch {
              return 'reject'
            }
          },
          onEnvelope: ({ envelope, envelopeId }) => {
            void (async () => {
              const opened = await openGroupEnvelope(context, envelope, () => key.key)
              await groupDecrypt(context, stores.senderKeys, sender.address, opened.message)
              const t0 = started.get(Buffer.from(envelopeId).toString('hex'))
              if (t0 !== undefined) {
                latencies.push(performance.now() - t0)
              }
            })()
          },
        })
      }),
    )
    // each host dials the next few on a ring, as many as the messenger's mesh upkeep dials
    const dials = Math.min(GOSSIP_MESH_DEGREE, nodes - 1)
    await Promise.all(
      hosts.map(async (host, i) => {
        for (let k = 1; k <= dials; k++) {
          await host.dial(hosts[(i + k) % nodes]!.getMultiaddrs()).catch(() => {})
        }
      }),
    )
    const deadline = Date.now() + 20_000
    while (hosts.some((h) => gossipOf(h).meshPeers(groupId).length === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const publisher = gossipOf(hosts[0]!)
    let recipients = 0
    // the first few messages warm the code paths up and are not counted
    for (let n = -WARMUP_MESSAGES; n < messages; n++) {
      const envelopeId = context.provider.randomBytes(16)
      if (n >= 0) {
        started.set(Buffer.from(envelopeId).toString('hex'), performance.now())
      }
      const inner = await groupEncrypt(
        context,
        senderStores.senderKeys,
        sender.address,
        groupId,
        content(`message ${n}`, groupId),
      )
      const envelope = await sealGroupEnvelope(context, {
        sender,
        key: key.key,
        keyId: key.keyId,
        envelopeId,
        groupId,
        message: inner,
      })
      const published = await publisher.publish(groupId, envelope)
      if (n >= 0) {
        recipients += published.recipients
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
    const expected = messages * (nodes - 1)
    const until = Date.now() + 5_000
    while (latencies.length < expected && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const sorted = [...latencies].sort((a, b) => a - b)
    return {
      nodes,
      messages,
      delivered: latencies.length,
      expected,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? Number.NaN,
      publishRecipients: recipients / messages,
    }
  } finally {
    await Promise.all(
      hosts.map(async (host) => {
        await Promise.all(host.getConnections().map((c) => c.close().catch(() => {})))
      }),
    )
    await Promise.all(hosts.map(async (host) => Promise.resolve(host.stop()).catch(() => {})))
  }
}
