/**
 * @packageDocumentation
 *
 * Ferry's libp2p layer: host presets for relays and peer nodes, and the Ferry protocols as libp2p
 * services (servers) and plain classes (clients): the relay mailbox (deposit, fetch with live push,
 * ack, status), pre-keys, device lists, and direct delivery between peers. Storage and record checks
 * are injected: this package imports only @ferry/wire.
 *
 * @example A relay with the mailbox service, and a device depositing and fetching
 * ```ts
 * import { generateKeyPair } from '@libp2p/crypto/keys'
 * import { createNodeLibp2p, createRelayLibp2p, MailboxClient, mailboxServer } from '@ferry/transport'
 *
 * const relay = await createRelayLibp2p({
 *   privateKey: relayKey, // persisted by the relay
 *   services: { mailbox: mailboxServer({ backend }) }, // backend: a MailboxBackend (packages/storage)
 * })
 * const device = await createNodeLibp2p()
 * const mailboxes = new MailboxClient(device)
 *
 * const mailboxKey = await generateKeyPair('Ed25519') // used for nothing else
 * const mailboxId = await mailboxes.mailboxId(mailboxKey, relay.peerId)
 * await mailboxes.deposit(relay.getMultiaddrs(), { envelopeId, payload, mailboxIds: [mailboxId] })
 *
 * const session = await mailboxes.fetch(relay.getMultiaddrs(), mailboxKey, { live: true })
 * for await (const envelope of session) {
 *   await store(envelope) // durably, first
 *   await session.ack([envelope.envelopeId])
 * }
 * ```
 */

export * from './constants.js'
export * from './deliver/index.js'
export * from './device-lists/index.js'
export {
  DeliveryRefusedError,
  FrameTooLargeError,
  IdleTimeoutError,
  InvalidKeyError,
  MalformedFrameError,
  ProtocolError,
  ReadTimeoutError,
  RequestRefusedError,
  ServiceStoppingError,
  SessionSilentError,
  StreamEndedError,
  StreamLimitError,
  TransportError,
} from './errors.js'
export * from './group-gossip/index.js'
export {
  LinkClient,
  type LinkHandler,
  type LinkServer,
  type LinkServerInit,
  linkServer,
} from './link/index.js'
export * from './mailbox/index.js'
export { installPolyfills } from './polyfills.js'
export * from './prekeys/index.js'
export {
  BROWSER_DEFAULT_LISTEN,
  type BrowserLibp2pInit,
  type BrowserServices,
  type ConnectionPolicy,
  connectionGaterFor,
  createBrowserLibp2p,
  gateWebRTCDials,
  isLoopbackAddress,
  isWebRTCCircuitAddress,
} from './presets/browser.js'
export {
  type BaseLibp2pInit,
  type BaseServices,
  type ConnectionLimitsInit,
  component as asLibp2pComponent,
  type DhtInit,
} from './presets/common.js'
export {
  createNodeLibp2p,
  NODE_DEFAULT_LISTEN,
  type NodeLibp2pInit,
  type NodeServices,
} from './presets/node.js'
export { NOISE_OPENSSL_MIN_BYTES, nodeNoiseCrypto } from './presets/noise-crypto.node.js'
export {
  type CircuitRelayLimitsInit,
  createRelayLibp2p,
  RELAY_DEFAULT_LISTEN,
  type RelayLibp2pInit,
  type RelayServices,
} from './presets/relay.js'
export { installNodeWebSocket } from './presets/websocket.node.js'
export type { ClientComponents, ProtocolRegistrar, ServerComponents } from './stream/types.js'
