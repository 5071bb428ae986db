/**
 * The Vite plugins of the browser builds (browser/build): gossipsub's metric set is cut out of the
 * installed @libp2p/gossipsub without touching what gossipsub uses at run time; @libp2p/crypto's
 * RSA, secp256k1 and ECDSA modules are replaced by ones with the same exports that refuse; and a
 * module of an unexpected shape stops the build.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { UnsupportedKeyTypeError } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { refusingModule } from '../../browser/build/ed25519-keys-only.js'
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

const KEY_MODULES = ['rsa/utils', 'rsa/der', 'ecdsa/utils', 'secp256k1/utils'] as const

function keyModulePath(name: string): string {
  return fileURLToPath(new URL(`../../node_modules/@libp2p/crypto/dist/src/keys/${name}.js`, import.meta.url))
}

/** Evaluates a stand-in module, with @libp2p/interface's error class handed in. */
async function evaluate(code: string): Promise<Record<string, unknown>> {
  const holder = globalThis as { ferryKeyErrors?: unknown }
  holder.ferryKeyErrors = { UnsupportedKeyTypeError }
  const local = code.replace(
    "import { UnsupportedKeyTypeError } from '@libp2p/interface'",
    'const { UnsupportedKeyTypeError } = globalThis.ferryKeyErrors',
  )
  expect(local).not.toEqual(code)
  return (await import(`data:text/javascript,${encodeURIComponent(local)}`)) as Record<string, unknown>
}

describe('ed25519KeysOnly', () => {
  it.each(KEY_MODULES)(
    'stands in for keys/%s: the same exports, constants kept, functions refuse',
    async (name) => {
      const path = keyModulePath(name)
      const original = (await import(pathToFileURL(path).href)) as Record<string, unknown>
      const standIn = await evaluate(refusingModule(readFileSync(path, 'utf8'), name))
      expect(Object.keys(standIn).sort()).toEqual(Object.keys(original).sort())
      for (const [key, value] of Object.entries(standIn)) {
        if (typeof value !== 'function') {
          expect(value).toEqual(original[key])
          continue
        }
        let outcome: unknown
        try {
          outcome = (value as () => unknown)()
        } catch (err) {
          outcome = err
        }
        if (outcome instanceof Promise) {
          await expect(outcome).rejects.toBeInstanceOf(UnsupportedKeyTypeError)
        } else {
          expect(outcome).toBeInstanceOf(UnsupportedKeyTypeError)
        }
      }
    },
  )

  it('refuses an export form it cannot stand in for', () => {
    expect(() => refusingModule('export class Key {}\n', 'RSA')).toThrow(UnexpectedModuleShapeError)
    expect(() => refusingModule('export const table = { a: 1 };\n', 'RSA')).toThrow(
      UnexpectedModuleShapeError,
    )
    expect(() => refusingModule('export * from "./x.js";\n', 'RSA')).toThrow(UnexpectedModuleShapeError)
    expect(() => refusingModule('const x = 1;\n', 'RSA')).toThrow(UnexpectedModuleShapeError)
  })
})
