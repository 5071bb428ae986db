/**
 * The test of DESIGN.md §1's dependency direction; the checker it runs is in dependency-direction.ts.
 */
import { describe, expect, it } from 'vitest'
import {
  checkWorkspace,
  findImports,
  otherWorkspaceNames,
  packageOf,
  RULES,
  readWorkspace,
  type Unit,
} from './dependency-direction.js'

// ---------------------------------------------------------------- tests

describe('dependency direction (DESIGN.md §1)', () => {
  it('no package or app imports what DESIGN.md §1 forbids, and package.json files declare what is imported', () => {
    const units = readWorkspace()
    expect(units.map((unit) => unit.key)).toEqual(expect.arrayContaining(['@ferry/wire', '@ferry/crypto']))
    // the scan sees real code: crypto's sources import wire
    const crypto = units.find((unit) => unit.key === '@ferry/crypto')!
    expect(crypto.files.length).toBeGreaterThan(0)
    expect(crypto.files.flatMap((file) => findImports(file.text)).map((i) => i.specifier)).toContain(
      '@ferry/wire',
    )
    const report = checkWorkspace(units, otherWorkspaceNames()).map(
      (v) => `${v.file}:${v.line}: ${v.message}`,
    )
    expect(report).toEqual([])
  })

  it('the same check fails once a forbidden import is added to the real workspace', () => {
    const injected = {
      path: 'packages/crypto/src/injected.ts',
      text: "import { open } from '@ferry/storage'\n",
    }
    const units = readWorkspace().map((unit) =>
      unit.key === '@ferry/crypto' ? { ...unit, files: [...unit.files, injected] } : unit,
    )
    expect(checkWorkspace(units, otherWorkspaceNames())).toContainEqual({
      file: 'packages/crypto/src/injected.ts',
      line: 1,
      message: "@ferry/crypto may not import '@ferry/storage'",
    })
  })

  describe('the checker itself', () => {
    const pkg = (key: string, files: Record<string, string>, declared?: string[]): Unit => {
      const dir = key.endsWith('/') ? key.slice(0, -1) : `packages/${key.replace('@ferry/', '')}`
      return {
        key,
        dir,
        name: key.endsWith('/') ? undefined : key,
        declared: declared ?? RULES[key]?.map(packageOf),
        files: Object.entries(files).map(([path, text]) => ({ path: `${dir}/${path}`, text })),
      }
    }
    const base = () => [
      pkg('@ferry/wire', { 'src/index.ts': 'export const x = 1\n' }),
      pkg('@ferry/crypto', { 'src/index.ts': "import { x } from '@ferry/wire'\n" }),
      pkg('@ferry/storage', {}),
      pkg('@ferry/transport', {}),
      pkg('@ferry/client', {}),
    ]
    const check = (...extra: Unit[]) => {
      const units = base()
      for (const unit of extra) {
        const at = units.findIndex((u) => u.key === unit.key)
        at === -1 ? units.push(unit) : units.splice(at, 1, unit)
      }
      return checkWorkspace(units)
    }

    it('passes a workspace that follows the rules', () => {
      expect(check()).toEqual([])
    })

    it('reports crypto importing transport, with file and line', () => {
      const crypto = pkg('@ferry/crypto', {
        'src/a.ts': "import { x } from '@ferry/wire'\nimport { t } from '@ferry/transport'\n",
      })
      expect(check(crypto)).toEqual(
        expect.arrayContaining([
          {
            file: 'packages/crypto/src/a.ts',
            line: 2,
            message: "@ferry/crypto may not import '@ferry/transport'",
          },
        ]),
      )
    })

    it('reports dynamic imports, re-exports, type imports, side-effect imports and require', () => {
      const wire = pkg('@ferry/wire', {
        'src/a.ts': "const m = await import('@ferry/crypto')\n",
        'src/b.ts': "export * from '@ferry/storage'\n",
        'src/c.ts': "import type { T } from '@ferry/transport'\n",
        'src/d.ts': "import '@ferry/client'\n",
        'src/e.ts': "const r = require('@ferry/crypto')\n",
        'src/f.ts': 'const n = await import(`@ferry/client`)\n',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a fixture file
        'src/g.ts': 'const name = `x${y}`\nconst n = await import(name)\n',
        'src/h.ts': "const specifier = '@ferry/client'\nconst n = await import(specifier)\n",
      })
      const messages = check(wire).map((v) => `${v.file}:${v.line}`)
      for (const file of ['a.ts:1', 'b.ts:1', 'c.ts:1', 'd.ts:1', 'e.ts:1', 'f.ts:1', 'g.ts:2', 'h.ts:2']) {
        expect(messages).toContain(`packages/wire/src/${file}`)
      }
    })

    it('lets relay-node import @ferry/crypto/records but not the crypto root or another entry point', () => {
      const relay = pkg('relay-node/', {
        'src/ok.ts': "import { verifyDeviceList } from '@ferry/crypto/records'\nimport '@ferry/storage'\n",
        'src/root.ts': "import { createSession } from '@ferry/crypto'\n",
        'src/other.ts': "import { x } from '@ferry/crypto/session'\n",
        'src/client.ts': "import { createMessenger } from '@ferry/client'\n",
      })
      const files = check(relay).map((v) => v.file)
      expect(files).not.toContain('relay-node/src/ok.ts')
      expect(files).toEqual(
        expect.arrayContaining([
          'relay-node/src/root.ts',
          'relay-node/src/other.ts',
          'relay-node/src/client.ts',
        ]),
      )
    })

    it('lets node/ and browser/ import only @ferry/client', () => {
      for (const app of ['node/', 'browser/']) {
        const unit = pkg(app, {
          'src/a.ts': "import { createMessenger } from '@ferry/client'\n",
          'src/b.ts': "import { Content } from '@ferry/wire'\n",
        })
        expect(check(unit).map((v) => v.file)).toEqual([`${app}src/b.ts`])
      }
    })

    it('reports a package reaching an app, or anything, through a relative path out of its directory', () => {
      const client = pkg('@ferry/client', {
        'src/a.ts': "import { cli } from '../../../node/src/cli.js'\n",
        'src/b.ts': "import { x } from '../../wire/src/codec.js'\n",
        'src/c.ts': "import { y } from './c-helper.js'\nimport { z } from '../test/fixtures.js'\n",
      })
      expect(check(client).map((v) => v.file)).toEqual([
        'packages/client/src/a.ts',
        'packages/client/src/b.ts',
      ])
    })

    it('reports a package importing an app by its package name', () => {
      const app: Unit = { key: 'relay-node/', dir: 'relay-node', name: 'ferry-relay', files: [] }
      const storage = pkg('@ferry/storage', { 'src/a.ts': "import { main } from 'ferry-relay'\n" })
      expect(check(app, storage).map((v) => v.message)).toContain(
        "@ferry/storage may not import 'ferry-relay'",
      )
    })

    it('ignores imports in comments and strings, and is not thrown off by regular expressions or templates', () => {
      const crypto = pkg('@ferry/crypto', {
        'src/a.ts': [
          '/**',
          " * import { createMessenger } from '@ferry/client'",
          ' */',
          "// import '@ferry/transport'",
          'const quote = /[\'"`]/g',
          'const s = "import \'@ferry/storage\'"',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a fixture file
          'const t = `${`nested ${"}"}`} from \'@ferry/client\'`',
          "const ratio = (a / b) / c // '",
          "import { y } from '@ferry/storage'",
        ].join('\n'),
      })
      expect(check(crypto)).toEqual(
        expect.arrayContaining([
          {
            file: 'packages/crypto/src/a.ts',
            line: 9,
            message: "@ferry/crypto may not import '@ferry/storage'",
          },
        ]),
      )
      expect(check(crypto).filter((v) => v.file === 'packages/crypto/src/a.ts')).toHaveLength(1)
    })

    it('reports an undeclared internal import and a declared forbidden dependency', () => {
      const storage = pkg('@ferry/storage', { 'src/a.ts': "import { x } from '@ferry/wire'\n" }, [])
      expect(check(storage).map((v) => v.message)).toEqual(['imports @ferry/wire without declaring it'])
      const transport = pkg('@ferry/transport', {}, ['@ferry/wire', '@ferry/crypto'])
      expect(check(transport).map((v) => v.message)).toEqual([
        'declares @ferry/crypto, which it may not import',
      ])
    })

    it('reports a unit that has no rule', () => {
      expect(check(pkg('@ferry/extra', {})).map((v) => v.message)).toEqual([
        'no dependency rule for @ferry/extra (DESIGN.md §1)',
      ])
    })
  })
})
