/**
 * Token buckets keyed by a string (a PeerId, a target device): `burst` tokens, refilled at `rate` per
 * second on the clock passed in. Memory is bounded: past `maxKeys` tracked keys, buckets that have
 * refilled completely (which behave exactly like new ones) are forgotten, then the oldest.
 */

export interface RateLimiterInit {
  /** Tokens a new bucket holds, and the most it refills to. */
  burst: number
  /** Tokens added per second. */
  ratePerSecond: number
  /** Keys tracked before idle buckets are dropped. */
  maxKeys: number
  /** The clock, in ms. */
  now: () => number
}

interface Bucket {
  tokens: number
  updatedAt: number
}

export class RateLimiter {
  readonly #burst: number
  readonly #ratePerMs: number
  readonly #maxKeys: number
  readonly #now: () => number
  readonly #buckets = new Map<string, Bucket>()

  constructor(init: RateLimiterInit) {
    this.#burst = init.burst
    this.#ratePerMs = init.ratePerSecond / 1_000
    this.#maxKeys = init.maxKeys
    this.#now = init.now
  }

  /** Takes `count` tokens from `key`'s bucket if it holds them; false (and nothing taken) otherwise. */
  take(key: string, count = 1): boolean {
    const now = this.#now()
    let bucket = this.#buckets.get(key)
    if (bucket === undefined) {
      this.#makeRoom(now)
      bucket = { tokens: this.#burst, updatedAt: now }
      this.#buckets.set(key, bucket)
    } else {
      this.#refill(bucket, now)
    }
    if (bucket.tokens < count) {
      return false
    }
    bucket.tokens -= count
    return true
  }

  /** Keys currently tracked. */
  get size(): number {
    return this.#buckets.size
  }

  #refill(bucket: Bucket, now: number): void {
    // a clock that steps backwards refills nothing, and never drains
    const elapsed = Math.max(0, now - bucket.updatedAt)
    bucket.tokens = Math.min(this.#burst, bucket.tokens + elapsed * this.#ratePerMs)
    bucket.updatedAt = Math.max(bucket.updatedAt, now)
  }

  #makeRoom(now: number): void {
    if (this.#buckets.size < this.#maxKeys) {
      return
    }
    for (const [key, bucket] of this.#buckets) {
      this.#refill(bucket, now)
      if (bucket.tokens >= this.#burst) {
        this.#buckets.delete(key)
      }
    }
    // still full of active buckets: forget the oldest-inserted ones (they get a fresh burst back,
    // which is the price of bounded memory under a flood of distinct keys)
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size < this.#maxKeys) {
        break
      }
      this.#buckets.delete(key)
    }
  }
}

/** Counts open streams per peer against a cap; `acquire` fails when the peer is at the cap. */
export class StreamCounter {
  readonly #max: number
  readonly #open = new Map<string, number>()

  constructor(max: number) {
    this.#max = max
  }

  acquire(peer: string): boolean {
    const open = this.#open.get(peer) ?? 0
    if (open >= this.#max) {
      return false
    }
    this.#open.set(peer, open + 1)
    return true
  }

  release(peer: string): void {
    const open = this.#open.get(peer) ?? 0
    if (open <= 1) {
      this.#open.delete(peer)
    } else {
      this.#open.set(peer, open - 1)
    }
  }

  /** Streams `peer` has open. */
  count(peer: string): number {
    return this.#open.get(peer) ?? 0
  }
}
