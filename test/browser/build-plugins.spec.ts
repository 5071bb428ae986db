/**
 * The Vite plugins of the browser builds (browser/build): gossipsub's metric set is cut out of the
 * installed @libp2p/gossipsub without touching what gossipsub uses at run time, and a module of an
 * unexpected shape stops the build.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { UnexpectedModuleShapeError, withoutGetMetrics } from '../../browser/build/no-gossipsub-metrics.js'

function installedMetricsModule(): string {
  const path = new URL('../../node_modules/@libp2p/gossipsub/dist/src/metrics.js', import.meta.url)
  return readFileSync(fileURLToPath(path), 'utf8')
}

describe('noGossipsubMetrics', () => {
  it('keeps every export but getMetrics of the installed module, and getMetrics throws a named error', async () => {
    const original = installedMetricsModule()
    const exportsOf = (code: string) =>
      [...code.matchAll(/^export (?:var|function|class) (\w+)/gm)].map((m) => m[1])
    const rewritten = withoutGetMetrics(original)
    expect(rewritten.length).toBeLessThan(original.length / 4)
    expect(exportsOf(rewritten)).toEqual([
      ...exportsOf(original).filter((name) => name !== 'getMetrics'),
      'GossipsubMetricsUnavailableError',
      'getMetrics',
    ])
    // the replacement itself, evaluated on its own
    const tail = rewritten.slice(rewritten.indexOf('export class GossipsubMetricsUnavailableError'))
    const module = (await import(`data:text/javascript,${encodeURIComponent(tail)}`)) as {
      getMetrics: () => unknown
    }
    expect(() => module.getMetrics()).toThrow(/metricsRegister/)
  })

  it('refuses a module without getMetrics, with two, or with exports after it', () => {
    const enums = 'export var A;\n(function (A) { A["x"] = "x"; })(A || (A = {}));\n'
    const fn = 'export function getMetrics(register) {\n  return {}\n}\n'
    expect(() => withoutGetMetrics(enums)).toThrow(UnexpectedModuleShapeError)
    expect(() => withoutGetMetrics(enums + fn + fn)).toThrow(UnexpectedModuleShapeError)
    expect(() => withoutGetMetrics(`${enums}${fn}export const late = 1\n`)).toThrow(
      UnexpectedModuleShapeError,
    )
    expect(withoutGetMetrics(enums + fn)).toContain(enums)
  })
})
