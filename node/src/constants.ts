/**
 * Every bound, timing and name of the `ferry` command and daemon, with its reason.
 */

/** Environment variable naming the data directory (DESIGN §6). */
export const ENV_HOME = 'FERRY_HOME'

/** Environment variable with listening multiaddrs of this device (comma-separated), like `--listen`. */
export const ENV_LISTEN = 'FERRY_LISTEN'

/** The LevelDB store inside the data directory (classic-level locks it: one process at a time). */
export const STORE_DIR_NAME = 'store'

/** The daemon's JSON-RPC socket inside the data directory. */
export const SOCKET_NAME = 'ferry.sock'

/** Where `receive` keeps the last cursor it printed, one file per subscriber name. */
export const CURSOR_DIR_NAME = 'cursors'

/** The subscriber `receive` resumes for when no `--subscriber` is given. */
export const DEFAULT_SUBSCRIBER = 'cli'

/** A subscriber name is a file name: letters, digits, `-` and `_`, at most 64 characters. */
export const SUBSCRIBER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/

/**
 * Longest Unix socket path the kernel takes (`sun_path` is 108 bytes on Linux, 104 on macOS, one of
 * them the terminating NUL): a deeper data directory cannot host the daemon's socket.
 */
export const MAX_SOCKET_PATH_BYTES = 103

/** How long a client waits for the daemon's socket to accept a connection before it gives up. */
export const RPC_CONNECT_TIMEOUT_MS = 2_000

/**
 * Longest JSON-RPC line the daemon reads from a client: requests are small (a message text is at most
 * MAX_MESSAGE_TEXT_BYTES), so a longer line is a broken or hostile client.
 */
export const RPC_MAX_REQUEST_BYTES = 1024 * 1024

/**
 * Longest JSON-RPC line a client reads from the daemon: a `history` page of HISTORY_MAX_LIMIT
 * messages of the largest text, JSON-escaped, fits.
 */
export const RPC_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

/** Clients the daemon serves at once; a local tool needs few, a leak must not exhaust descriptors. */
export const DAEMON_MAX_CONNECTIONS = 64

/**
 * Bytes a subscriber may leave unread on its socket before the daemon drops it: a stalled reader
 * must not grow the daemon's memory. It loses nothing: it reconnects from its cursor.
 */
export const SUBSCRIBER_MAX_BUFFERED_BYTES = 8 * 1024 * 1024

/** Events read from the store per page when a subscriber catches up. */
export const EVENTS_PAGE = 256

/**
 * How long a command waits for the data directory when another process holds it (a daemon that is
 * still starting, or another command running the node): signal-cli users are used to a short wait.
 */
export const DATA_DIR_WAIT_MS = 5_000

/** Poll interval while waiting for the data directory or the daemon's socket. */
export const DATA_DIR_POLL_MS = 100

/**
 * Seconds `receive` keeps listening after the last event when this process runs the node itself:
 * time to connect to the relays and drain the mailboxes (signal-cli's `receive` also waits 5 s).
 */
export const RECEIVE_STANDALONE_TIMEOUT_S = 5

/**
 * How long a command that ran the node itself waits, before it stops the node, for what it queued to
 * get its first delivery attempt (the copy of a message for this account's other devices, receipts,
 * sender keys, device-list announcements): a direct try of DIRECT_DELIVERY_TIMEOUT_MS (1.5 s), then a
 * deposit on each relay, all in parallel. What is left goes out the next time a node runs on this data
 * directory; an interrupt cuts the wait short.
 */
export const STANDALONE_DRAIN_TIMEOUT_MS = 10_000

/**
 * Most bytes `send TO -` reads from standard input: more than any message may hold (the messenger
 * refuses a text over MAX_MESSAGE_TEXT_BYTES with its own error), so a mistaken pipe is cut short.
 */
export const STDIN_MAX_BYTES = 64 * 1024

/** Largest `--limit` of `history`. */
export const HISTORY_MAX_LIMIT = 1_000

/** Default `--limit` of `history`. */
export const HISTORY_DEFAULT_LIMIT = 50

/** Largest `--timeout` of `receive`, in seconds (a day; `--follow` without `--timeout` runs forever). */
export const RECEIVE_MAX_TIMEOUT_S = 86_400

/**
 * Modules of light margin around a terminal QR code. The standard asks for 4; terminals are narrow,
 * and phone scanners read a code with a 2-module margin drawn in the terminal's foreground colour.
 */
export const QR_MARGIN_MODULES = 2

/**
 * Members named in one group request. The wire format's own limit (MAX_GROUP_MEMBERS, 1,024), kept
 * here as a plain number so that parsing a request never loads the messenger core (a command served
 * by the daemon starts in a tenth of a second); the messenger checks the real limit.
 */
export const MAX_MEMBERS_PER_REQUEST = 1_024
