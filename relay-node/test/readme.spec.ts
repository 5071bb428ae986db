/**
 * The README documents what the code has: every configuration key with its environment variable,
 * and every metric the relay exports.
 */
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { envName, KEYS } from '../src/config/schema.js'
import { RelayMetrics } from '../src/metrics/relay-metrics.js'

const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md'), 'utf8')

describe('relay-node README', () => {
  it('lists every configuration key and its environment variable', () => {
    for (const spec of KEYS) {
      expect(readme).toMatch(new RegExp(`\\| \`${spec.key.replace('.', '\\.')}\` +\\|`))
      expect(readme).toContain(`\`${envName(spec.key)}\``)
    }
  })

  it('lists every metric', () => {
    const metrics = new RelayMetrics({ version: '0', startedAt: 0 })
    const text = metrics.render()
    metrics.close()
    const names = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!)
    expect(names.length).toBeGreaterThan(20)
    for (const name of names) {
      const short = name.replace(/^ferry_relay/, '')
      expect(readme.includes(`\`${name}\``) || readme.includes(`\`${short}\``), name).toBe(true)
    }
  })
})
