/**
 * Where the library bundle's bytes go: each minified byte of the built chunks is attributed, through
 * the chunk's source map, to the package its source file belongs to (a dependency by its
 * node_modules path and version, so duplicated majors show up as two rows; a workspace package by
 * its directory under src/). For each package it reports the minified bytes and the gzip bytes the
 * bundle would lose without them (the chunk gzipped with and without that package's bytes; the
 * rows do not add up exactly to the total, since gzip shares context between neighbours).
 *
 *   npx tsc -b bench && node bench/dist/src/browser/composition.js [--dir DIR] [--json] [--top N]
 *       [--by-file]    (one row per source file instead of per package)
 *
 * Without --dir it builds the library (browser/vite.lib.config.ts) first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { ROOT } from './setup.js'

/** Rows printed unless --top says otherwise. */
const DEFAULT_TOP = 60
const UNMAPPED = '(unmapped: runtime glue, helpers)'

export interface PackageRow {
  readonly name: string
  /** Minified bytes attributed to the package, over every chunk. */
  readonly minified: number
  /** Gzip bytes the chunks lose when the package's bytes are cut out of them. */
  readonly gzip: number
  /** Chunks the package appears in. */
  readonly chunks: readonly string[]
}

export interface Composition {
  readonly chunks: ReadonlyArray<{ file: string; minified: number; gzip: number; startup: boolean }>
  readonly packages: readonly PackageRow[]
  /** Dependencies present in more than one version (name -> versions). */
  readonly duplicates: ReadonlyMap<string, readonly string[]>
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]))

/** Decodes one source-map segment (base64 VLQ). */
function decodeSegment(text: string): number[] {
  const out: number[] = []
  let value = 0
  let shift = 0
  for (const c of text) {
    const digit = BASE64_VALUE.get(c)
    if (digit === undefined) {
      throw new Error(`bad source map character ${c}`)
    }
    value += (digit & 31) << shift
    if ((digit & 32) !== 0) {
      shift += 5
      continue
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return out
}

const versions = new Map<string, string>()

function versionOf(packageDir: string): string {
  let version = versions.get(packageDir)
  if (version === undefined) {
    try {
      version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string })
        .version
    } catch {
      version = undefined
    }
    version ??= '?'
    versions.set(packageDir, version)
  }
  return version
}

/** The package a source file belongs to: `name@version`, or `@ferry/<pkg>/<dir>` for workspace code. */
export function packageOf(file: string, byFile = false): string {
  if (byFile) {
    return relative(ROOT, file)
  }
  const parts = file.split(sep)
  const nm = parts.lastIndexOf('node_modules')
  if (nm >= 0) {
    const scoped = parts[nm + 1]?.startsWith('@') === true
    const nameParts = parts.slice(nm + 1, nm + (scoped ? 3 : 2))
    const dir = parts.slice(0, nm + 1 + nameParts.length).join(sep)
    return `${nameParts.join('/')}@${versionOf(dir)}`
  }
  const rel = relative(ROOT, file).split(sep)
  if (rel[0] === 'packages' && rel[2] === 'src') {
    // one level below src/ (e.g. wire/proto) when the file is in a subdirectory
    return `@ferry/${rel[1]}${rel.length > 4 ? `/${rel[3]}` : ''}`
  }
  if (rel[0] === 'browser') {
    return '@ferry/browser'
  }
  return rel.slice(0, 2).join('/')
}

interface Span {
  start: number
  end: number
  owner: string
}

/** Attributes each generated character of `code` to a package through its source map. */
function spans(code: string, mapFile: string, byFile: boolean): Span[] {
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; mappings: string }
  const owners = map.sources.map((s) => packageOf(resolve(dirname(mapFile), s), byFile))
  const lineStarts = [0]
  for (let i = 0; i < code.length; i++) {
    if (code.charCodeAt(i) === 10) {
      lineStarts.push(i + 1)
    }
  }
  const points: Array<{ at: number; owner: string }> = []
  let source = 0
  map.mappings.split(';').forEach((line, lineIndex) => {
    let column = 0
    const base = lineStarts[lineIndex] ?? code.length
    for (const segment of line.split(',')) {
      if (segment === '') {
        continue
      }
      const fields = decodeSegment(segment)
      column += fields[0] ?? 0
      if (fields.length >= 4) {
        source += fields[1] ?? 0
        points.push({ at: base + column, owner: owners[source] ?? UNMAPPED })
      } else {
        points.push({ at: base + column, owner: UNMAPPED })
      }
    }
  })
  points.sort((a, b) => a.at - b.at)
  const out: Span[] = []
  let at = 0
  let owner = UNMAPPED
  for (const point of points) {
    if (point.at > at) {
      out.push({ start: at, end: point.at, owner })
    }
    at = Math.max(at, point.at)
    owner = point.owner
  }
  if (at < code.length) {
    out.push({ start: at, end: code.length, owner })
  }
  return out
}

const gzipBytes = (text: string) => gzipSync(Buffer.from(text), { level: 9 }).byteLength

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f))
}

/** The composition of the built library in `dir` (the entry is `ferry-browser.js`). */
export function composition(dir: string, byFile = false): Composition {
  const files = jsFiles(dir)
  const codes = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]))
  // what loads at start-up: the entry and what it imports statically
  const startup = new Set<string>()
  const visit = (file: string) => {
    if (startup.has(file) || !codes.has(file)) {
      return
    }
    startup.add(file)
    for (const match of (codes.get(file) ?? '').matchAll(
      /(?:^|[;}\s])(?:import|export)[^"'()]*?from\s*"([^"]+)"/g,
    )) {
      visit(resolve(dirname(file), match[1] ?? ''))
    }
    for (const match of (codes.get(file) ?? '').matchAll(/(?:^|[;}\s])import\s*"([^"]+)"/g)) {
      visit(resolve(dirname(file), match[1] ?? ''))
    }
  }
  visit(join(dir, 'ferry-browser.js'))
  const minified = new Map<string, number>()
  const lost = new Map<string, number>()
  const where = new Map<string, Set<string>>()
  const chunks: Array<{ file: string; minified: number; gzip: number; startup: boolean }> = []
  for (const [file, code] of codes) {
    const name = relative(dir, file)
    const whole = gzipBytes(code)
    chunks.push({ file: name, minified: Buffer.byteLength(code), gzip: whole, startup: startup.has(file) })
    const mapFile = `${file}.map`
    const list = existsSync(mapFile)
      ? spans(code, mapFile, byFile)
      : [{ start: 0, end: code.length, owner: UNMAPPED }]
    const byOwner = new Map<string, Span[]>()
    for (const span of list) {
      const owned = byOwner.get(span.owner)
      if (owned === undefined) {
        byOwner.set(span.owner, [span])
      } else {
        owned.push(span)
      }
    }
    for (const [owner, owned] of byOwner) {
      const bytes = owned.reduce((n, s) => n + Buffer.byteLength(code.slice(s.start, s.end)), 0)
      minified.set(owner, (minified.get(owner) ?? 0) + bytes)
      where.set(owner, (where.get(owner) ?? new Set()).add(name))
      if (bytes < 64) {
        continue // not worth a gzip pass; counted as 0
      }
      const rest = list
        .filter((s) => s.owner !== owner)
        .map((s) => code.slice(s.start, s.end))
        .join('')
      lost.set(owner, (lost.get(owner) ?? 0) + whole - gzipBytes(rest))
    }
  }
  const packages = [...minified.keys()]
    .map((name) => ({
      name,
      minified: minified.get(name) ?? 0,
      gzip: lost.get(name) ?? 0,
      chunks: [...(where.get(name) ?? [])],
    }))
    .sort((a, b) => b.gzip - a.gzip || b.minified - a.minified)
  const byName = new Map<string, Set<string>>()
  for (const row of packages) {
    const at = row.name.lastIndexOf('@')
    if (at > 0) {
      const name = row.name.slice(0, at)
      byName.set(name, (byName.get(name) ?? new Set()).add(row.name.slice(at + 1)))
    }
  }
  const duplicates = new Map(
    [...byName].filter(([, v]) => v.size > 1).map(([name, v]) => [name, [...v].sort()] as const),
  )
  return { chunks: chunks.sort((a, b) => b.gzip - a.gzip), packages, duplicates }
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)}`

function print(result: Composition, top: number): void {
  const lines: string[] = []
  const sum = (list: typeof result.chunks) =>
    list.reduce((a, c) => ({ minified: a.minified + c.minified, gzip: a.gzip + c.gzip }), {
      minified: 0,
      gzip: 0,
    })
  const all = sum(result.chunks)
  const start = sum(result.chunks.filter((c) => c.startup))
  lines.push(`start-up: ${kib(start.minified)} KiB minified, ${kib(start.gzip)} KiB gzip`)
  lines.push(
    `total:    ${kib(all.minified)} KiB minified, ${kib(all.gzip)} KiB gzip (${result.chunks.length} files)`,
  )
  lines.push('', 'chunk                                          min KiB  gzip KiB  start-up')
  for (const c of result.chunks) {
    lines.push(
      `${c.file.padEnd(46)} ${kib(c.minified).padStart(8)} ${kib(c.gzip).padStart(9)}  ${c.startup ? 'yes' : ''}`,
    )
  }
  lines.push('', 'package                                        min KiB  gzip KiB  chunks')
  for (const p of result.packages.slice(0, top)) {
    lines.push(
      `${p.name.padEnd(46)} ${kib(p.minified).padStart(8)} ${kib(p.gzip).padStart(9)}  ${p.chunks.join(' ')}`,
    )
  }
  if (result.duplicates.size > 0) {
    lines.push('', 'in more than one version:')
    for (const [name, list] of result.duplicates) {
      lines.push(`  ${name}: ${list.join(', ')}`)
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  let dir = flag('--dir')
  if (dir === undefined) {
    const { build } = await import('vite')
    dir = join(ROOT, '.artifacts', 'bench-browser', 'composition')
    await build({
      configFile: join(ROOT, 'browser', 'vite.lib.config.ts'),
      logLevel: 'error',
      build: { outDir: dir, sourcemap: true },
    })
  }
  const result = composition(resolve(dir), argv.includes('--by-file'))
  if (argv.includes('--json')) {
    process.stdout.write(
      `${JSON.stringify({ chunks: result.chunks, packages: result.packages, duplicates: Object.fromEntries(result.duplicates) })}\n`,
    )
    return
  }
  print(result, Number(flag('--top') ?? DEFAULT_TOP))
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2))
}
