/**
 * The Node host of a device: TCP and WebSockets (libp2p's Node preset from @ferry/transport), with
 * circuit-relay reservations on the device's relays so that peers can reach it through them, and the
 * direct-delivery server.
 *
 * Circuit listening is the generic `/p2p-circuit`: a reservation is taken on each relay once the
 * device is connected to it (the mailbox fetch keeps that connection), and taken again after the
 * relay comes back. Naming the relays in the listen addresses instead would make libp2p refuse to
 * start whenever one of them is unreachable, so a relay outage would stop the device itself.
 */
import { createNodeLibp2p, deliverServer, linkServer, NODE_DEFAULT_LISTEN } from '@ferry/transport'
import type { Libp2p } from '@libp2p/interface'
import type { CreateHost, HostInit } from './network.js'

export const createHost: CreateHost = async (init: HostInit): Promise<Libp2p> => {
  const host = await createNodeLibp2p({
    privateKey: init.privateKey,
    listen: [...(init.listen ?? NODE_DEFAULT_LISTEN), ...(init.relays.length > 0 ? ['/p2p-circuit'] : [])],
    services: {
      deliver: deliverServer({ onEnvelope: init.onEnvelope }),
      link: linkServer({ onRequest: init.onLinkRequest }),
    },
    ...(init.logger === undefined ? {} : { logger: init.logger }),
  })
  return host as unknown as Libp2p
}
