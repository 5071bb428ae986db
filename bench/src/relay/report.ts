/**
 * How the relay benchmark prints: a header saying what is measured and how, progress on stderr while
 * it runs, then one table per kind of figure (throughput, latency, memory), or JSON lines.
 */
import { type BenchOptions, formatRate, formatSpread, jsonLine, type Machine, table } from '../harness.js'
import type { RelayRow } from './index.js'

const ratio = (v: number): string => `${v.toFixed(2)}x`
const ms = (v: number): string => (v >= 10 ? v.toFixed(0) : v.toFixed(2))
const mib = (v: number): string => v.toFixed(0)

function target(row: RelayRow): string {
  const parts: string[] = []
  if (row.absoluteTarget?.min !== undefined) {
    parts.push(`>= ${formatRate(row.absoluteTarget.min)}`)
  }
  if (row.absoluteTarget?.max !== undefined) {
    parts.push(`<= ${row.absoluteTarget.max}`)
  }
  if (row.target !== undefined) {
    parts.push(`>= ${row.target}x echo`)
  }
  if (parts.length === 0) {
    return ''
  }
  return `${parts.join(', ')} ${row.pass ? 'PASS' : 'MISS'}`
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
      `Ferry relay under load: a ferry-relay process and this load process on one machine (${meta.node}, ${meta.platform}, ${meta.cpus} CPUs`,
    )
    print(`${meta.cpuModel}, load average ${meta.loadAverage} at start), ${meta.date}`)
    print(
      `${meta.rounds} measured rounds after ${meta.warmup} warm-up; the sides run in rotating order each round.`,
    )
    print('Figures: median (min–max) over rounds; ratios paired round by round.')
    print(
      `${meta.envelopeBytes}-byte envelopes. Each client is its own libp2p host (TCP, noise, yamux, no keepalive of its own) with one connection to the relay.`,
    )
    print(
      'Baselines: a byte echo of the same size served by the same relay process on the same connections (what libp2p',
    )
    print(
      'alone costs), and classic-level in this process with group-committed sync:true batches (what the disk costs).',
    )
    if (options.quick) {
      print('Quick run: a smoke test. Its counts are too small for its figures to mean anything.')
    }
    print('')
  },

  progress(print: (line: string) => void, options: BenchOptions, rows: readonly RelayRow[]): void {
    if (options.json || options.print !== undefined) {
      return
    }
    const first = rows[0]
    if (first !== undefined) {
      process.stderr.write(`  measured: ${first.scenario}: ${formatRate(first.value.median)} ${first.unit}\n`)
    }
    void print
  },

  table(print: (line: string) => void, options: BenchOptions, rows: readonly RelayRow[]): void {
    if (options.json) {
      for (const row of rows) {
        print(jsonLine(row))
      }
      return
    }
    const rates = rows.filter((r) => r.unit === 'deposits/s' || r.unit === 'envelopes/s')
    const scenarios = [...new Set(rates.map((r) => r.scenario))]
    print('Throughput (relay CPU per operation from /proc: the relay process alone)')
    print('')
    for (const line of table(
      [
        'scenario',
        'n/round',
        'Ferry relay',
        'libp2p echo',
        'ratio',
        'classic-level',
        'ratio',
        'relay CPU/op',
        'unit',
        'target',
      ],
      scenarios.map((scenario) => {
        const echo = rates.find((r) => r.scenario === scenario && r.baselineName === 'libp2p echo')!
        const classic = rates.find((r) => r.scenario === scenario && r.baselineName === 'classic-level')!
        return [
          scenario,
          String(echo.count),
          formatSpread(echo.value, formatRate),
          formatSpread(echo.baseline, formatRate),
          formatSpread(echo.ratio, ratio),
          formatSpread(classic.baseline, formatRate),
          formatSpread(classic.ratio, ratio),
          `${(1e6 / echo.cpu.value.median).toFixed(0)} µs`,
          echo.unit,
          target(echo),
        ]
      }),
    )) {
      print(line)
    }
    print('')
    const latency = rows.filter((r) => r.unit === 'ms')
    if (latency.length > 0) {
      print('Latency (open loop: measured from when each request was due)')
      print('')
      const labels = [...new Set(latency.map((r) => r.scenario))]
      for (const line of table(
        [
          'scenario',
          'Ferry relay (ms)',
          'libp2p echo (ms)',
          'ratio',
          'classic-level (ms)',
          'ratio',
          'target',
        ],
        labels.map((scenario) => {
          const echo = latency.find((r) => r.scenario === scenario && r.baselineName === 'libp2p echo')!
          const classic = latency.find((r) => r.scenario === scenario && r.baselineName === 'classic-level')!
          return [
            scenario,
            formatSpread(echo.value, ms),
            formatSpread(echo.baseline, ms),
            formatSpread(echo.ratio, ratio),
            formatSpread(classic.baseline, ms),
            formatSpread(classic.ratio, ratio),
            target(echo),
          ]
        }),
      )) {
        print(line)
      }
      print('')
      const inside = latency.find((r) => r.relayHistogram !== undefined && r.relayHistogram.length > 0)
      if (inside?.relayHistogram !== undefined) {
        const rounds = inside.relayHistogram
        print(
          `Inside the relay (its ferry_relay_durable_write_seconds, receipt of a deposit to its durable write), per deposit round:`,
        )
        print(
          `p99 within ${rounds.map((r) => `${r.p99BoundMs} ms`).join(', ')} (histogram bucket bounds); over 50 ms: ${rounds
            .map((r) => `${r.over50ms} of ${r.deposits.toLocaleString('en-US')}`)
            .join(', ')}.`,
        )
        print('')
      }
    }
    const memory = rows.filter((r) => r.unit === 'MiB')
    if (memory.length > 0) {
      print("Memory of the relay process (from /proc/PID/status: RssAnon excludes LevelDB's mapped files)")
      print('')
      for (const line of table(
        ['scenario', 'MiB', 'baseline', 'MiB', 'target'],
        memory.map((r) => [
          r.scenario,
          mib(r.value.median),
          r.baselineName,
          mib(r.baseline.median),
          target(r),
        ]),
      )) {
        print(line)
      }
      print('')
    }
  },
}
