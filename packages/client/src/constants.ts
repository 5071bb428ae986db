/**
 * Every bound and timing of the messenger core, with its reason.
 */

/** How long a direct delivery may take before the envelope goes to the recipient's relays instead. */
export const DIRECT_DELIVERY_TIMEOUT_MS = 1_500

/**
 * After a direct attempt to a device fails, go straight to its relays for this long: an offline
 * device must not cost every message a dial timeout.
 */
export const DIRECT_RETRY_AFTER_MS = 30_000

/** Relays a message is deposited on per recipient device (DESIGN §4: at least two when listed). */
export const MAX_DEPOSIT_RELAYS = 3

/**
 * How long one relay deposit may take before it counts as failed (and is retried later): an
 * unreachable relay must not hold a send, or a short-lived process waiting to drain, for long.
 */
export const DEPOSIT_TIMEOUT_MS = 5_000

/**
 * How long looking up a sender's device list on the relays may take while an envelope is received:
 * envelopes are checked in arrival order, so one sender's unreachable relay must not hold the others
 * for long (the message is then accepted, as when no list is found).
 */
export const SENDER_LOOKUP_TIMEOUT_MS = 5_000

/** Relay deposit TTL asked for; the relay caps it by its own configuration (DESIGN §4: 30 days). */
export const DEPOSIT_TTL_MS = 30 * 24 * 60 * 60 * 1000

/** First retry delay of an outbox entry; doubles per attempt up to OUTBOX_MAX_BACKOFF_MS. */
export const OUTBOX_BASE_BACKOFF_MS = 500

/** Longest wait between two attempts of one outbox entry. */
export const OUTBOX_MAX_BACKOFF_MS = 60_000

/** Outbox entries taken per delivery pass. */
export const OUTBOX_BATCH = 256

/** State-changing jobs committed together in one durable batch (group commit). */
export const STATE_BATCH_MAX = 128

/**
 * State batches handed to the store and not yet durable at most: the next batch is prepared while the
 * previous ones sync. Bounds the memory of work done but not yet on disk, and what is run again when a
 * write fails.
 */
export const STATE_PIPELINE_DEPTH = 4

/** One-time pre-keys (X25519 and ML-KEM each) uploaded per batch to a relay. */
export const PRE_KEY_BATCH = 50

/** Upload another batch when a relay holds fewer one-time keys than this. */
export const PRE_KEY_LOW_WATERMARK = 20

/** A signed pre-key is replaced after this long (Signal rotates weekly to monthly). */
export const SIGNED_PRE_KEY_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000

/** First reconnect delay of a mailbox fetch session; doubles up to MAILBOX_MAX_BACKOFF_MS. */
export const MAILBOX_BASE_BACKOFF_MS = 250

/** Longest wait before reconnecting a mailbox fetch session. */
export const MAILBOX_MAX_BACKOFF_MS = 30_000

/** A contact's device list is fetched again when it is older than this and a message needs it. */
export const DEVICE_LIST_REFRESH_MS = 5 * 60 * 1000

/** Inbox dedup entries are kept this long (FAULTS 30: a late copy after a lost ack is still caught). */
export const INBOX_RETENTION_MS = 60 * 24 * 60 * 60 * 1000

/** Message IDs: 128 random bits (DESIGN §4). */
export const MESSAGE_ID_BYTES = 16

/** Device number of the primary device. */
export const PRIMARY_DEVICE_ID = 1

/** Text of one message, in UTF-8 bytes (the wire format's own cap is larger; padding needs room). */
export const MAX_MESSAGE_TEXT_BYTES = 16 * 1024

/** How long `send` waits for every device to be covered before it reports the partial status. */
export const SEND_COVER_TIMEOUT_MS = 30_000

/** `start` waits this long at most for the device list and pre-keys to reach the relays. */
export const START_PUBLISH_TIMEOUT_MS = 5_000

// ---- groups ----

/**
 * After publishing a group message on gossipsub, the sender waits this long for member devices'
 * delivery receipts, then deposits the message once per relay for the devices that did not confirm
 * it. Receipts come back directly or through the sender's live mailbox within a few hundred
 * milliseconds on a working network, a second or two on a slow or busy one (a first message also
 * waits for the sender key to reach each device); a device that has not answered by then is treated
 * as offline. Too short costs relay storage and fetches for online devices; too long delays offline
 * ones by as much.
 */
export const GROUP_RECEIPT_WAIT_MS = 4_000

/**
 * A delivery receipt is owed (on disk, with the message) when a message is stored; this long after the
 * first one owed since the last sealing, every owed receipt is sealed: one per device, naming every
 * message owed to it meanwhile. A burst of messages costs the sender one receipt to
 * open instead of one per message, and the receipts' sealing, deposits and fsyncs stay off the path
 * of the messages still arriving. The sender sees "delivered" this much later. (Read receipts are made
 * when the user reads, at once.)
 */
export const RECEIPT_COALESCE_MS = 250

/**
 * Member devices a device dials (through their relays' circuits) to join a group's gossip mesh when
 * it has fewer topic peers than this. gossipsub keeps D = 6 mesh peers; dialing as many keeps the
 * mesh connected without every member connecting to every other.
 */
export const GROUP_MESH_DIALS = 6

/** How often a device checks that it has topic peers in each of its groups, and dials more if not. */
export const GROUP_MESH_CHECK_MS = 15_000

/** One dial to a member device for the gossip mesh; an offline device fails this fast. */
export const GROUP_MESH_DIAL_TIMEOUT_MS = 5_000

/** Members added by one `createGroup` or `addMembers` call (the wire's bound on a member list). */
export { MAX_GROUP_MEMBERS } from '@ferry/wire'
