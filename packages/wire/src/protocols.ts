/**
 * libp2p protocol IDs spoken by Ferry nodes. A new incompatible version gets a new ID.
 */

/** Direct delivery of a sealed envelope to an online device, answered by an ack after a durable store. */
export const PROTOCOL_DELIVER = '/ferry/deliver/1'
/** Relay mailboxes: deposit, fetch with live push, ack, status. */
export const PROTOCOL_MAILBOX = '/ferry/mailbox/1'
/** Relay pre-key service: upload and claim pre-key bundles. */
export const PROTOCOL_PREKEYS = '/ferry/prekeys/1'
/** Relay device-list service: store and serve the newest valid signed device list. */
export const PROTOCOL_DEVICE_LIST = '/ferry/device-list/1'
/** Ferry's own Kademlia DHT, kept apart from the public IPFS DHT. */
export const PROTOCOL_KAD_DHT = '/ferry/kad/1.0.0'
/** Linking a new device: one authenticated request from the new device, one answer from the primary. */
export const PROTOCOL_LINK = '/ferry/link/1'
