/**
 * Group gossip: gossipsub set up for Ferry's group topics, behind a small channel API (join, leave,
 * publish, who is on a topic). Online member devices get a group message at once through it; relays
 * cover the rest (that is the messenger's business).
 *
 * How gossipsub is set up, and why:
 * - StrictNoSign: a message carries no author, sequence number or signature, so gossip peers do not
 *   learn which device published it (the sender is named only inside the group ciphertext).
 * - Message ID = SHA-256 of the data (topic.ts).
 * - runOnLimitedConnection: member devices usually reach each other through their relays' circuits.
 * - Flood publishing off: a publisher sends to its mesh peers (D = 6), not to every member it is
 *   connected to, so what a send costs does not grow with the group.
 * - Peer exchange off: a prune would otherwise hand out the PeerIds of other members.
 * - IP colocation scoring off: members reached through the same relay all appear at the relay's IP.
 * - Every topic has a validator: what is not one well-formed GroupEnvelope frame is rejected (not
 *   delivered, not forwarded) and the peer that forwarded it is penalized through the
 *   application-specific score (FAULTS 33). A subscriber may add its own check (the messenger opens
 *   the envelope with the group's keys).
 *
 * Owns: topics, validation and scoring. Must not know: group membership, keys or stores.
 */
import { GroupEnvelope } from '@ferry/wire'
import {
  type GossipSub,
  type GossipSubComponents,
  type GossipsubMessage,
  gossipsub,
  type Message,
  StrictNoSign,
  TopicValidatorResult,
} from '@libp2p/gossipsub'
import {
  type Logger,
  type PeerId,
  type Startable,
  serviceCapabilities,
  serviceDependencies,
} from '@libp2p/interface'
import {
  GOSSIP_INVALID_MESSAGE_PENALTY,
  GOSSIP_MAX_DATA_BYTES,
  GOSSIP_MAX_JOINED_GROUPS,
} from './constants.js'
import { GossipNotStartedError, GroupNotJoinedError, TooManyGroupsError } from './errors.js'
import { PenaltyBook } from './penalties.js'
import { groupTopic, hex, messageIdOf } from './topic.js'

/** What a subscriber's own check says about a well-formed envelope. */
export type GroupEnvelopeVerdict = 'accept' | 'reject' | 'ignore'

/** One group message as gossip delivered it (validated). */
export interface GossipedEnvelope {
  readonly groupId: Uint8Array
  /** The envelope ID inside the GroupEnvelope (the relay copy carries the same one). */
  readonly envelopeId: Uint8Array
  /** The framed GroupEnvelope. */
  readonly envelope: Uint8Array
  /** The peer it came from (the last hop, not necessarily the publisher). */
  readonly from: PeerId
}

export interface GroupSubscription {
  /** Called once per validated envelope (gossipsub drops copies it has seen). */
  onEnvelope(message: GossipedEnvelope): void
  /**
   * A further check of a well-formed envelope before it is delivered and forwarded: 'reject' drops it
   * and penalizes the peer, 'ignore' drops it without penalty. It must answer quickly (gossipsub
   * expects validation within about 100 ms). Default: accept.
   */
  check?(
    envelope: Uint8Array,
    header: { keyId: number; envelopeId: Uint8Array },
  ): GroupEnvelopeVerdict | Promise<GroupEnvelopeVerdict>
}

export interface PublishOutcome {
  /** Peers the message was sent to. */
  readonly recipients: number
  /** Bytes of message data sent (recipients × envelope length; stream framing not counted). */
  readonly bytes: number
}

export interface GroupGossipStats {
  published: number
  delivered: number
  rejected: number
  ignored: number
}

export interface GroupGossipInit {
  /** Mesh degree D (gossipsub's default 6); Dlo and Dhi follow gossipsub's ratios. */
  meshDegree?: number
  /** Heartbeat, ms. Default: gossipsub's (1 s). */
  heartbeatIntervalMs?: number
  /** The clock for penalties. Default: Date.now. */
  now?: () => number
}

export type GroupGossipComponents = GossipSubComponents

interface Joined {
  readonly groupId: Uint8Array
  readonly subscription: GroupSubscription
}

/** gossipsub's router also answers `getMeshPeers`, which its published interface leaves out. */
type Router = GossipSub & Startable & { getMeshPeers?(topic: string): string[] }

export class GroupGossip implements Startable {
  readonly [Symbol.toStringTag] = '@ferry/group-gossip'
  readonly [serviceCapabilities]: string[] = ['@libp2p/pubsub', '@ferry/group-gossip']
  readonly [serviceDependencies]: string[] = ['@libp2p/identify']

  readonly #router: Router
  readonly #log: Logger
  readonly #penalties: PenaltyBook
  /** Joined groups by topic. */
  readonly #joined = new Map<string, Joined>()
  /** Topics by group ID (hex). */
  readonly #topics = new Map<string, string>()
  readonly #stats: GroupGossipStats = { published: 0, delivered: 0, rejected: 0, ignored: 0 }
  #started = false

  constructor(components: GroupGossipComponents, init: GroupGossipInit = {}) {
    this.#log = components.logger.forComponent('ferry:group-gossip')
    this.#penalties = new PenaltyBook(init.now)
    const D = init.meshDegree
    this.#router = gossipsub({
      globalSignaturePolicy: StrictNoSign,
      msgIdFn: messageIdOf,
      runOnLimitedConnection: true,
      floodPublish: false,
      doPX: false,
      emitSelf: false,
      allowPublishToZeroTopicPeers: true,
      ignoreDuplicatePublishError: true,
      maxInboundDataLength: GOSSIP_MAX_DATA_BYTES,
      ...(D === undefined ? {} : { D, Dlo: Math.max(1, D - 2), Dhi: 2 * D, Dout: Math.max(1, D >> 2) }),
      ...(init.heartbeatIntervalMs === undefined ? {} : { heartbeatInterval: init.heartbeatIntervalMs }),
      scoreParams: {
        IPColocationFactorWeight: 0,
        appSpecificScore: (peer: string) => -this.#penalties.value(peer),
      },
    })(components) as Router
    this.#router.addEventListener('gossipsub:message', (event) => this.#onMessage(event.detail))
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(): Promise<void> {
    if (this.#started) {
      return
    }
    await this.#router.start()
    this.#started = true
  }

  async stop(): Promise<void> {
    if (!this.#started) {
      return
    }
    this.#started = false
    for (const topic of this.#joined.keys()) {
      this.#router.topicValidators.delete(topic)
    }
    this.#joined.clear()
    await this.#router.stop()
  }

  /** The topic of a group (cached). */
  async topic(groupId: Uint8Array): Promise<string> {
    const key = hex(groupId)
    let topic = this.#topics.get(key)
    if (topic === undefined) {
      topic = await groupTopic(groupId)
      this.#topics.set(key, topic)
    }
    return topic
  }

  /** Subscribes to a group's topic; a second join of the same group replaces the subscription. */
  async join(groupId: Uint8Array, subscription: GroupSubscription): Promise<void> {
    this.#requireStarted()
    const topic = await this.topic(groupId)
    if (!this.#joined.has(topic) && this.#joined.size >= GOSSIP_MAX_JOINED_GROUPS) {
      throw new TooManyGroupsError(`a device joins at most ${GOSSIP_MAX_JOINED_GROUPS} group topics`)
    }
    this.#joined.set(topic, { groupId: groupId.slice(), subscription })
    this.#router.topicValidators.set(topic, (peer, message) => this.#validate(topic, peer, message))
    this.#router.subscribe(topic)
  }

  /** Unsubscribes from a group's topic (nothing happens if it was not joined). */
  async leave(groupId: Uint8Array): Promise<void> {
    const topic = await this.topic(groupId)
    if (!this.#joined.delete(topic) || !this.#started) {
      return
    }
    this.#router.topicValidators.delete(topic)
    this.#router.unsubscribe(topic)
  }

  /** True while this device is subscribed to the group's topic. */
  isJoined(groupId: Uint8Array): boolean {
    const topic = this.#topics.get(hex(groupId))
    return topic !== undefined && this.#joined.has(topic)
  }

  /** Publishes a framed GroupEnvelope on a joined group's topic. */
  async publish(groupId: Uint8Array, envelope: Uint8Array): Promise<PublishOutcome> {
    this.#requireStarted()
    const topic = await this.topic(groupId)
    if (!this.#joined.has(topic)) {
      throw new GroupNotJoinedError('publishing to a group topic this device has not joined')
    }
    const result = await this.#router.publish(topic, envelope)
    this.#stats.published++
    return { recipients: result.recipients.length, bytes: result.recipients.length * envelope.byteLength }
  }

  /** Connected peers subscribed to the group's topic. */
  topicPeers(groupId: Uint8Array): PeerId[] {
    const topic = this.#topics.get(hex(groupId))
    return topic === undefined || !this.#started ? [] : this.#router.getSubscribers(topic)
  }

  /** Peers in this device's mesh for the group's topic (PeerId strings). */
  meshPeers(groupId: Uint8Array): string[] {
    const topic = this.#topics.get(hex(groupId))
    return topic === undefined || !this.#started ? [] : (this.#router.getMeshPeers?.(topic) ?? [])
  }

  /** The penalty this device holds against a peer for forwarding junk (0: none). */
  penalty(peer: PeerId): number {
    return this.#penalties.value(peer.toString())
  }

  stats(): GroupGossipStats {
    return { ...this.#stats }
  }

  /** The underlying gossipsub router (tests publish raw data through it). */
  get router(): GossipSub {
    return this.#router
  }

  async #validate(topic: string, peer: PeerId, message: Message): Promise<TopicValidatorResult> {
    const joined = this.#joined.get(topic)
    if (joined === undefined) {
      return this.#ignore()
    }
    let header: { keyId: number; envelopeId: Uint8Array }
    try {
      if (message.type !== 'unsigned') {
        return this.#reject(peer)
      }
      header = GroupEnvelope.decode(message.data)
    } catch {
      return this.#reject(peer)
    }
    let verdict: GroupEnvelopeVerdict
    try {
      verdict = (await joined.subscription.check?.(message.data, header)) ?? 'accept'
    } catch (err) {
      this.#log('a group envelope check failed: %s', (err as Error).message)
      verdict = 'ignore'
    }
    if (verdict === 'reject') {
      return this.#reject(peer)
    }
    return verdict === 'ignore' ? this.#ignore() : TopicValidatorResult.Accept
  }

  #reject(peer: PeerId): TopicValidatorResult {
    this.#stats.rejected++
    this.#penalties.add(peer.toString(), GOSSIP_INVALID_MESSAGE_PENALTY)
    return TopicValidatorResult.Reject
  }

  #ignore(): TopicValidatorResult {
    this.#stats.ignored++
    return TopicValidatorResult.Ignore
  }

  #onMessage(detail: GossipsubMessage): void {
    const joined = this.#joined.get(detail.msg.topic)
    if (joined === undefined) {
      return
    }
    let envelopeId: Uint8Array
    try {
      envelopeId = GroupEnvelope.decode(detail.msg.data).envelopeId
    } catch {
      return // validated already; cannot happen
    }
    this.#stats.delivered++
    try {
      joined.subscription.onEnvelope({
        groupId: joined.groupId,
        envelopeId,
        envelope: detail.msg.data,
        from: detail.propagationSource,
      })
    } catch (err) {
      this.#log.error('a group envelope handler threw: %s', (err as Error).message)
    }
  }

  #requireStarted(): void {
    if (!this.#started) {
      throw new GossipNotStartedError('group gossip is not started')
    }
  }
}
