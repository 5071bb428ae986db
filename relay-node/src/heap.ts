/**
 * The V8 heap policy of the `ferry-relay` process: how far V8 lets its old generation grow past what
 * the last full collection found live. V8's own factor adapts up to 4x when collections are fast
 * beside the program, so a relay holding 2,000 connections (about 100 MiB live) held 190-255 MiB of
 * old space, most of it garbage from handshakes and deposits, and kept those pages after collecting
 * them. The relay bounds that room to about RELAY_HEAP_HEADROOM_BYTES: after each full collection it
 * sets V8's growing factor from what is live (never under RELAY_MIN_HEAP_GROWING_PERCENT, and V8's own
 * heuristic while the heap is small enough for its factor to stay within the bound), so a small relay
 * pays no extra collections and a large one keeps its heap near what it uses. The flag is read at
 * every collection, so setting it while running takes effect; an operator's own
 * `--heap-growing-percent` disables the policy.
 */
import {
  constants,
  type NodeGCPerformanceDetail,
  type PerformanceEntry,
  PerformanceObserver,
} from 'node:perf_hooks'
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import {
  RELAY_HEAP_HEADROOM_BYTES,
  RELAY_MIN_HEAP_GROWING_PERCENT,
  V8_MAX_HEAP_GROWING_PERCENT,
} from './constants.js'

const FLAG = '--heap-growing-percent'

/**
 * The growing factor (percent over live) for a live old generation of `liveBytes`: 0 (V8's own
 * heuristic) while even its largest factor keeps the room within RELAY_HEAP_HEADROOM_BYTES.
 */
export function growingPercentFor(liveBytes: number): number {
  const percent = Math.floor((100 * RELAY_HEAP_HEADROOM_BYTES) / Math.max(1, liveBytes))
  if (percent >= V8_MAX_HEAP_GROWING_PERCENT) {
    return 0
  }
  return Math.max(RELAY_MIN_HEAP_GROWING_PERCENT, percent)
}

export interface HeapPolicyInit {
  /** The node flags the process was started with (`process.execArgv`). */
  execArgv: readonly string[]
  /** Applies a V8 flag. Default: `v8.setFlagsFromString`. */
  setFlags?: (flags: string) => void
  /** Bytes live in the heap now. Default: V8's used heap size. */
  liveBytes?: () => number
  /** Calls `onMajor` after each full collection; returns a stop function. Default: a GC observer. */
  observeMajorGc?: (onMajor: () => void) => () => void
}

export interface HeapPolicy {
  /** Whether the relay sets the factor (false: the operator set it). */
  readonly active: boolean
  /** The percent set last (0: V8's own heuristic). */
  readonly percent: number
  stop(): void
}

function observeMajorGc(onMajor: () => void): () => void {
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const detail = (entry as PerformanceEntry & { detail?: NodeGCPerformanceDetail }).detail
      if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        onMajor()
        return
      }
    }
  })
  observer.observe({ entryTypes: ['gc'] })
  return () => observer.disconnect()
}

/** Starts the policy for this process, unless the operator set the growing factor. */
export function applyHeapPolicy(init: HeapPolicyInit): HeapPolicy {
  // V8 spells its flags with dashes or underscores; NODE_OPTIONS may not carry this one
  const own = init.execArgv.some((arg) => arg.replaceAll('_', '-').startsWith(FLAG))
  if (own) {
    return { active: false, percent: 0, stop: () => {} }
  }
  const set = init.setFlags ?? setFlagsFromString
  const live = init.liveBytes ?? (() => getHeapStatistics().used_heap_size)
  let percent = 0
  const adjust = (): void => {
    const next = growingPercentFor(live())
    if (next !== percent) {
      percent = next
      set(`${FLAG}=${next}`)
    }
  }
  adjust()
  const stop = (init.observeMajorGc ?? observeMajorGc)(adjust)
  return {
    active: true,
    get percent() {
      return percent
    },
    stop,
  }
}
