/**
 * Timing for the relay benchmark: like the harness's `measure` (warm-up, rotating order, rates per
 * round), except that each side says whose CPU time counts: the relay process's for what the relay
 * serves (deposits, echoes), this process's for the in-process storage baseline.
 */
import { performance } from 'node:perf_hooks'
import type { Rates } from '../harness.js'

export interface TimedSide {
  readonly name: string
  /** Operations per round. */
  readonly count: number
  /** CPU time of the process doing the work, microseconds (monotonic). */
  cpu(): number
  /** Untimed preparation of one round; returns the timed part. */
  prepare(): Promise<() => Promise<void>>
}

/** This process's CPU time, microseconds. */
export function ownCpu(): number {
  const usage = process.cpuUsage()
  return usage.user + usage.system
}

export async function measureSides(
  sides: readonly TimedSide[],
  plan: { rounds: number; warmup: number },
): Promise<Map<string, Rates>> {
  const rates = new Map<string, Rates>(sides.map((side) => [side.name, { wall: [], cpu: [] }]))
  for (let round = -plan.warmup; round < plan.rounds; round++) {
    const shift = ((round % sides.length) + sides.length) % sides.length
    for (const side of [...sides.slice(shift), ...sides.slice(0, shift)]) {
      const timed = await side.prepare()
      const cpuStart = side.cpu()
      const start = performance.now()
      await timed()
      const seconds = (performance.now() - start) / 1000
      const cpuSeconds = Math.max(1e-3, (side.cpu() - cpuStart) / 1e6)
      if (round >= 0) {
        rates.get(side.name)!.wall.push(side.count / seconds)
        rates.get(side.name)!.cpu.push(side.count / cpuSeconds)
      }
    }
  }
  return rates
}

/** The q-quantile (0..1) of unsorted samples (nearest rank). */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) {
    return Number.NaN
  }
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}
