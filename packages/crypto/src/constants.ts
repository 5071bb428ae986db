/**
 * Every bound of the crypto layers, with its reason (see libsignal's consts.rs for the originals).
 * Each layer's constants sit in its own block.
 */

// ---- Double Ratchet and sessions ----

/**
 * Largest gap, in messages, between the next expected counter of a chain and a received counter
 * (also applied to a header's previous-chain length). A header is unauthenticated until its message
 * decrypts, so this bounds the work a forged header can cause: checked before any key is derived.
 */
export const MAX_FORWARD_JUMP = 2_000

/**
 * Message keys kept for skipped (late or lost) messages per session state. When more are needed, the
 * oldest are evicted and reported as lost: memory stays bounded whatever the peer does.
 */
export const MAX_SKIPPED_KEYS = 1_000

/** Receiving chains kept per session state: in-flight messages from recent ratchet steps still decrypt. */
export const MAX_RECEIVING_CHAINS = 5

/**
 * Archived session states kept per remote device (Sesame): after a reset or a simultaneous initiation,
 * messages encrypted under an older session still decrypt, and a state that decrypts becomes current.
 */
export const MAX_ARCHIVED_SESSIONS = 10

/**
 * Decoded session records a `SessionRecordCache` keeps by default (one per remote device, least
 * recently used dropped first). A record is a few hundred bytes to a few kilobytes (more with skipped
 * keys), so this bounds the cache near a few megabytes while covering every device a busy account
 * talks to; a miss only costs a decode.
 */
export const MAX_CACHED_SESSION_RECORDS = 1_000

/**
 * Static-static agreements (sealed sender's DH(IK_s, IK_r)) remembered per local identity key, least
 * recently used dropped first. The result is the same for every envelope between two devices, so a
 * remembered one saves an X25519 agreement on every seal and every open after the first with a
 * device; 32 bytes each, one entry per remote device this device writes to or hears from.
 */
export const MAX_REMEMBERED_STATIC_AGREEMENTS = 1_000

// ---- sender keys ----

/** Format version of the stored sender-key record. */
export const SENDER_KEY_RECORD_VERSION = 1

/**
 * Chain states kept per (sender device, distribution): after a rotation, messages still in flight
 * under the previous chain decrypt (libsignal keeps 5).
 */
export const MAX_SENDER_KEY_STATES = 5

/** Message seeds kept per chain for skipped iterations; the oldest are dropped first. */
export const MAX_SENDER_KEY_SKIPPED = 2_000

/**
 * Largest iteration jump accepted for one sender-key message, checked (after the signature) before
 * any key is derived, so a far-ahead iteration cannot make a member derive millions of keys.
 */
export const MAX_SENDER_KEY_FORWARD_JUMP = 25_000

/**
 * Last iteration a sender chain encrypts at. Iterations are uint32 on the wire and the stored chain key
 * sits one past the last iteration used, so 2^32 - 2 is the last one; the sender rotates before that.
 */
export const MAX_SENDER_KEY_ITERATION = 0xffff_fffe
