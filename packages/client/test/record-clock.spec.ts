/** recordClock: message records get times later than the one before, whatever the clock does. */
import { describe, expect, it } from 'vitest'
import { recordClock } from '../src/record-clock.js'

describe('recordClock', () => {
  it('follows the clock while it moves on', () => {
    let now = 1_000
    const next = recordClock(() => now)
    expect(next()).toBe(1_000)
    now = 1_500
    expect(next()).toBe(1_500)
  })

  it('gives a later time to each record of the same millisecond', () => {
    const next = recordClock(() => 5_000)
    expect([next(), next(), next()]).toEqual([5_000, 5_001, 5_002])
  })

  it('keeps increasing when the clock is set back, and follows it again once it passes', () => {
    let now = 10_000
    const next = recordClock(() => now)
    expect(next()).toBe(10_000)
    now = 9_000
    expect(next()).toBe(10_001)
    now = 12_000
    expect(next()).toBe(12_000)
  })
})
