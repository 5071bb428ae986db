/**
 * DESIGN §1: transport imports only @ferry/wire among Ferry packages, and only what its package.json
 * declares. Fails when a source file imports anything else.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = new URL('..', import.meta.url).pathname
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>
}
const declared = new Set(Object.keys(manifest.dependencies))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string)
}

describe('transport import boundary', () => {
  it('imports only @ferry/wire and its declared dependencies', () => {
    const offences: string[] = []
    for (const file of sources(join(root, 'src'))) {
      // comments (the examples in module docs) are not imports
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
      for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const specifier = match[1] as string
        if (specifier.startsWith('.')) {
          continue
        }
        const name = packageOf(specifier)
        if ((name.startsWith('@ferry/') && name !== '@ferry/wire') || !declared.has(name)) {
          offences.push(`${file.slice(root.length)}: ${specifier}`)
        }
      }
    }
    expect(offences).toEqual([])
  })
})
