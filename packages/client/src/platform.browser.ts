/**
 * The browser host of a device: WebSockets to its relays, circuit-relay reservations on them so that
 * peers can reach it through them, WebRTC to other browsers as an upgrade (the transport's browser
 * preset), the direct-delivery and link servers, and group gossip (the browser preset leaves services
 * to its caller). `browserHost(options)` makes a host factory with the page's network policy;
 * `createHost` is the factory with production defaults (secure WebSockets to public relays, no ICE
 * servers).
 */
import {
  BROWSER_DEFAULT_LISTEN,
  type ConnectionPolicy,
  createBrowserLibp2p,
  deliverServer,
  groupGossip,
  linkServer,
} from '@ferry/transport'
import type { Libp2p } from '@libp2p/interface'
import type { CreateHost, HostInit } from './network.js'

export interface BrowserHostOptions {
  /** Which relay addresses may be dialled (see ConnectionPolicy). Default: 'default' (wss, public). */
  readonly connectionPolicy?: ConnectionPolicy
  /** ICE servers for WebRTC between browsers. Default: none (host candidates only). */
  readonly iceServers?: readonly RTCIceServer[]
  /** Open WebRTC connections to other browsers reached through a relay. Default: true. */
  readonly webRTC?: boolean
}

/** A host factory for browsers with the given network policy. */
export function browserHost(options: BrowserHostOptions = {}): CreateHost {
  const webRTC = options.webRTC ?? true
  return async (init: HostInit): Promise<Libp2p> => {
    const host = await createBrowserLibp2p({
      privateKey: init.privateKey,
      listen: [
        ...(init.listen ?? BROWSER_DEFAULT_LISTEN.filter((a) => webRTC || a !== '/webrtc')),
        ...init.relays.map((relay) => `${relay}/p2p-circuit`),
      ],
      connectionPolicy: options.connectionPolicy ?? 'default',
      iceServers: [...(options.iceServers ?? [])],
      webRTC,
      services: {
        deliver: deliverServer({ onEnvelope: init.onEnvelope }),
        link: linkServer({ onRequest: init.onLinkRequest }),
        groupGossip: groupGossip(),
      },
      ...(init.logger === undefined ? {} : { logger: init.logger }),
    })
    return host as unknown as Libp2p
  }
}

export const createHost: CreateHost = browserHost()
