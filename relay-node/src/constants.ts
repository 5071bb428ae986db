/**
 * Every default and bound of the relay node itself, with its reason. Protocol limits (streams, rates,
 * windows) are the transport's and quotas the storage's; the relay repeats a default here only where
 * it differs from theirs for a server, and every one of them can be changed in the configuration.
 */

// ---- data directory ----

/** The LevelDB directory inside the data directory (mailboxes, pre-keys, device lists). */
export const STORE_DIR_NAME = 'store'
/** The relay's libp2p identity key inside the data directory. */
export const IDENTITY_FILE_NAME = 'identity.key'
/**
 * First line of the identity file: names the format and its version, so a later format (or a file
 * that is not a key at all) is refused rather than misread. The libp2p protobuf private key follows.
 */
export const IDENTITY_FILE_HEADER = 'ferry-relay-identity/1\n'
/** Largest identity file read: an Ed25519 protobuf key is 68 bytes; anything much larger is not one. */
export const MAX_IDENTITY_FILE_BYTES = 4096
/** The identity key is readable by the relay's user only (like an SSH host key). */
export const IDENTITY_FILE_MODE = 0o600
/** The data directory, when the relay creates it, is private to the relay's user. */
export const DATA_DIR_MODE = 0o700

// ---- network ----

/** TCP port a relay listens on by default (every interface). */
export const DEFAULT_TCP_PORT = 4001
/** WebSockets port a relay listens on by default (browsers dial relays over WebSockets). */
export const DEFAULT_WS_PORT = 4002
/**
 * Longest a circuit-relayed connection may stay open. libp2p's default (2 minutes) then drops the
 * whole connection, which cuts devices that are reached through their relays; 30 minutes lets a
 * conversation and a WebRTC upgrade happen on one reservation. Operators lower it to save bandwidth.
 */
export const DEFAULT_CIRCUIT_DURATION_LIMIT_MS = 30 * 60 * 1000
/**
 * Most bytes a circuit-relayed connection may carry. libp2p's default (128 KiB) is under two sealed
 * envelopes at their cap (72 KiB); 64 MiB carries hundreds of messages with attachments' headers.
 */
export const DEFAULT_CIRCUIT_DATA_LIMIT_BYTES = 64 * 1024 * 1024
/** A circuit relay reservation lasts this long before the device renews it (libp2p's default). */
export const DEFAULT_CIRCUIT_RESERVATION_TTL_MS = 2 * 60 * 60 * 1000

// ---- metrics and health ----

/** Metrics and health HTTP port (the OpenTelemetry/Prometheus exporter convention). 0 picks a free port. */
export const DEFAULT_METRICS_PORT = 9464
/**
 * Metrics listen on loopback by default: they carry no secrets, but an operator decides who may scrape
 * (set `metrics.host` to `0.0.0.0` behind a firewall, or scrape through a local agent).
 */
export const DEFAULT_METRICS_HOST = '127.0.0.1'
/** Requests to the metrics server that take longer than this are cut (a slow scraper holds a socket). */
export const METRICS_REQUEST_TIMEOUT_MS = 10_000
/** Upper bounds (seconds) of the durable-write latency histogram: 0.5 ms to 2.5 s. */
export const DURABLE_WRITE_BUCKETS_SECONDS: readonly number[] = [
  0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
]

// ---- storage upkeep ----

/**
 * How often the expiry sweep runs on the relay's clock. A payload outlives its TTL by at most this
 * (it is never served past it: the store filters expired envelopes on read).
 */
export const DEFAULT_SWEEP_INTERVAL_MS = 60_000
/**
 * Sweep batches (each one atomic write of at most DEFAULT_SWEEP_LIMIT entries) run back to back in
 * one tick at most; the rest waits for the next tick, so a large expiry never starves deposits.
 */
export const MAX_SWEEP_BATCHES_PER_TICK = 100

// ---- lifecycle ----

/**
 * Time a stopping relay gives in-flight deposits and acks to finish (the protocol servers wait up to
 * their own stop timeout) and storage to close, before it exits with an error instead.
 */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 30_000
/** Log lines longer than this are cut (a log line is never a channel for bulk data). */
export const MAX_LOG_LINE_CHARS = 2048
/** Characters of an ID shown in logs: enough to tell relays apart, never a full identifier. */
export const LOG_ID_CHARS = 8

// ---- memory ----

/**
 * The most old-generation room V8 may keep above what is live once the relay's heap is large (the
 * growing factor is set to live + this after each full collection; see heap.ts). In the benchmark's
 * memory scenario (2,000 connections, about 100 MiB live, 1,000,000 envelopes) V8's own factor let
 * the old space reach 190-255 MiB, most of it garbage whose pages V8 kept; with the factor at 50% it
 * stayed near 155 MiB. 48 MiB gives that 50% there, and lets a relay with a few hundred
 * connections (20-40 MiB live) grow 2.2-3.4x before a full collection, so it collects less often.
 */
export const RELAY_HEAP_HEADROOM_BYTES = 48 * 1024 * 1024
/**
 * The lowest growing factor the relay sets, in percent over live: below it full collections (each one
 * marks everything live) come too often for the memory they save.
 */
export const RELAY_MIN_HEAP_GROWING_PERCENT = 50
/** V8's largest adaptive growing factor (4x), in percent over live: at or above it V8 decides alone. */
export const V8_MAX_HEAP_GROWING_PERCENT = 300
