/**
 * Direct delivery between peers (PROTOCOL_DELIVER): the receiving service factory and the sending
 * client.
 */
import type { ServerComponents } from '../stream/types.js'
import { DeliverServer, type DeliverServerInit } from './server.js'

export { DeliverClient, type DeliverClientInit, type OutgoingEnvelope } from './client.js'
export type { DeliverServer, DeliverServerInit, EnvelopeHandler, IncomingEnvelope } from './server.js'

/** The receiving side of direct delivery, for the `services` map of a libp2p node. */
export function deliverServer(init: DeliverServerInit): (components: ServerComponents) => DeliverServer {
  return (components) => new DeliverServer(components, init)
}
