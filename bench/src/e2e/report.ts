/**
 * How the end-to-end benchmark prints: a header saying what is measured and how, progress on stderr
 * while it runs, then one table (figure, baseline, ratio, target), or JSON lines.
 */
import { type BenchOptions, formatSpread, jsonLine, type Machine, table } from '../harness.js'
import type { E2eRow } from './index.js'

const number = (unit: string) => (v: number) =>
  unit === 'messages/s' || v >= 100
    ? Math.round(v).toLocaleString('en-US')
    : v >= 10
      ? v.toFixed(1)
      : v.toFixed(2)
const ratio = (v: number): string => `${v.toFixed(2)}x`

function target(row: E2eRow): string {
  const parts: string[] = []
  if (row.absoluteTarget?.min !== undefined) {
    parts.push(`>= ${row.absoluteTarget.min.toLocaleString('en-US')} ${row.unit}`)
  }
  if (row.absoluteTarget?.max !== undefined) {
    parts.push(`<= ${row.absoluteTarget.max} ${row.unit}`)
  }
  if (row.maxRatio !== undefined) {
    parts.push(`<= ${row.maxRatio}x baseline`)
  }
  return parts.length === 0 ? '' : `${parts.join(', ')} ${row.pass ? 'PASS' : 'MISS'}`
}

function cells(row: E2eRow): string[] {
  const format = number(row.unit)
  const hasBaseline = row.baselineName !== '(none)'
  return [
    row.scenario,
    `${formatSpread(row.value, format)} ${row.unit}`,
    hasBaseline ? `${row.baselineName}: ${formatSpread(row.baseline, format)}` : '',
    hasBaseline ? formatSpread(row.ratio, ratio) : '',
    target(row),
  ]
}

export const report = {
  header(
    print: (line: string) => void,
    options: BenchOptions,
    meta: Machine & Record<string, unknown>,
  ): void {
    if (options.json) {
      print(JSON.stringify(meta))
      return
    }
    print(
      `Ferry end to end on one machine (${meta.node}, ${meta.platform}, ${meta.cpus} CPUs, ${meta.cpuModel}, load average ${meta.loadAverage} at start), ${meta.date}`,
    )
    print(
      'Two devices in this process (createMessenger, classic-level stores, each its own libp2p host: TCP, noise, yamux)',
    )
    print(
      'and a ferry-relay process on loopback; `ferry` processes for cold start and memory. Latency: one message at a',
    )
    print(
      'time, from send() to the recipient’s message event (emitted once the message is durably stored); the baseline is a',
    )
    print(
      `libp2p ping on the same connection. ${meta.rounds} measured round(s); figures: median (min–max) over rounds of each`,
    )
    print(`round's p50/p99 or rate; ratios paired round by round. ${meta.messageBytes}-byte messages.`)
    if (options.quick) {
      print('Quick run: a smoke test. Its counts are too small for its figures to mean anything.')
    }
    print('')
  },

  /** Rows as they are measured, on stderr (JSON output prints every row at the end). */
  progress(options: BenchOptions, rows: readonly E2eRow[]): void {
    if (options.json) {
      return
    }
    for (const row of rows) {
      process.stderr.write(`  ${cells(row).filter(Boolean).join('  ')}\n`)
    }
  },

  table(print: (line: string) => void, options: BenchOptions, rows: readonly E2eRow[]): void {
    if (options.json) {
      for (const row of rows) {
        print(jsonLine(row))
      }
      return
    }
    for (const line of table(['scenario', 'Ferry', 'baseline', 'ratio', 'target'], rows.map(cells))) {
      print(line)
    }
  },
}
