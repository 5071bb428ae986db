/**
 * Errors of group gossip (subclasses of the package's TransportError; callers branch on `err.name`).
 */
import { TransportError } from '../errors.js'

/** Not a 16-byte group ID. */
export class InvalidGroupIdError extends TransportError {
  override readonly name = 'InvalidGroupIdError'
}

/** Publishing to, or asking about, a group this device has not joined. */
export class GroupNotJoinedError extends TransportError {
  override readonly name = 'GroupNotJoinedError'
}

/** The device is in GOSSIP_MAX_JOINED_GROUPS groups already. */
export class TooManyGroupsError extends TransportError {
  override readonly name = 'TooManyGroupsError'
}

/** The gossip service is not started. */
export class GossipNotStartedError extends TransportError {
  override readonly name = 'GossipNotStartedError'
}
