/**
 * Every bound of the wire formats, with its reason. Decoders enforce these before they allocate.
 */

/** Format version of every framed object this code writes and reads. */
export const WIRE_VERSION = 1

// ---- key and identifier sizes (fixed by the primitives) ----

/** Ed25519 and X25519 public keys, and X25519/chain secrets. */
export const KEY_BYTES = 32
/** Ed25519 signatures. */
export const SIGNATURE_BYTES = 64
/** ML-KEM-768 encapsulation (public) key, FIPS 203. */
export const KEM_PUBLIC_KEY_BYTES = 1184
/** ML-KEM-768 ciphertext, FIPS 203. */
export const KEM_CIPHERTEXT_BYTES = 1088
/** AES-GCM authentication tag. */
export const AEAD_TAG_BYTES = 16
/** AES-GCM nonce; a ratchet message carries a fresh random one in front of its ciphertext. */
export const AEAD_NONCE_BYTES = 12
/** Message IDs, group IDs and sender-key distribution IDs: 128 random bits. */
export const ID_BYTES = 16
/** Mailbox IDs: SHA-256 of the mailbox key and the relay's PeerId. */
export const MAILBOX_ID_BYTES = 32
/** A libp2p PeerId as multihash bytes: an identity multihash of an Ed25519 key is 38 bytes. */
export const MAX_PEER_ID_BYTES = 64

// ---- size caps of whole frames ----

/** Length of the frame header at most: kind byte, version byte, a varint body length of up to 3 bytes. */
export const MAX_FRAME_HEADER_BYTES = 5
/**
 * No framed object may exceed this. 256 KiB fits a sealed envelope at its cap plus framing, and keeps
 * a hostile length prefix (2^32, say) from ever being buffered: it is refused as oversized first.
 */
export const MAX_FRAME_BYTES = 256 * 1024
/** A Text body: long enough for any typed message, small enough to pad and relay cheaply. */
export const MAX_TEXT_BYTES = 16 * 1024
/**
 * Plaintext Content after padding. A group-control message listing MAX_GROUP_MEMBERS members
 * (about 36 KiB) fits with room to spare.
 */
export const MAX_CONTENT_BYTES = 64 * 1024
/** A sealed envelope as a relay stores it: one padded Content plus session and sealing overhead. */
export const MAX_ENVELOPE_BYTES = 72 * 1024
/** A signed device list: MAX_DEVICES devices, each with MAX_MAILBOXES_PER_DEVICE mailboxes. */
export const MAX_DEVICE_LIST_BYTES = 128 * 1024
/** A signed record other than a device list (certificate, pre-key): dominated by a 1184-byte KEM key. */
export const MAX_RECORD_BYTES = 4 * 1024

// ---- repeated-field limits ----

/** Devices in one account: a primary and up to 15 linked devices. */
export const MAX_DEVICES = 16
/** Mailboxes (relays) a device lists; more adds cost to every sender without adding availability. */
export const MAX_MAILBOXES_PER_DEVICE = 8
/** Multiaddrs listed per relay mailbox. */
export const MAX_RELAY_ADDRS = 8
/** Length of one multiaddr string. */
export const MAX_ADDR_LENGTH = 256
/** Message IDs in one receipt or retry request. */
export const MAX_RECEIPT_IDS = 256
/** Read marks in one read-sync message. */
export const MAX_READ_MARKS = 256
/** Member accounts of a group. */
export const MAX_GROUP_MEMBERS = 1024
/** Subjects named by one group-control action. */
export const MAX_GROUP_SUBJECTS = 1024
/** A group name, in UTF-8 bytes. */
export const MAX_GROUP_NAME_BYTES = 256

// ---- padding ----

/**
 * Plaintext is padded to a multiple of this many bytes before encryption, so a relay learns a size
 * bucket rather than a length (Signal pads to 160-byte blocks; 256 aligns with typical MTU slices).
 */
export const PADDING_BLOCK_BYTES = 256

// ---- relay and delivery protocols (mailbox, pre-keys, device lists, direct delivery) ----

/** Version of the relay and delivery request/response messages, carried in every request and reply. */
export const RELAY_PROTOCOL_VERSION = 1
/** A relay challenge nonce: 256 random bits, so a nonce is never guessed or repeated. */
export const NONCE_BYTES = 32
/**
 * Largest frame on a relay or delivery stream (its wire frame, without the stream's own length
 * prefix): one wire frame at the cap. A reader refuses any longer length prefix before buffering.
 */
export const MAX_STREAM_FRAME_BYTES = MAX_FRAME_BYTES + MAX_FRAME_HEADER_BYTES
/**
 * Mailboxes one deposit may list. A 1:1 message lists one mailbox per recipient device on that relay;
 * a group message lists every member device there. 1,024 IDs are 34 KiB, which with a payload at
 * MAX_ENVELOPE_BYTES still fits one frame; larger fan-outs are split into several deposits.
 */
export const MAX_DEPOSIT_MAILBOXES = 1024
/** Envelope IDs in one ack: a full fetch window acked in one frame (18 KiB). */
export const MAX_ACK_IDS = 1024
/** Envelope IDs in one status request: a sender asks about one message's envelopes, a few at a time. */
export const MAX_STATUS_IDS = 256
/** Envelopes in one fetched page; pages are also bounded in bytes by the frame cap. */
export const MAX_PAGE_ENVELOPES = 1024
/** The short human-readable description in a reply, in UTF-8 bytes: a reason, never data. */
export const MAX_STATUS_DESCRIPTION_BYTES = 256
/** One-time X25519 pre-keys in one upload (Signal uploads batches of 100). */
export const MAX_UPLOAD_ONE_TIME_PRE_KEYS = 100
/** One-time ML-KEM pre-keys in one upload: 100 signed records of about 1.3 KiB fit one frame. */
export const MAX_UPLOAD_ONE_TIME_KEM_PRE_KEYS = 100
/** Deposit results coalesced into one reply: at most what one stream may keep in flight, with room. */
export const MAX_COALESCED_RESULTS = 1024

// ---- device linking ----

/** The pairing secret of a link code: 256 bits, a one-use credential. */
export const LINK_SECRET_BYTES = 32
/** HMAC-SHA-256 proofs exchanged when linking a device. */
export const LINK_PROOF_BYTES = 32
