/**
 * The relay process's V8 heap policy: the growing factor follows what is live after each full
 * collection, an operator's own factor wins, and the flag is one this Node's V8 knows
 * (v8.setFlagsFromString ignores a name it does not know, silently).
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import {
  RELAY_HEAP_HEADROOM_BYTES,
  RELAY_MIN_HEAP_GROWING_PERCENT,
  V8_MAX_HEAP_GROWING_PERCENT,
} from '../src/constants.js'
import { applyHeapPolicy, growingPercentFor } from '../src/heap.js'

const MiB = 1024 * 1024

describe('growingPercentFor', () => {
  it("leaves a small heap to V8's own factor, bounds the room of a large one, never below the minimum", () => {
    expect(growingPercentFor(4 * MiB)).toBe(0)
    expect(growingPercentFor((100 * RELAY_HEAP_HEADROOM_BYTES) / V8_MAX_HEAP_GROWING_PERCENT)).toBe(0)
    expect(growingPercentFor(RELAY_HEAP_HEADROOM_BYTES)).toBe(100)
    expect(growingPercentFor(2 * RELAY_HEAP_HEADROOM_BYTES)).toBe(50)
    expect(growingPercentFor(30 * MiB)).toBe(Math.floor((100 * RELAY_HEAP_HEADROOM_BYTES) / (30 * MiB)))
    expect(growingPercentFor(1024 * MiB)).toBe(RELAY_MIN_HEAP_GROWING_PERCENT)
    expect(growingPercentFor(0)).toBe(0)
  })
})

describe('applyHeapPolicy', () => {
  function started(execArgv: string[], live: number[]) {
    const set: string[] = []
    let onMajor: (() => void) | undefined
    let stopped = false
    const policy = applyHeapPolicy({
      execArgv,
      setFlags: (flag) => set.push(flag),
      liveBytes: () => live.shift() ?? 0,
      observeMajorGc: (callback) => {
        onMajor = callback
        return () => {
          stopped = true
        }
      },
    })
    return { policy, set, major: () => onMajor?.(), stopped: () => stopped }
  }

  it('sets the factor from what is live after each full collection, only when it changes', () => {
    const run = started([], [10 * MiB, 200 * MiB, 210 * MiB, 64 * MiB, 8 * MiB])
    expect(run.policy.active).toBe(true)
    expect(run.set).toEqual([])
    run.major()
    run.major()
    expect(run.set).toEqual([`--heap-growing-percent=${RELAY_MIN_HEAP_GROWING_PERCENT}`])
    run.major()
    run.major()
    expect(run.set.slice(1)).toEqual([
      `--heap-growing-percent=${growingPercentFor(64 * MiB)}`,
      '--heap-growing-percent=0',
    ])
    expect(run.policy.percent).toBe(0)
    run.policy.stop()
    expect(run.stopped()).toBe(true)
  })

  it("leaves the operator's own factor alone, however V8's flag is spelled", () => {
    for (const argv of [['--heap-growing-percent=80'], ['--heap_growing_percent=80']]) {
      const run = started(argv, [500 * MiB])
      expect(run.policy.active).toBe(false)
      run.major()
      expect(run.set).toEqual([])
    }
  })

  it('sets a flag that this V8 knows (an unknown name would be ignored without a word)', () => {
    const known = spawnSync(process.execPath, ['--heap-growing-percent=50', '-e', '0'], { encoding: 'utf8' })
    expect(known.stderr).toBe('')
    expect(known.status).toBe(0)
    // the control: the same check refuses a flag V8 does not have
    const unknown = spawnSync(process.execPath, ['--heap-growing-percentage=50', '-e', '0'], {
      encoding: 'utf8',
    })
    expect(unknown.status).not.toBe(0)
  })
})
