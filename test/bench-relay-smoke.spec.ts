/**
 * The relay benchmark still runs end to end: in quick mode with small counts it starts a real relay
 * process, measures every scenario beside its baselines, prints its tables, stops the relay, and
 * returns a row per scenario and baseline. Figures are only checked to be positive; timing is never
 * asserted (the machine is shared).
 */
import { describe, expect, it } from 'vitest'
import { type RelayRow, relayBenchmark } from '../bench/src/relay/index.js'
import { buildRelay } from './relay/helpers/relay-process.js'

describe('relay benchmark (smoke)', () => {
  it('measures deposits, drain, latency and memory against a relay process, beside the baselines', async () => {
    buildRelay()
    const lines: string[] = []
    const rows = await relayBenchmark.run({
      quick: true,
      rounds: 1,
      scale: 0.25,
      print: (line) => lines.push(line),
    })

    const rates = rows.filter((row) => row.unit === 'deposits/s')
    expect(rates.map((row) => `${row.scenario} / ${row.baselineName}`)).toEqual(
      [
        '1 sender, waiting',
        '1 sender, 8 in flight',
        '4 senders, waiting',
        '4 senders, 8 in flight',
        '16 senders, waiting',
        '16 senders, 8 in flight',
      ].flatMap((scenario) => [`${scenario} / libp2p echo`, `${scenario} / classic-level`]),
    )
    expect(rows.filter((row) => row.unit === 'envelopes/s')).toHaveLength(2)
    expect(
      rows.filter((row) => row.unit === 'ms').map((row) => `${row.scenario} / ${row.baselineName}`),
    ).toEqual([
      expect.stringMatching(/^deposit latency p50 at 1,000\/s, 64 clients.* \/ libp2p echo$/),
      expect.stringMatching(/^deposit latency p50 at 1,000\/s, 64 clients.* \/ classic-level$/),
      expect.stringMatching(/^deposit latency p99 at 1,000\/s, 64 clients.* \/ libp2p echo$/),
      expect.stringMatching(/^deposit latency p99 at 1,000\/s, 64 clients.* \/ classic-level$/),
    ])
    // the relay's own histogram over each deposit round counts the round's deposits
    const inside = (rows as RelayRow[]).find((row) => row.relayHistogram !== undefined)?.relayHistogram ?? []
    expect(inside).toHaveLength(1)
    expect(inside[0]!.deposits).toBeGreaterThan(0)
    expect(inside[0]!.over50ms).toBeGreaterThanOrEqual(0)
    expect(lines.some((line) => line.startsWith('Inside the relay'))).toBe(true)
    expect(rows.filter((row) => row.unit === 'MiB')).toHaveLength(3)
    for (const row of rows) {
      expect(row.value.median).toBeGreaterThan(0)
      expect(row.baseline.median).toBeGreaterThan(0)
      expect(Number.isFinite(row.ratio.median)).toBe(true)
    }
    expect(lines.some((line) => line.startsWith('| scenario ') && line.includes('libp2p echo'))).toBe(true)
    expect(lines.some((line) => line.includes('Quick run: a smoke test'))).toBe(true)
    expect(lines.some((line) => line.includes('exited with code'))).toBe(false)
  }, 120_000)
})
