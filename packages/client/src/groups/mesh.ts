/**
 * This device's place in its groups' gossip meshes: it subscribes to the topic of every group it is
 * in (and leaves the topics of groups it left), validates what arrives with the group's envelope keys
 * before gossipsub forwards it, hands valid envelopes to the receive path, and dials a bounded number
 * of online member devices (through their relays' circuits) whenever it has too few topic peers.
 *
 * Owns: subscriptions, the validation check and mesh upkeep. Must not know: what a message means.
 */
import { type CryptoContext, CryptoError, constantTimeEqual, openGroupEnvelope, toHex } from '@ferry/crypto'
import type { GroupRecord } from '@ferry/storage'
import type { GossipedEnvelope, GroupEnvelopeVerdict } from '@ferry/transport'
import { WireError } from '@ferry/wire'
import { multiaddr } from '@multiformats/multiaddr'
import { GROUP_MESH_CHECK_MS, GROUP_MESH_DIAL_TIMEOUT_MS, GROUP_MESH_DIALS } from '../constants.js'
import { type DeviceTarget, targetsOf } from '../directory.js'
import type { Log } from '../log.js'
import type { Network } from '../network.js'
import type { Members } from './members.js'

export interface MeshInit {
  readonly context: CryptoContext
  readonly members: Members
  readonly network: () => Network | undefined
  /** This device's account key and device number. */
  readonly self: () => { accountKey: Uint8Array; deviceId: number }
  /** Valid envelopes from gossip go here (the receive path). */
  readonly onEnvelope: (message: GossipedEnvelope) => void
  readonly log: Log
}

export class Mesh {
  readonly #init: MeshInit
  /** Groups this device is in, by group ID hex (their records as last synced). */
  readonly #groups = new Map<string, GroupRecord>()
  #timer: ReturnType<typeof setInterval> | undefined
  readonly #dialing = new Set<string>()

  constructor(init: MeshInit) {
    this.#init = init
  }

  /** Starts the periodic mesh check. */
  start(): void {
    this.#timer ??= setInterval(() => this.#checkAll(), GROUP_MESH_CHECK_MS)
    this.#timer.unref?.()
  }

  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#groups.clear()
  }

  /** Connected member devices on the group's topic. */
  online(groupId: Uint8Array): number {
    return this.#init.network()?.gossip?.topicPeers(groupId).length ?? 0
  }

  /**
   * Brings subscriptions in line with the groups this device is in: joins new ones (and dials
   * members), leaves those it left, keeps the envelope keys the validator checks against.
   */
  async sync(groups: readonly GroupRecord[]): Promise<void> {
    const gossip = this.#init.network()?.gossip
    if (gossip === undefined) {
      return
    }
    const active = groups.filter((g) => !g.left)
    const keep = new Set(active.map((g) => toHex(g.groupId)))
    for (const [key, group] of this.#groups) {
      if (!keep.has(key)) {
        this.#groups.delete(key)
        await gossip.leave(group.groupId).catch(() => {})
      }
    }
    for (const group of groups.filter((g) => g.left)) {
      if (gossip.isJoined(group.groupId)) {
        await gossip.leave(group.groupId).catch(() => {})
      }
    }
    for (const group of active) {
      const key = toHex(group.groupId)
      const before = this.#groups.get(key)
      this.#groups.set(key, group)
      if (!gossip.isJoined(group.groupId)) {
        const groupId = group.groupId
        await gossip.join(groupId, {
          onEnvelope: (message) => this.#init.onEnvelope(message),
          check: (envelope, header) => this.#check(key, envelope, header.keyId),
        })
      }
      if (before === undefined || before.revision !== group.revision) {
        void this.#dial(group)
      }
    }
  }

  /**
   * The gossip validator's check: an envelope under one of the group's keys must open with it
   * (otherwise it is junk or forged: rejected, its forwarder penalized); one under a key this device
   * does not hold may be from a newer key it has not received yet: ignored, not penalized (the
   * sender's relay deposit covers this device).
   */
  async #check(groupKey: string, envelope: Uint8Array, keyId: number): Promise<GroupEnvelopeVerdict> {
    const group = this.#groups.get(groupKey)
    const key = group?.keys.find((k) => k.keyId === keyId)
    if (group === undefined || key === undefined) {
      return 'ignore'
    }
    try {
      const opened = await openGroupEnvelope(this.#init.context, envelope, () => key.key)
      return constantTimeEqual(opened.groupId, group.groupId) ? 'accept' : 'reject'
    } catch (err) {
      if (err instanceof CryptoError || err instanceof WireError) {
        return 'reject'
      }
      throw err
    }
  }

  #checkAll(): void {
    for (const group of this.#groups.values()) {
      void this.#dial(group)
    }
  }

  /** Dials up to GROUP_MESH_DIALS member devices it is not connected to, when it has fewer topic peers. */
  async #dial(group: GroupRecord): Promise<void> {
    const network = this.#init.network()
    const gossip = network?.gossip
    const key = toHex(group.groupId)
    if (network === undefined || gossip === undefined || this.#dialing.has(key)) {
      return
    }
    const connected = gossip.topicPeers(group.groupId).length
    if (connected >= GROUP_MESH_DIALS) {
      return
    }
    this.#dialing.add(key)
    try {
      const self = this.#init.self()
      const candidates: DeviceTarget[] = []
      for (const member of group.members) {
        const list = await this.#init.members.listOf(member.accountKey, group).catch(() => undefined)
        for (const target of list === undefined ? [] : targetsOf(list)) {
          const isSelf =
            constantTimeEqual(target.address.accountKey, self.accountKey) &&
            target.address.deviceId === self.deviceId
          if (!isSelf && !network.isConnected(target.peerId)) {
            candidates.push(target)
          }
        }
      }
      shuffle(candidates, this.#init.context.provider.randomBytes(4 * candidates.length))
      await Promise.all(
        candidates.slice(0, GROUP_MESH_DIALS - connected).map(async (target) => {
          const addrs = target.mailboxes.flatMap((m) =>
            m.relayAddrs.slice(0, 1).map((a) => multiaddr(`${a}/p2p-circuit/p2p/${target.peerId}`)),
          )
          if (addrs.length === 0) {
            return
          }
          try {
            await network.host.dial(addrs, { signal: AbortSignal.timeout(GROUP_MESH_DIAL_TIMEOUT_MS) })
          } catch {
            // offline, or its relay is unreachable: the relay deposit covers it
          }
        }),
      )
    } finally {
      this.#dialing.delete(key)
    }
  }
}

/** Fisher-Yates with the given random bytes (4 per element). */
function shuffle<T>(items: T[], random: Uint8Array): void {
  const view = new DataView(random.buffer, random.byteOffset, random.byteLength)
  for (let i = items.length - 1; i > 0; i--) {
    const j = view.getUint32(4 * i) % (i + 1)
    const a = items[i]!
    items[i] = items[j]!
    items[j] = a
  }
}
