/**
 * Every bound and default of Ferry's libp2p presets and protocol servers and clients, with its reason.
 * Wire-format limits (frame cap, IDs per request) live in @ferry/wire; these are policy: timeouts,
 * stream and rate limits, windows. Each can be overridden through the init object of its service.
 */

// ---- streams (every protocol) ----

/**
 * Once the first byte of a frame has arrived, the whole frame must arrive within this time, or the
 * stream is reset. A slow-loris sender that trickles a frame byte by byte holds a stream for at most
 * this long; an honest client sends a 256 KiB frame in milliseconds.
 */
export const FRAME_READ_TIMEOUT_MS = 10_000
/**
 * A request/response stream (not a live fetch session) with nothing in flight is closed after this
 * long without a new request. Clients reopen streams cheaply; idle ones only hold relay memory.
 */
export const STREAM_IDLE_TIMEOUT_MS = 60_000
/**
 * Bytes a paused inbound stream may buffer before libp2p resets it: four frames at the cap. Bounds
 * the memory one stream can pin when its peer ignores backpressure (libp2p's default is 4 MiB).
 */
export const MAX_STREAM_READ_BUFFER_BYTES = 4 * (256 * 1024 + 8)
/**
 * Bytes queued for sending on one stream before it is reset: a peer that stops reading its replies
 * (or pushed pages) cannot make the relay hold an unbounded send buffer (libp2p's default is no limit).
 */
export const MAX_STREAM_WRITE_BUFFER_BYTES = 4 * 1024 * 1024
/** Complete frames queued unread on one stream before reading pauses (backpressure to the sender). */
export const MAX_QUEUED_FRAMES = 64
/** Time given to a graceful close (flushing the last replies) before a stream is reset instead. */
export const STREAM_CLOSE_TIMEOUT_MS = 5_000
/** Time a stopping server gives its open streams to finish in-flight writes before resetting them. */
export const SERVER_STOP_TIMEOUT_MS = 10_000

// ---- mailbox protocol ----

/**
 * Inbound mailbox streams per connection (libp2p's registrar enforces it, resetting extra streams). A
 * device needs two or three: a deposit stream, a fetch session, an occasional status query.
 */
export const MAILBOX_MAX_INBOUND_STREAMS = 32
/** Outbound mailbox streams per connection, on the client side. */
export const MAILBOX_MAX_OUTBOUND_STREAMS = 32
/**
 * Mailbox streams one peer may hold open across all its connections. The per-connection limit alone
 * lets a peer multiply its streams by opening connections; this caps the total.
 */
export const MAILBOX_MAX_STREAMS_PER_PEER = 64
/**
 * Deposits one stream may have in flight at the relay; reading pauses beyond it. A client pipelining
 * 8 (the default) is far below; the slack absorbs bursts without stalling the group commit.
 */
export const MAILBOX_MAX_PIPELINED_DEPOSITS = 64
/** Deposits a client keeps in flight on one stream by default (the throughput knee measured here). */
export const MAILBOX_CLIENT_PIPELINE = 8
/**
 * Per-peer deposit rate limit: a token bucket of this many deposits, refilled at
 * DEPOSIT_RATE_PER_PEER_PER_SECOND. An honest device sends a few messages a second at most; a relay
 * serving load tests or gateways raises it in its config.
 */
export const DEPOSIT_BURST_PER_PEER = 1_000
/** Refill rate of the per-peer deposit bucket: 6,000 deposits a minute sustained. */
export const DEPOSIT_RATE_PER_PEER_PER_SECOND = 100
/** Per-peer bucket for challenges and status queries (cheap reads, still bounded). */
export const QUERY_BURST_PER_PEER = 300
/** Refill rate of the per-peer query bucket. */
export const QUERY_RATE_PER_PEER_PER_SECOND = 50
/** Peers tracked by one rate limiter before idle (full) buckets are dropped: bounds limiter memory. */
export const MAX_RATE_LIMITER_KEYS = 100_000
/** A challenge nonce is usable for this long after it was issued (and only once). */
export const CHALLENGE_TTL_MS = 60_000
/** Outstanding challenges per connection; the oldest is dropped beyond it. */
export const MAX_CHALLENGES_PER_CONNECTION = 16
/** Default time to live a client requests for a deposit: 30 days, as the relay's default cap. */
export const DEFAULT_DEPOSIT_TTL_MS = 30 * 24 * 60 * 60 * 1_000
/** Largest TTL a relay grants unless configured otherwise (DESIGN §5: 30 days). */
export const MAX_DEPOSIT_TTL_MS = 30 * 24 * 60 * 60 * 1_000
/** Envelopes a fetch session sends before the client acks, unless the client asks for fewer. */
export const MAILBOX_DEFAULT_WINDOW = 256
/** Largest fetch window a relay grants: one full window can be acked in one frame (MAX_ACK_IDS). */
export const MAILBOX_MAX_WINDOW = 1_024
/**
 * Bytes of envelopes in one page frame. Below the 256 KiB frame cap with room for framing; any single
 * envelope (at most 72 KiB) fits.
 */
export const MAILBOX_PAGE_BYTES = 192 * 1024
/**
 * A live fetch session that has sent nothing for this long sends a heartbeat, so idle-connection
 * timeouts (120 s at the socket) never close a session that is merely waiting for mail.
 */
export const MAILBOX_HEARTBEAT_INTERVAL_MS = 30_000
/**
 * A client that hears nothing (not even a heartbeat) on a live session for this long treats the
 * session as dead and ends it with an error, so the caller reconnects: three missed heartbeats.
 */
export const MAILBOX_SESSION_SILENCE_MS = 3 * MAILBOX_HEARTBEAT_INTERVAL_MS

// ---- pre-key protocol ----

/** Inbound pre-key streams per connection: uploads and claims are short request/response exchanges. */
export const PREKEYS_MAX_INBOUND_STREAMS = 8
/** Pre-key streams one peer may hold open across all its connections. */
export const PREKEYS_MAX_STREAMS_PER_PEER = 16
/**
 * Claims per requester (PeerId): a burst of 30, refilled at one every 2 s. Starting sessions with
 * every device of a few dozen contacts fits; a drain attempt from one peer does not.
 */
export const PREKEY_CLAIM_BURST_PER_REQUESTER = 30
/** Refill rate of the per-requester claim bucket. */
export const PREKEY_CLAIM_RATE_PER_REQUESTER_PER_SECOND = 0.5
/**
 * Claims that hand out one-time keys, per target device: a burst of 20, refilled at one a minute.
 * Past it a claim is still answered, with the signed and last-resort keys only, so many requesters
 * (PeerIds are free) cannot drain a device's one-time keys (FAULTS 27).
 */
export const PREKEY_ONE_TIME_CLAIM_BURST_PER_TARGET = 20
/** Refill rate of the per-target one-time-key bucket. */
export const PREKEY_ONE_TIME_CLAIM_RATE_PER_TARGET_PER_SECOND = 1 / 60
/** Uploads per device-signing peer: a device tops up rarely; a burst of 10, one a minute after. */
export const PREKEY_UPLOAD_BURST_PER_PEER = 10
/** Refill rate of the per-peer upload bucket. */
export const PREKEY_UPLOAD_RATE_PER_PEER_PER_SECOND = 1 / 60

// ---- device-list protocol ----

/** Inbound device-list streams per connection. */
export const DEVICE_LIST_MAX_INBOUND_STREAMS = 8
/** Device-list streams one peer may hold open across all its connections. */
export const DEVICE_LIST_MAX_STREAMS_PER_PEER = 16
/** Device-list requests (get or put) per peer: a burst of 120, refilled at 2 a second. */
export const DEVICE_LIST_BURST_PER_PEER = 120
/** Refill rate of the per-peer device-list bucket. */
export const DEVICE_LIST_RATE_PER_PEER_PER_SECOND = 2

// ---- direct delivery ----

/** Inbound deliver streams per connection. A sender pipelines on one stream. */
export const DELIVER_MAX_INBOUND_STREAMS = 16
/** Outbound deliver streams per connection. */
export const DELIVER_MAX_OUTBOUND_STREAMS = 16
/** Deliver streams one peer may hold open across all its connections. */
export const DELIVER_MAX_STREAMS_PER_PEER = 32
/**
 * Envelopes a receiver stores concurrently per stream (calls of its `onEnvelope` that overlap), so its
 * store can group-commit; reading pauses beyond it.
 */
export const DELIVER_MAX_PIPELINED = 32
/** Envelopes a sender keeps in flight on one deliver stream by default. */
export const DELIVER_CLIENT_PIPELINE = 8

// ---- libp2p hosts ----

/**
 * Connections a relay holds before libp2p prunes. A relay serves every device of its community at
 * once (the benchmark holds 2,000 clients); libp2p's default of 300 is a peer's, not a server's.
 */
export const RELAY_MAX_CONNECTIONS = 10_000
/**
 * Inbound connections per second accepted from one host. libp2p's default of 5 refuses a NAT
 * gateway's users and any load test; per-connection limits still bound each connection.
 */
export const RELAY_INBOUND_CONNECTION_THRESHOLD = 1_000
/** Inbound connections in their handshake at once (libp2p's default is 10). */
export const RELAY_MAX_INCOMING_PENDING_CONNECTIONS = 512
/** Circuit relay v2 reservations a relay grants (libp2p's default is 15). */
export const RELAY_MAX_RESERVATIONS = 1_024
/** Concurrent hop streams (relayed connections being set up) a relay accepts. */
export const RELAY_MAX_INBOUND_HOP_STREAMS = 256

// ---- device linking ----

/** Link streams per connection: linking is rare and interactive. */
export const LINK_MAX_INBOUND_STREAMS = 4
/** Link streams per peer across its connections. */
export const LINK_MAX_STREAMS_PER_PEER = 4

// ---- browser hosts ----

/**
 * How long a browser waits for a WebRTC connection to a peer it reached through a relay (signalling
 * over the relay, ICE, DTLS, noise). Messaging goes on over the relay meanwhile, so this only bounds
 * a background attempt.
 */
export const WEBRTC_UPGRADE_TIMEOUT_MS = 20_000
/**
 * After a failed WebRTC attempt to a peer, the next one waits this long: a peer behind a NAT that host
 * candidates cannot cross fails every time, and each attempt costs a signalling exchange on the relay.
 */
export const WEBRTC_UPGRADE_RETRY_MS = 5 * 60 * 1000
