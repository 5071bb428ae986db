/**
 * deadlineSignal: fires after its time even when a garbage collection runs meanwhile and only the
 * waiter's listener holds the signal (the composed `AbortSignal.any([AbortSignal.timeout(ms), s])`
 * it replaces never fired after a collection on Node 20, and group commands through a daemon waited
 * forever on it); follows the outer signal's abort and reason.
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { deadlineSignal } from '../src/deadline.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function aborted(signal: AbortSignal, withinMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), withinMs)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

describe('deadlineSignal', () => {
  it('fires after its time although garbage collections run meanwhile', async () => {
    const outer = new AbortController()
    const collector = setInterval(gc, 20)
    try {
      // nothing but the listener holds the signal, as in a waiter
      const result = aborted(deadlineSignal(150, outer.signal), 3_000)
      expect(await result).toBe(true)
    } finally {
      clearInterval(collector)
    }
  })

  it('fires without an outer signal, with a TimeoutError', async () => {
    const signal = deadlineSignal(30)
    expect(await aborted(signal, 3_000)).toBe(true)
    expect((signal.reason as DOMException).name).toBe('TimeoutError')
  })

  it("follows the outer signal's abort and reason, and the deadline then changes nothing", async () => {
    const outer = new AbortController()
    const signal = deadlineSignal(50, outer.signal)
    const reason = new Error('interrupted')
    outer.abort(reason)
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe(reason)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(signal.reason).toBe(reason)
  })

  it('is aborted at once when the outer signal already is', () => {
    const outer = new AbortController()
    outer.abort('gone')
    const signal = deadlineSignal(10_000, outer.signal)
    expect(signal.aborted).toBe(true)
    expect(signal.reason).toBe('gone')
  })
})
