/**
 * Every bound of the storage package, with its reason. Configurable quotas have a DEFAULT_ here and
 * are overridden through the store's init options; the rest are fixed by the stored formats.
 */
import { MAX_ENVELOPE_BYTES } from '@ferry/wire'

// ---- stored formats ----

/**
 * Version of the relay mailbox key layout, written once under the store's format key. A store
 * written by a newer layout is refused at open rather than misread.
 */
export const MAILBOX_FORMAT_VERSION = 1
/** Version of the relay pre-key store's key layout. */
export const PRE_KEY_FORMAT_VERSION = 1
/** Version of the relay device-list store's key layout. */
export const DEVICE_LIST_FORMAT_VERSION = 1
/** Version byte that opens every structured record this code writes (envelope, queue entry, ...). */
export const RECORD_VERSION = 1
/** Cursors are the big-endian 64-bit arrival sequence of an envelope. */
export const CURSOR_BYTES = 8
/**
 * An envelope listing at most this many mailboxes keeps the list inside its record (rewritten at
 * every ack, 32 bytes a mailbox); a longer list is a record of its own, written once. One-to-one and
 * multi-device messages stay inline; large group fan-outs do not rewrite 32 KiB per ack.
 */
export const INLINE_MAILBOXES = 16
/**
 * A caller-supplied `after` cursor longer than this is refused: real cursors are CURSOR_BYTES long,
 * and a long one would only make a long key.
 */
export const MAX_CURSOR_BYTES = 64

// ---- relay mailbox quotas (configurable) ----

/** A deposited payload: a sealed envelope at its wire cap. */
export const DEFAULT_MAX_ENVELOPE_BYTES = MAX_ENVELOPE_BYTES
/**
 * Mailboxes one deposit may list. Bounds the work a single deposit causes (a queue entry and a
 * recipient marker per mailbox, about 100 bytes each, all in one atomic write); a sender with a
 * larger fan-out on one relay splits it into several deposits.
 */
export const DEFAULT_MAX_DEPOSIT_MAILBOXES = 1024
/**
 * Envelopes one mailbox may hold. A month offline in busy groups is about 1,600 messages a day;
 * a flood from one sender hits this and is refused, never evicting what is stored.
 */
export const DEFAULT_MAILBOX_MAX_ENVELOPES = 50_000
/**
 * Payload bytes charged to one mailbox (each listed mailbox is charged the whole payload, although
 * it is stored once). Bounds what one mailbox can make the relay keep on disk.
 */
export const DEFAULT_MAILBOX_MAX_BYTES = 256 * 1024 * 1024
/** The longest a relay keeps an undelivered payload: 30 days, Signal's retention for queued messages. */
export const DEFAULT_MAX_TTL_MS = 30 * 24 * 60 * 60 * 1000
/**
 * How long an envelope that expired undelivered leaves a small tombstone (about 100 bytes) so that its
 * sender can still read "expired" and a re-deposit of the same ID is refused as expired. (A delivered
 * envelope's record stays until its own TTL passes: "delivered" and deduplication for as long as the
 * sender asked the relay to keep it.) Three days covers a sender offline for a weekend.
 */
export const DEFAULT_STATUS_TOMBSTONE_TTL_MS = 3 * 24 * 60 * 60 * 1000

// ---- memory ----

/**
 * Keys and records on their way into a write batch are carved out of shared slabs of this size:
 * a fresh small typed array lives on V8's heap and is moved off it the moment native code asks for
 * its bytes, which (with the garbage it leaves) measured as the largest cost of a deposit.
 */
export const SCRATCH_SLAB_BYTES = 64 * 1024
/** Larger buffers are allocated on their own (a slab would be wasted on one or two of them). */
export const MAX_SCRATCH_BYTES = 4 * 1024

// ---- group commit ----

/**
 * Requests (deposits, acks) gathered into one synchronous batch at most. Bounds the memory of a
 * batch and the latency of the request at its tail; at 25k deposits/s and a 1–2 ms fsync a batch
 * holds about 50.
 */
export const MAX_GROUP_COMMIT_REQUESTS = 1024
/** Payload bytes gathered into one batch at most (LevelDB copies the batch into its log). */
export const MAX_GROUP_COMMIT_BYTES = 8 * 1024 * 1024

// ---- recovery from a failed write ----

/**
 * Least time between two attempts to close and open the database after failed writes, with no write
 * succeeding between them (recovery.ts). An attempt on a disk that is still full replays the log (up
 * to LevelDB's write buffer, 4 MiB by default, and as much again for a memtable being flushed) and
 * fails; once in 5 s keeps that a small share of the disk's time, and once space is free the store
 * takes writes again within 5 s. The first failure after a successful write tries at once.
 */
export const DEFAULT_REOPEN_INTERVAL_MS = 5_000

/**
 * Free bytes under which the recovery does not close the database to open it again (when it is told
 * the free space: `RecoveryInit.freeBytes`): opening replays the log into a new table (up to LevelDB's
 * write buffer, 4 MiB by default) and writes a new log, which fails on a full disk and leaves the
 * database closed, so reads would fail too. Below this the database stays open for reads and writes
 * stay refused until space is freed. The write buffer and 1 MiB more.
 */
export const REOPEN_MIN_FREE_BYTES = 5 * 1024 * 1024

// ---- reads and sweeps ----

/**
 * Envelopes returned by one `list` call at most; larger limits are clamped. Matches the largest page
 * the mailbox protocol sends (1,024 envelopes); a page of them at 1 KiB is 1 MiB of memory.
 */
export const MAX_LIST_LIMIT = 1024
/**
 * Key and record bytes a queue entry takes besides its payload, at most (prefix, tag, mailbox,
 * sequence; version, envelope ID, times, size, flags), rounded up: `list` asks the iterator to read
 * ahead a page's payload bytes plus this much per entry, so that one read fills a byte-capped page
 * without reading far past it.
 */
export const QUEUE_ENTRY_OVERHEAD_BYTES = 128
/**
 * Entries the first read of a byte-capped `list` asks for, before it knows the payload sizes (later
 * reads ask for what the average size so far says fills the page): about classic-level's default
 * 16 KiB read of 1 KiB entries.
 */
export const LIST_FIRST_READ_ENTRIES = 16
/** Read-ahead of one `list` iterator read at most, whatever the caller's byte cap (memory per read). */
export const MAX_LIST_READ_AHEAD_BYTES = 4 * 1024 * 1024
/** Index entries (expired payloads or tombstones) one `sweepExpired` call handles by default. */
export const DEFAULT_SWEEP_LIMIT = 1000
/** Upper bound for a caller-chosen sweep limit: one sweep is one atomic batch. */
export const MAX_SWEEP_LIMIT = 10_000

// ---- pre-keys (relay side) ----

/**
 * A device address key (account key || device id) or other lookup key longer than this is refused:
 * the real one is 36 bytes.
 */
export const MAX_DEVICE_KEY_BYTES = 64
/** One-time X25519 pre-keys kept per device: 32 bytes each; Signal clients upload 100 at a time. */
export const MAX_ONE_TIME_PRE_KEYS = 1000
/** One-time signed ML-KEM-768 pre-keys kept per device: about 1.3 KiB each, so fewer than X25519. */
export const MAX_ONE_TIME_KEM_PRE_KEYS = 200
/** A stored signed record (certificate, signed pre-key, KEM pre-key) at most. */
export const MAX_STORED_RECORD_BYTES = 4 * 1024
