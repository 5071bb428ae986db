/**
 * The crypto benchmark still runs: in quick mode with tiny counts, every scenario prints its row for
 * every Ferry provider beside libsignal, in tables and as JSON lines. Figures are only checked to be
 * positive rates; timing is never asserted (the machine is shared).
 */
import { describe, expect, it } from 'vitest'
import { cryptoBenchmark, SCENARIOS, VARIANTS } from '../bench/src/crypto/index.js'

const labels = SCENARIOS.flatMap((s) => [s.label, ...(s.derived ?? []).map((d) => d.label)])
const tiny = { quick: true, rounds: 1, scale: 0.1 } as const

describe('crypto benchmark (smoke)', () => {
  it('prints every scenario for every provider beside libsignal, with the node targets', async () => {
    const lines: string[] = []
    const rows = await cryptoBenchmark.run({ ...tiny, print: (line) => lines.push(line) })

    expect(rows).toHaveLength(VARIANTS.length * labels.length)
    for (const variant of VARIANTS) {
      const at = lines.findIndex((line) => line.startsWith(`Ferry provider: ${variant} `))
      expect(at, `table of ${variant}`).toBeGreaterThan(0)
      const table = lines.slice(at + 2, at + 4 + labels.length)
      expect(table[0]).toMatch(/^\| scenario .*\| +Ferry \| +libsignal \|.*\| +ratio \|/)
      for (const [i, label] of labels.entries()) {
        const cells = table[2 + i]!.split('|').map((cell) => cell.trim())
        expect(cells[1]).toBe(label.trim())
        expect(cells[3]).toMatch(/^[\d,.]+ \([\d,.]+–[\d,.]+\)$/) // Ferry: median (min–max)
        expect(cells[4]).toMatch(/^[\d,.]+ \([\d,.]+–[\d,.]+\)$/) // libsignal
        expect(cells[6]).toMatch(/^[\d.]+x \([\d.]+x–[\d.]+x\)$/) // ratio
      }
    }
    const targets = rows.filter((row) => row.target !== undefined)
    expect(targets.map((row) => [row.variant, row.target])).toEqual([
      ['node', 1.5],
      ['node', 3],
      ['node', 1],
    ])
    for (const row of targets) {
      expect(
        lines.some(
          (line) =>
            line.includes(row.scenario) && line.includes(`>= ${row.target}x ${row.pass ? 'PASS' : 'MISS'}`),
        ),
      ).toBe(true)
    }
    for (const row of rows) {
      for (const figure of [row.value, row.baseline, row.ratio, row.cpu.value, row.cpu.baseline]) {
        expect(figure.median).toBeGreaterThan(0)
        expect(Number.isFinite(figure.median)).toBe(true)
      }
    }
  })

  it('prints one JSON object per line with --json: the run first, then a row per scenario', async () => {
    const lines: string[] = []
    await cryptoBenchmark.run({ ...tiny, json: true, variants: ['node'], print: (line) => lines.push(line) })

    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(objects[0]).toMatchObject({
      type: 'meta',
      benchmark: 'crypto',
      messageBytes: 200,
      groupDevices: 100,
    })
    expect(objects.slice(1).map((o) => [o.type, o.variant, o.scenario])).toEqual(
      labels.map((label) => ['result', 'node', label]),
    )
  })

  it('refuses an unknown provider before measuring anything', async () => {
    const lines: string[] = []
    await expect(
      cryptoBenchmark.run({ ...tiny, variants: ['openssl'], print: (line) => lines.push(line) }),
    ).rejects.toThrow(/unknown provider openssl/)
    expect(lines).toEqual([])
  })
})
