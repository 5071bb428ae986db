import { describe, expect, it } from 'vitest'
import { RateLimiter, StreamCounter } from '../src/stream/rate-limiter.js'

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate on the given clock', () => {
    let now = 0
    const limiter = new RateLimiter({ burst: 3, ratePerSecond: 2, maxKeys: 10, now: () => now })
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false])
    expect(limiter.take('b')).toBe(true) // keys are independent
    now += 499
    expect(limiter.take('a')).toBe(false)
    now += 1
    expect(limiter.take('a')).toBe(true)
    expect(limiter.take('a')).toBe(false)
    now += 60_000
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]) // capped at the burst
  })

  it('neither refills nor drains when the clock steps backwards', () => {
    let now = 10_000
    const limiter = new RateLimiter({ burst: 1, ratePerSecond: 1, maxKeys: 10, now: () => now })
    expect(limiter.take('a')).toBe(true)
    now = 0
    expect(limiter.take('a')).toBe(false)
    now = 11_000
    expect(limiter.take('a')).toBe(true)
  })

  it('keeps memory bounded under a flood of distinct keys', () => {
    let now = 0
    const limiter = new RateLimiter({ burst: 2, ratePerSecond: 1, maxKeys: 100, now: () => now })
    for (let i = 0; i < 10_000; i++) {
      limiter.take(`peer-${i}`)
      now += 1
    }
    expect(limiter.size).toBeLessThanOrEqual(100)
  })
})

describe('StreamCounter', () => {
  it('caps streams per peer and frees a slot on release', () => {
    const counter = new StreamCounter(2)
    expect([counter.acquire('a'), counter.acquire('a'), counter.acquire('a')]).toEqual([true, true, false])
    expect(counter.acquire('b')).toBe(true)
    counter.release('a')
    expect(counter.count('a')).toBe(1)
    expect(counter.acquire('a')).toBe(true)
  })
})
