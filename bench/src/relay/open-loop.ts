/**
 * Open-loop load: requests issued at a fixed rate whatever the answers do, each request's latency
 * measured from the moment it was due (so a stall shows as latency, not as a lower rate).
 */
import { performance } from 'node:perf_hooks'

/** Latencies (ms, from when each request was due) and how long the run took. */
export interface OpenLoopResult {
  samples: number[]
  issued: number
  elapsedMs: number
}

/** Issues `rate * seconds` requests at `rate` per second, request `i` by `request(i)`. */
export async function openLoop(
  request: (i: number) => Promise<void>,
  rate: number,
  seconds: number,
): Promise<OpenLoopResult> {
  const total = Math.round(rate * seconds)
  const samples: number[] = []
  const pending: Promise<void>[] = []
  const start = performance.now()
  let issued = 0
  while (issued < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1)
    while (issued < due) {
      const dueAt = start + (issued * 1000) / rate
      pending.push(
        request(issued).then(() => {
          samples.push(performance.now() - dueAt)
        }),
      )
      issued++
    }
    await new Promise((r) => setTimeout(r, 1))
  }
  await Promise.all(pending)
  return { samples, issued, elapsedMs: performance.now() - start }
}
