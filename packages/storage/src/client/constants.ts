/**
 * Every bound of the client stores, with its reason. The relay-side bounds live in ../constants.ts.
 */
import {
  ID_BYTES,
  KEY_BYTES,
  MAX_ADDR_LENGTH,
  MAX_DEVICE_LIST_BYTES,
  MAX_DEVICES,
  MAX_ENVELOPE_BYTES,
  MAX_FRAME_BYTES,
  MAX_GROUP_MEMBERS,
  MAX_GROUP_NAME_BYTES,
  MAX_MAILBOXES_PER_DEVICE,
  MAX_PEER_ID_BYTES,
  MAX_RECORD_BYTES,
  MAX_RELAY_ADDRS,
  MAX_TEXT_BYTES,
} from '@ferry/wire'

// ---- stored formats ----

/**
 * Version of the client store's key layout, written once under its format key. A store written by a
 * newer layout is refused at open (StoreVersionError) rather than misread.
 */
export const CLIENT_FORMAT_VERSION = 1
/**
 * Version byte that opens every client record (account, contact, message, outbox entry, event, ...).
 * A record with another version is reported as corrupt: the store-wide format version already keeps
 * newer code's data from being read.
 */
export const CLIENT_RECORD_VERSION = 1
/** The sublevel (keyspace) every client record lives under. */
export const CLIENT_SUBLEVEL = 'client'

// ---- identifiers ----

/** Account keys (Ed25519 public keys) in device addresses and contacts. */
export const ACCOUNT_KEY_BYTES = KEY_BYTES
/** Message IDs, envelope IDs, group IDs and sender-key distribution IDs: 128 random bits. */
export const CLIENT_ID_BYTES = ID_BYTES
/**
 * A conversation is named by the peer's 32-byte account key or by a 16-byte group ID; the length
 * tells them apart.
 */
export const CONVERSATION_ID_LENGTHS: readonly number[] = [ID_BYTES, KEY_BYTES]
/** A last-resort use is keyed by the initiator's X25519 base key. */
export const BASE_KEY_BYTES = KEY_BYTES

// ---- record field bounds (decoders refuse longer fields as corruption; writers refuse them) ----

/**
 * A session or sender-key record. A session record holding the current and MAX_ARCHIVED_SESSIONS
 * archived sessions, each with MAX_SKIPPED_KEYS skipped keys, is under 1 MiB; 4 MiB only catches a
 * corrupt length.
 */
export const MAX_CRYPTO_RECORD_BYTES = 4 * 1024 * 1024
/** A key of a key pair: ML-KEM-768's 2,400-byte secret key is the largest. */
export const MAX_KEY_BYTES = 4 * 1024
/** A signed record of our own (certificate) or a libp2p private key (protobuf of an Ed25519 key). */
export const MAX_SMALL_RECORD_BYTES = MAX_RECORD_BYTES
/** A signed device list, own or a contact's. */
export const MAX_STORED_DEVICE_LIST_BYTES = MAX_DEVICE_LIST_BYTES
/** A relay PeerId as multihash bytes. */
export const MAX_STORED_PEER_ID_BYTES = MAX_PEER_ID_BYTES
/** Multiaddrs per relay mailbox, and in a contact's invite. */
export const MAX_STORED_RELAY_ADDRS = MAX_RELAY_ADDRS * MAX_MAILBOXES_PER_DEVICE
/** One multiaddr string, in UTF-8 bytes. */
export const MAX_STORED_ADDR_BYTES = MAX_ADDR_LENGTH
/** The account's own mailboxes, and the target mailboxes of one outbox entry. */
export const MAX_STORED_MAILBOXES = MAX_MAILBOXES_PER_DEVICE
/** A contact's name, in UTF-8 bytes. */
export const MAX_CONTACT_NAME_BYTES = MAX_GROUP_NAME_BYTES
/** A message text, in UTF-8 bytes: what the wire carries at most. */
export const MAX_STORED_TEXT_BYTES = MAX_TEXT_BYTES
/**
 * Recipient devices of one outgoing message: every device of every member of the largest group. The
 * status list lives in the message record, so a large group's record is large (about 37 bytes a
 * device); the client updates it a device at a time.
 */
export const MAX_MESSAGE_RECIPIENTS = MAX_GROUP_MEMBERS * MAX_DEVICES
/** A sealed envelope kept in the outbox or held for a sender key. */
export const MAX_STORED_ENVELOPE_BYTES = MAX_ENVELOPE_BYTES
/** An event type name, in UTF-8 bytes ('message', 'receipt', 'identity-changed', ...). */
export const MAX_EVENT_TYPE_BYTES = 64
/** An event payload: the client's encoding of at most one decoded wire object. */
export const MAX_EVENT_PAYLOAD_BYTES = MAX_FRAME_BYTES

// ---- reads ----

/** Events returned by one `since` call at most; larger limits are clamped. */
export const MAX_EVENT_PAGE = 1024
/** Messages returned by one `history` call at most; larger limits are clamped. */
export const MAX_HISTORY_PAGE = 1024
/** Outbox entries returned by one `listPending` call at most; larger limits are clamped. */
export const MAX_OUTBOX_PAGE = 1024

// ---- inbox deduplication ----

/**
 * How long a seen envelope or message ID is remembered. A relay redelivers an unacked envelope for at
 * most its 30-day TTL (a duration on the relay's own clock); two more days cover this device's clock
 * being corrected by up to 48 hours in between (FAULTS 31). Past this, no copy can arrive again.
 */
export const DEDUP_RETENTION_MS = 32 * 24 * 60 * 60 * 1000
/** Entries one `prune` call removes at most (one prune is one atomic batch); call again while `more`. */
export const MAX_PRUNE_PER_CALL = 10_000

// ---- held group messages ----

/**
 * Group envelopes held per sender device while its sender key has not arrived. The distribution
 * message follows over the pairwise session, so a handful is normal; 64 envelopes at the envelope
 * cap is 4.5 MiB, which bounds what one (possibly hostile) sender makes the device keep.
 */
export const MAX_HELD_PER_SENDER = 64

/** Owed delivery receipts one `list` returns at most (the client seals them a page at a time). */
export const MAX_OWED_RECEIPTS_PAGE = 1_000

// ---- commits ----

/**
 * Units gathered into one durable batch at most when commits queue up behind a write in flight. One
 * fsync then serves many units; the bound keeps one batch's memory and its tail latency in check.
 */
export const CLIENT_GROUP_COMMIT_UNITS = 256
/** Bytes (keys and values) gathered into one batch at most; a single larger unit is written alone. */
export const CLIENT_GROUP_COMMIT_BYTES = 8 * 1024 * 1024
/** IDs in one device address key: the account key and a big-endian u32 device number. */
export const DEVICE_ADDRESS_BYTES = ACCOUNT_KEY_BYTES + 4

// ---- groups ----

/** Envelope keys kept per group, newest first: messages sealed just before a change still open. */
export const MAX_GROUP_KEYS = 4
/**
 * Device addresses recorded per group as holding this device's current sender key (so a send tells
 * only new member devices): a group of MAX_GROUP_MEMBERS accounts with a few devices each.
 */
export const MAX_GROUP_DEVICES = 4096

// ---- read cache ----

/** Records kept in the read cache: the working set of a busy device (sessions, messages, outbox). */
export const CLIENT_READ_CACHE_ENTRIES = 8192
/** Bytes of values kept in the read cache. */
export const CLIENT_READ_CACHE_BYTES = 16 * 1024 * 1024
/** A value larger than this is never cached (an account with many mailboxes is a few KiB). */
export const CLIENT_READ_CACHE_MAX_VALUE_BYTES = 256 * 1024
/**
 * Keys whose writes the read cache tracks at most while reads are outstanding (to tell a read that
 * overlapped a write of its own key from one that did not). Past it the cache forgets them all and
 * remembers no read that was outstanding then: still right, only colder.
 */
export const CLIENT_READ_CACHE_TRACKED_WRITES = 65_536
