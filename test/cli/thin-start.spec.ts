/**
 * `ferry` loads the messenger core (and libp2p, classic-level and the crypto providers with it) only
 * when it runs the node in its own process: help, usage errors and every command a running daemon
 * serves start without it (about 0.1 s instead of about 0.6 s here). One static import of a value from
 * the core anywhere on the way from main.js undoes that for every command, so this follows the
 * static imports of the built entry point (what `node node/bin/ferry.js` runs) and lists the packages
 * they load.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildBins, ROOT } from './helpers/ferry.js'

/** `import … from 'x'`, `export … from 'x'` and `import 'x'` at the start of a line. */
const STATIC_IMPORT = /^\s*(?:(?:import|export)\s[^'"]*?from\s*|import\s*)['"]([^'"]+)['"]/gm
/**
 * `import('./x.js')`: the command modules, loaded for every command once its name is known. A
 * dynamic import of a package (`import('@ferry/client')` in client.js) is the lazy load itself.
 */
const RELATIVE_DYNAMIC_IMPORT = /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g

/** The packages `entry` loads before any lazy load, following relative imports through the built files. */
function staticPackages(entry: string): { packages: Set<string>; files: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string): void => {
    if (files.has(file)) {
      return
    }
    files.add(file)
    const text = readFileSync(file, 'utf8')
    for (const match of [...text.matchAll(STATIC_IMPORT), ...text.matchAll(RELATIVE_DYNAMIC_IMPORT)]) {
      const specifier = match[1]!
      if (specifier.startsWith('.')) {
        visit(resolve(dirname(file), specifier))
      } else {
        packages.add(
          specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!,
        )
      }
    }
  }
  visit(entry)
  return { packages, files }
}

describe('ferry starts thin', () => {
  beforeAll(() => buildBins())

  it('loads neither the messenger core nor libp2p before it knows it runs the node', () => {
    const { packages, files } = staticPackages(join(ROOT, 'node', 'dist', 'src', 'main.js'))
    // the walk did reach the commands (a broken walk would pass vacuously)
    expect([...files].some((f) => f.endsWith(join('cli', 'open.js')))).toBe(true)
    const heavy = [...packages].filter(
      (p) =>
        p === '@ferry/client' ||
        p === '@ferry/transport' ||
        p === '@ferry/crypto' ||
        p === '@ferry/storage' ||
        p === 'libp2p' ||
        p === 'classic-level' ||
        p.startsWith('@libp2p') ||
        p.startsWith('@chainsafe') ||
        p.startsWith('@noble'),
    )
    expect(heavy).toEqual([])
  })
})
