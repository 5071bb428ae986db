/**
 * Every bound and default of the browser package, with its reason.
 */

/** The IndexedDB database (and writer lock) name when the page names none. */
export const DEFAULT_STORE_NAME = 'ferry'

/** Web Locks name prefix: one writer per store name (`ferry:<name>`). */
export const LOCK_PREFIX = 'ferry:'

/** BroadcastChannel name prefix: how a tab asks the writer tab to hand over. */
export const CHANNEL_PREFIX = 'ferry:'

/**
 * How long a tab that takes over waits for the writer tab to close its messenger and release the
 * lock before taking the lock by force: a frozen background tab may never answer, but a live one
 * finishes its in-flight writes well within this.
 */
export const TAKEOVER_GRACE_MS = 3_000

/**
 * Marker of a store that once held an account (cookie and localStorage): IndexedDB found empty while
 * the marker is present means the browser evicted the store, and the device must be linked again
 * (FAULTS 38) instead of silently becoming a new identity. Cookies are not quota-managed storage, so
 * they survive an eviction that empties IndexedDB; clearing site data removes both, which is a
 * deliberate reset. The marker holds no secret and no identifier: "1".
 */
export const EVICTION_MARKER_PREFIX = 'ferry-device.'

/** The marker cookie's lifetime (400 days is the longest Chromium keeps a cookie). */
export const EVICTION_MARKER_MAX_AGE_S = 400 * 24 * 60 * 60

/** Above this share of the origin's quota, `storage()` reports the store as nearly full. */
export const STORAGE_NEARLY_FULL_RATIO = 0.9

/**
 * Records the store's read cache keeps (cached-store.ts). A message touches a few dozen (account,
 * sessions, identities, contacts, the outbox); this holds the working set of hundreds of contacts.
 */
export const STORE_CACHE_MAX_ENTRIES = 10_000

/** Bytes of keys and values the read cache keeps: a small share of a tab's memory. */
export const STORE_CACHE_MAX_BYTES = 16 * 1024 * 1024

/** A record larger than this is not cached (a long message history page is read once). */
export const STORE_CACHE_MAX_VALUE_BYTES = 256 * 1024
