/**
 * Small random draws served from a buffer of CSPRNG output, refilled in one call. Each call into
 * node:crypto's `randomFillSync` makes a native job object and costs ~3 µs whatever its size, which is
 * 5% of a one-way message (a 12-byte nonce each) and as much as an HMAC; one refill serves dozens of
 * draws. This changes where the bytes wait, not where they come from: every byte is the fill
 * function's (OpenSSL's generator for the node provider), handed out once, in order.
 *
 * Owns: the buffer and its offset. A draw is copied into an array of its own and its bytes in the
 * buffer are zeroed at once, so the buffer only ever holds bytes not yet handed out (at most
 * RANDOM_POOL_BYTES). Larger draws bypass the buffer. Must not know: what the bytes are for.
 */
import { RANDOM_POOL_BYTES, RANDOM_POOL_MAX_DRAW_BYTES } from './checks.js'

/** Fills `target` entirely with fresh CSPRNG output. */
export type RandomFill = (target: Uint8Array) => void

/**
 * A draw function over `fill`: `length` (already checked by the caller) fresh bytes in a new array.
 * Draws up to `maxDraw` bytes come from a buffer of `poolBytes`, others straight from `fill`.
 */
export function createRandomPool(
  fill: RandomFill,
  poolBytes = RANDOM_POOL_BYTES,
  maxDraw = RANDOM_POOL_MAX_DRAW_BYTES,
): (length: number) => Uint8Array {
  const pool = new Uint8Array(poolBytes)
  // nothing in the buffer yet: the first draw fills it
  let offset = poolBytes
  return (length) => {
    if (length > maxDraw) {
      const out = new Uint8Array(length)
      fill(out)
      return out
    }
    if (poolBytes - offset < length) {
      fill(pool)
      offset = 0
    }
    const end = offset + length
    const out = pool.slice(offset, end)
    pool.fill(0, offset, end)
    offset = end
    return out
  }
}
