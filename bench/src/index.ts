/**
 * The benchmarks `npm run bench` knows, by name. Each module exports a `Benchmark` whose `run`
 * prints its tables (or JSON lines) and returns its rows.
 */
import { browserBenchmark } from './browser/index.js'
import { cryptoBenchmark } from './crypto/index.js'
import { e2eBenchmark } from './e2e/index.js'
import { groupBenchmark } from './group/index.js'
import type { Benchmark } from './harness.js'
import { relayBenchmark } from './relay/index.js'

export type { Benchmark, BenchOptions, BenchRow } from './harness.js'

export const benchmarks: readonly Benchmark[] = [
  cryptoBenchmark,
  relayBenchmark,
  groupBenchmark,
  browserBenchmark,
  e2eBenchmark,
]
