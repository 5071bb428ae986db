/**
 * The relay process's V8 heap policy: applied at start unless the operator set the factor, and a
 * flag this Node's V8 knows (v8.setFlagsFromString ignores a name it does not know, silently).
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { RELAY_HEAP_GROWING_PERCENT } from '../src/constants.js'
import { applyHeapPolicy } from '../src/heap.js'

function applied(execArgv: string[]): { returned: string[]; set: string[] } {
  const set: string[] = []
  const returned = applyHeapPolicy({ execArgv, setFlags: (flag) => set.push(flag) })
  return { returned, set }
}

describe('applyHeapPolicy', () => {
  it('sets the heap growing factor when the process was started without one', () => {
    const flag = `--heap-growing-percent=${RELAY_HEAP_GROWING_PERCENT}`
    expect(applied([])).toEqual({ returned: [flag], set: [flag] })
    expect(applied(['--enable-source-maps', '--max-semi-space-size=8'])).toEqual({
      returned: [flag],
      set: [flag],
    })
  })

  it("leaves the operator's own factor alone, however V8's flag is spelled", () => {
    for (const argv of [
      ['--heap-growing-percent=80'],
      ['--heap_growing_percent=80'],
      ['--heap-growing-percent', '80'],
    ]) {
      expect(applied(argv)).toEqual({ returned: [], set: [] })
    }
  })

  it('sets a flag that this V8 knows (an unknown name would be ignored without a word)', () => {
    const [flag] = applied([]).returned
    const known = spawnSync(process.execPath, [flag!, '-e', '0'], { encoding: 'utf8' })
    expect(known.stderr).toBe('')
    expect(known.status).toBe(0)
    // the control: the same check refuses a flag V8 does not have
    const unknown = spawnSync(process.execPath, ['--heap-growing-percentage=50', '-e', '0'], {
      encoding: 'utf8',
    })
    expect(unknown.status).not.toBe(0)
  })
})
