/**
 * The benchmark harness: warm-up, repeated rounds with the contenders in rotating order, medians and
 * spread, and the two outputs (a Markdown table for people, one JSON object per line for tools).
 *
 * A benchmark describes "sides" (one implementation of one scenario, e.g. Ferry on node:crypto or
 * libsignal); each round, every side prepares its work untimed and then runs it timed. Figures are
 * rates (operations per second) per round; a side is compared with its baseline round by round, so
 * load that drifts over the run affects both figures of a pair alike.
 */
import os from 'node:os'
import { performance } from 'node:perf_hooks'

export interface BenchOptions {
  /** A short run for a smoke test: fewer rounds and small counts. */
  readonly quick?: boolean
  /** One JSON object per line instead of tables. */
  readonly json?: boolean
  /** Where output lines go (default: standard output). */
  readonly print?: (line: string) => void
  /** Measured rounds (default: the benchmark's own, fewer with `quick`). */
  readonly rounds?: number
  /** Multiplies every operation count (default 1); counts never drop below 1. */
  readonly scale?: number
  /** Restricts the variants measured (for crypto: Ferry providers); default all. */
  readonly variants?: readonly string[]
}

export interface Benchmark {
  readonly name: string
  /** One line for the listing. */
  readonly description: string
  run(options?: BenchOptions): Promise<BenchRow[]>
}

/** One side of a comparison: prepares a round's work untimed, and returns the timed part. */
export interface Side {
  readonly name: string
  /** Operations per round (the work the timed part does). */
  readonly count: number
  prepare(count: number): Promise<() => Promise<void>>
}

export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
  /** Every measured round, in order. */
  readonly rounds: readonly number[]
}

export interface BenchRow {
  readonly benchmark: string
  readonly scenario: string
  /** Which implementation the row measures (for the crypto benchmark: the Ferry provider). */
  readonly variant: string
  readonly unit: string
  /** Operations per round on the measured side and on the baseline. */
  readonly count: number
  readonly baselineCount: number
  readonly value: Spread
  readonly baselineName: string
  readonly baseline: Spread
  /** Per-round value / baseline. */
  readonly ratio: Spread
  /** The same figures by the process's CPU time instead of the wall clock. */
  readonly cpu: { readonly value: Spread; readonly baseline: Spread; readonly ratio: Spread }
  /** Lowest acceptable ratio, when the row has a target. */
  readonly target?: number
  readonly pass?: boolean
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) {
    throw new RangeError('no measurements')
  }
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, rounds: values }
}

/** Counts scaled for the options, at least 1. */
export function scaled(count: number, options: BenchOptions): number {
  return Math.max(1, Math.round(count * (options.scale ?? 1)))
}

/** Per side, per measured round: operations per wall-clock second and per CPU second of the process. */
export interface Rates {
  readonly wall: number[]
  readonly cpu: number[]
}

/**
 * Runs `warmup` unrecorded rounds and then `rounds` measured ones. In round r the sides run in the
 * order of the list rotated by r, so each side goes first equally often. Returns, per side, its
 * rates per measured round: count / seconds of the timed part, by wall clock and by the process's CPU
 * time (user + system, all threads), which other processes on a shared machine disturb less.
 *
 * The heap is left as it is between parts: forcing a collection before each one was tried, and it
 * shrinks the young generation, so whichever side allocates most right after it pays for regrowing
 * it (in a trial it roughly halved Ferry's burst figures).
 */
export async function measure(
  sides: readonly Side[],
  plan: { readonly rounds: number; readonly warmup: number },
): Promise<Map<string, Rates>> {
  const rates = new Map<string, Rates>(sides.map((side) => [side.name, { wall: [], cpu: [] }]))
  for (let round = -plan.warmup; round < plan.rounds; round++) {
    const shift = ((round % sides.length) + sides.length) % sides.length
    const order = [...sides.slice(shift), ...sides.slice(0, shift)]
    for (const side of order) {
      const timed = await side.prepare(side.count)
      const cpuStart = process.cpuUsage()
      const start = performance.now()
      await timed()
      const seconds = (performance.now() - start) / 1000
      const cpu = process.cpuUsage(cpuStart)
      if (round >= 0) {
        const entry = rates.get(side.name)!
        entry.wall.push(side.count / seconds)
        entry.cpu.push(side.count / ((cpu.user + cpu.system) / 1e6))
      }
    }
  }
  return rates
}

/** Element-wise a[i] / b[i]. */
export function pairedRatios(a: readonly number[], b: readonly number[]): number[] {
  return a.map((value, i) => value / b[i]!)
}

// ------------------------------------------------------------------------------ output

export function printer(options: BenchOptions): (line: string) => void {
  return options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
}

export interface Machine {
  readonly node: string
  readonly platform: string
  readonly cpus: number
  readonly cpuModel: string
  /** 1, 5 and 15-minute load averages when the run started. */
  readonly loadAverage: string
  readonly date: string
}

/** The machine, for the record printed with every run. */
export function machine(): Machine {
  const cpus = os.cpus()
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    date: new Date().toISOString(),
  }
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** 12,345 for large rates, 3 significant digits for small ones. */
export function formatRate(value: number): string {
  return value >= 100 ? integer.format(value) : value.toPrecision(3)
}

export function formatSpread(s: Spread, format: (v: number) => string): string {
  return `${format(s.median)} (${format(s.min)}–${format(s.max)})`
}

const ratioText = (v: number): string => `${v.toFixed(2)}x`

/** A Markdown table, columns padded so it also reads as plain text. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`
  return [
    line(header),
    `| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : `${'-'.repeat(w - 1)}:`)).join(' | ')} |`,
    ...rows.map(line),
  ]
}

/** The rows of one variant as a table: figure, baseline, ratio, target. */
export function comparisonTable(rows: readonly BenchRow[]): string[] {
  const baselineName = rows[0]?.baselineName ?? 'baseline'
  return table(
    ['scenario', 'n/round', 'Ferry', baselineName, 'unit', 'ratio', 'ratio (CPU time)', 'target'],
    rows.map((row) => [
      row.scenario,
      row.count === row.baselineCount ? String(row.count) : `${row.count} / ${row.baselineCount}`,
      formatSpread(row.value, formatRate),
      formatSpread(row.baseline, formatRate),
      row.unit,
      formatSpread(row.ratio, ratioText),
      formatSpread(row.cpu.ratio, ratioText),
      row.target === undefined ? '' : `>= ${row.target}x ${row.pass ? 'PASS' : 'MISS'}`,
    ]),
  )
}

/** A row as one JSON line (rates rounded to 0.1/s, ratios to 0.001). */
export function jsonLine(row: BenchRow): string {
  const round = (digits: number) => (s: Spread) => ({
    median: Number(s.median.toFixed(digits)),
    min: Number(s.min.toFixed(digits)),
    max: Number(s.max.toFixed(digits)),
    rounds: s.rounds.map((v) => Number(v.toFixed(digits))),
  })
  return JSON.stringify({
    type: 'result',
    ...row,
    value: round(1)(row.value),
    baseline: round(1)(row.baseline),
    ratio: round(3)(row.ratio),
    cpu: {
      value: round(1)(row.cpu.value),
      baseline: round(1)(row.cpu.baseline),
      ratio: round(3)(row.cpu.ratio),
    },
  })
}
