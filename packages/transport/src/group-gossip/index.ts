/**
 * Group gossip: gossipsub for Ferry's group topics (StrictNoSign, message IDs from the data, limited
 * connections, a GroupEnvelope validator on every topic, junk forwarders scored down) behind a small
 * channel API. Both host presets mount it as the `groupGossip` service.
 *
 * @example
 * ```ts
 * const node = await createNodeLibp2p() // services.groupGossip is mounted
 * const gossip = node.services.groupGossip
 * await gossip.join(groupId, { onEnvelope: ({ envelope }) => receive(envelope) })
 * await gossip.publish(groupId, groupEnvelope) // a framed GroupEnvelope
 * ```
 */
import { GroupGossip, type GroupGossipComponents, type GroupGossipInit } from './group-gossip.js'

export * from './constants.js'
export * from './errors.js'
export {
  type GossipedEnvelope,
  type GroupEnvelopeVerdict,
  GroupGossip,
  type GroupGossipComponents,
  type GroupGossipInit,
  type GroupGossipStats,
  type GroupSubscription,
  type PublishOutcome,
} from './group-gossip.js'
export { groupTopic } from './topic.js'

/** The group gossip service, for the `services` map of a libp2p node. */
export function groupGossip(init: GroupGossipInit = {}): (components: GroupGossipComponents) => GroupGossip {
  return (components) => new GroupGossip(components, init)
}
