/**
 * Bounds and settings of group gossip, each with its reason.
 */
import { MAX_ENVELOPE_BYTES, MAX_FRAME_HEADER_BYTES } from '@ferry/wire'

/**
 * Prefix of every group topic. The rest is a hash of the group ID, so the topic names no member and
 * two groups never share a topic; it is versioned so a new derivation can run beside the old one.
 */
export const GROUP_TOPIC_PREFIX = 'ferry/g/'

/** Domain separation of the topic hash (nothing else hashes a group ID under this string). */
export const GROUP_TOPIC_CONTEXT = 'ferry/group-topic/v1'

/** Largest message data accepted on a group topic: one framed GroupEnvelope at its cap. */
export const GOSSIP_MAX_DATA_BYTES = MAX_ENVELOPE_BYTES + MAX_FRAME_HEADER_BYTES

/**
 * App-specific score taken off a peer for each message it forwarded that validation rejected
 * (FAULTS 33). gossipsub weighs it by 10: one junk message puts the peer at its gossip threshold
 * (-10: no more gossip to it), five at the publish threshold (-50), eight below the graylist
 * threshold (-80: everything it sends is dropped unread).
 */
export const GOSSIP_INVALID_MESSAGE_PENALTY = 1

/**
 * A penalty halves over this time, so an honest peer that once relayed something malformed (a bug,
 * a version skew) is forgiven, while a steady source of junk stays graylisted.
 */
export const GOSSIP_PENALTY_HALF_LIFE_MS = 10 * 60 * 1000

/**
 * Peers with a penalty remembered at once. Each is a few dozen bytes; past the bound the smallest
 * penalties are forgotten first, so a flood of fresh peer IDs cannot grow memory without limit.
 */
export const GOSSIP_MAX_PENALIZED_PEERS = 10_000

/** Group topics one device joins at most: every group it is in, with room (gossipsub's own per-peer topic budget is about 1,000). */
export const GOSSIP_MAX_JOINED_GROUPS = 1_000
