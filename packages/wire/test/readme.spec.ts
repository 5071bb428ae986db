import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as constants from '../src/constants.js'
import { Content, WireError } from '../src/index.js'
import * as protocols from '../src/protocols.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const index = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8')

const cells = (line: string) =>
  line
    .trim()
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim())

/** The rows of the markdown table whose header cells start with `header`. */
function table(...header: string[]): string[][] {
  const lines = readme.split('\n')
  const start = lines.findIndex(
    (line) => line.startsWith('|') && header.every((name, i) => cells(line)[i] === name),
  )
  expect(start, `a table headed ${header.join(' | ')}`).toBeGreaterThanOrEqual(0)
  const rows: string[][] = []
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) {
      break
    }
    rows.push(cells(line))
  }
  return rows
}

describe('README', () => {
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''

  it('opens with the example of src/index.ts', () => {
    const documented = /@example\n \* ```ts\n([\s\S]*?) \* ```/.exec(index)?.[1]
    expect(documented).toBeDefined()
    const lines = documented!
      .split('\n')
      .map((line) => line.replace(/^ \*( |$)/, ''))
      .filter((line) => line.trim() !== '')
    expect(lines.length).toBeGreaterThan(3)
    // every line of the index.ts example, in order (the README also defines `messageId`)
    let at = 0
    for (const line of lines) {
      const found = example.indexOf(line, at)
      expect(found, `README example is missing: ${line}`).toBeGreaterThanOrEqual(0)
      at = found + line.length
    }
    expect(readme.indexOf(example)).toBeLessThan(readme.indexOf('\n## '))
  })

  it('its example runs', () => {
    const body = example.replace(/^import .*$/m, '')
    const run = new Function('Content', 'WireError', body) as (c: typeof Content, e: typeof WireError) => void
    expect(() => run(Content, WireError)).not.toThrow()
  })

  it('lists every limit of src/constants.ts with its value, and nothing else', () => {
    const rows = table('constant', 'value')
    const documented = new Map(
      rows
        .filter(([name]) => name?.startsWith('`'))
        .map(([name, value, reason]) => [
          name!.replaceAll('`', ''),
          { value: value ?? '', reason: reason ?? '' },
        ]),
    )
    for (const [name, value] of Object.entries(constants)) {
      const row = documented.get(name)
      expect(row, `${name} is missing from the README limits table`).toBeDefined()
      expect(Number(row!.value.split(' ')[0]?.replaceAll(',', '')), `${name} in the README`).toBe(value)
      expect(row!.reason.length, `${name} has no reason in the README`).toBeGreaterThan(10)
    }
    for (const name of documented.keys()) {
      expect(
        Object.keys(constants),
        `the README lists ${name}, which constants.ts does not export`,
      ).toContain(name)
    }
  })

  it('lists every protocol ID', () => {
    const rows = table('constant', 'ID')
    const documented = new Map(rows.map(([name, id]) => [name!.replaceAll('`', ''), id!.replaceAll('`', '')]))
    for (const [name, id] of Object.entries(protocols)) {
      expect(documented.get(name), name).toBe(id)
    }
    expect(documented.size).toBe(Object.keys(protocols).length)
  })

  it('gives the regenerate command the package defines', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      name: string
      scripts?: Record<string, string>
    }
    expect(pkg.scripts?.generate).toContain('protons')
    expect(readme).toContain(`npm run generate -w ${pkg.name}`)
  })
})
