/**
 * DESIGN.md §1, enforced: imports run one way. `wire` imports no internal package; `crypto`,
 * `storage` and `transport` import only `wire`; `client` is where they meet; `node/` and `browser/`
 * import only `client`; `relay-node/` imports `transport`, `storage`, `wire` and, of `crypto`, only
 * the public-record entry point `@ferry/crypto/records`. Packages never import the apps, by name or by
 * a relative path out of their own directory; and each package.json declares (in `dependencies` or
 * `peerDependencies`) every internal package its sources import, and none they may not import.
 * `devDependencies` serve a package's own tests, which are not checked here.
 *
 * Every source file of every package and app present is scanned (new directories are discovered),
 * with a small lexer that skips comments, strings, template literals and regular expressions, so an
 * import in a doc comment or a string is not one and an import after a tricky literal is still seen.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, posix, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

// ---------------------------------------------------------------- the rules of DESIGN.md §1

/**
 * What each unit may import from the workspace. An entry is a package (any of its entry points) or
 * `package/subpath` (that entry point only). A unit without a rule fails the check.
 */
export const RULES: Readonly<Record<string, readonly string[]>> = {
  '@ferry/wire': [],
  '@ferry/crypto': ['@ferry/wire'],
  '@ferry/storage': ['@ferry/wire'],
  '@ferry/transport': ['@ferry/wire'],
  '@ferry/client': ['@ferry/wire', '@ferry/crypto', '@ferry/storage', '@ferry/transport'],
  'node/': ['@ferry/client'],
  'browser/': ['@ferry/client'],
  'relay-node/': ['@ferry/transport', '@ferry/storage', '@ferry/wire', '@ferry/crypto/records'],
}

const APPS = ['node', 'browser', 'relay-node'] as const
const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/
const TEST_FILE = /\.(?:spec|test)\.[cm]?[jt]sx?$/
/** Not part of an app's shipped code: its tests may reach further, and builds are output. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'test', 'tests', 'coverage'])

// ---------------------------------------------------------------- the checker

export interface SourceFile {
  /** Workspace-relative, '/'-separated. */
  path: string
  text: string
}

export interface Unit {
  /** The rule key: a package name, or `node/`, `browser/`, `relay-node/`. */
  key: string
  /** Workspace-relative directory, '/'-separated, no trailing slash. */
  dir: string
  /** Its package.json name, if it has one. */
  name?: string
  /** Internal packages its package.json declares (dependencies and peerDependencies). */
  declared?: readonly string[]
  files: readonly SourceFile[]
}

export interface Violation {
  file: string
  line: number
  message: string
}

export interface Import {
  specifier: string | null
  line: number
}

/** The package a bare specifier names: `@scope/name` or `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
}

function allows(rule: readonly string[], specifier: string): boolean {
  return rule.some(
    (entry) => entry === specifier || (entry === packageOf(entry) && packageOf(specifier) === entry),
  )
}

/**
 * Checks every unit against its rule. `otherNames` are workspace packages that are not checked units
 * (test/, bench/): importing one is an internal import too, which no rule allows.
 */
export function checkWorkspace(units: readonly Unit[], otherNames: readonly string[] = []): Violation[] {
  const internal = new Set([
    ...otherNames,
    ...units.flatMap((unit) => (unit.name === undefined ? [] : [unit.name])),
  ])
  const violations: Violation[] = []
  for (const unit of units) {
    const rule = RULES[unit.key]
    if (rule === undefined) {
      violations.push({
        file: unit.dir,
        line: 0,
        message: `no dependency rule for ${unit.key} (DESIGN.md §1)`,
      })
      continue
    }
    const used = new Set<string>()
    for (const file of unit.files) {
      for (const { specifier, line } of findImports(file.text)) {
        const at = { file: file.path, line }
        if (specifier === null) {
          violations.push({ ...at, message: 'dynamic import of a computed specifier cannot be checked' })
        } else if (specifier.startsWith('.') || specifier.startsWith('/')) {
          const target = posix.normalize(posix.join(posix.dirname(file.path), specifier))
          if (specifier.startsWith('/') || !(target === unit.dir || target.startsWith(`${unit.dir}/`))) {
            violations.push({ ...at, message: `'${specifier}' reaches out of ${unit.dir}/` })
          }
        } else if (internal.has(packageOf(specifier)) && packageOf(specifier) !== unit.name) {
          if (allows(rule, specifier)) {
            used.add(packageOf(specifier))
          } else {
            violations.push({ ...at, message: `${unit.key} may not import '${specifier}'` })
          }
        }
      }
    }
    if (unit.declared !== undefined) {
      const allowedPackages = new Set(rule.map(packageOf))
      const declared = unit.declared.filter((name) => internal.has(name))
      for (const name of used) {
        if (!declared.includes(name)) {
          violations.push({
            file: `${unit.dir}/package.json`,
            line: 0,
            message: `imports ${name} without declaring it`,
          })
        }
      }
      for (const name of declared) {
        if (!allowedPackages.has(name)) {
          violations.push({
            file: `${unit.dir}/package.json`,
            line: 0,
            message: `declares ${name}, which it may not import`,
          })
        }
      }
    }
  }
  return violations
}

// ---------------------------------------------------------------- finding imports

interface Token {
  type: 'id' | 'str' | 'tpl' | 'num' | 'punct' | 'regex'
  /** Identifier, punctuation, or a literal's value (null for a template with substitutions). */
  value: string | null
  line: number
}

const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
])

function regexMayStart(prev: Token | undefined): boolean {
  if (prev === undefined) {
    return true
  }
  if (prev.type === 'punct') {
    return prev.value !== ')' && prev.value !== ']'
  }
  return prev.type === 'id' && REGEX_AFTER_WORD.has(prev.value ?? '')
}

/** A JavaScript/TypeScript tokenizer just good enough to tell code from comments and literals. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  /** Brace depth at which each open template literal resumes. */
  const templates: number[] = []
  let depth = 0
  let line = 1
  let i = 0
  const push = (type: Token['type'], value: string | null) => tokens.push({ type, value, line })
  const readTemplate = (continued: boolean): void => {
    // i is just past the opening '`', or past the '}' closing a substitution (continued)
    const start = i
    while (i < text.length && text[i] !== '`') {
      if (text[i] === '\\') {
        i++
      } else if (text[i] === '$' && text[i + 1] === '{') {
        push('tpl', null)
        templates.push(depth)
        depth++
        i += 2
        return
      } else if (text[i] === '\n') {
        line++
      }
      i++
    }
    push('tpl', continued ? null : text.slice(start, i))
    i++
  }
  while (i < text.length) {
    const c = text[i]!
    if (c === '\n') {
      line++
      i++
    } else if (/\s/.test(c)) {
      i++
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end === -1 ? text.length : end + 2
      line += text.slice(i, stop).split('\n').length - 1
      i = stop
    } else if (c === '"' || c === "'") {
      let value = ''
      i++
      while (i < text.length && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') i++
        value += text[i]
        i++
      }
      i++
      push('str', value)
    } else if (c === '`') {
      i++
      readTemplate(false)
    } else if (c === '/' && regexMayStart(tokens.at(-1))) {
      i++
      let inClass = false
      while (i < text.length && text[i] !== '\n' && (inClass || text[i] !== '/')) {
        if (text[i] === '\\') i++
        else if (text[i] === '[') inClass = true
        else if (text[i] === ']') inClass = false
        i++
      }
      i++
      while (i < text.length && /[a-z]/i.test(text[i]!)) i++
      push('regex', null)
    } else if (/[A-Za-z_$#\u0080-\uffff]/.test(c)) {
      const start = i
      while (i < text.length && /[\w$#\u0080-\uffff]/.test(text[i]!)) i++
      push('id', text.slice(start, i))
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(text[i + 1] ?? ''))) {
      while (i < text.length && /[\w.]/.test(text[i]!)) i++
      push('num', null)
    } else if (c === '}' && templates.length > 0 && templates.at(-1) === depth - 1) {
      templates.pop()
      depth--
      i++
      readTemplate(true)
    } else {
      if (c === '{') depth++
      if (c === '}') depth--
      push('punct', c)
      i++
    }
  }
  return tokens
}

/**
 * Static imports and re-exports (`from '…'`), side-effect imports, `import('…')`, `require('…')`.
 * A dynamic import of a constant declared in the same file (`const name = 'ws'`, a common way to keep
 * bundlers away from a Node-only module) is resolved; any other computed specifier is reported as
 * `null`, which the checker refuses.
 */
export function findImports(text: string): Import[] {
  const tokens = tokenize(text)
  const found: Import[] = []
  const constants = new Map<string, string>()
  for (let k = 0; k + 4 < tokens.length; k++) {
    const [decl, name, eq, value, after] = tokens.slice(k, k + 5)
    if (
      decl?.value === 'const' &&
      name?.type === 'id' &&
      eq?.value === '=' &&
      value?.type === 'str' &&
      !(after?.type === 'punct' && ['+', '.', '[', '?'].includes(after.value ?? ''))
    ) {
      constants.set(name.value!, value.value!)
    }
  }
  const literal = (t: Token | undefined) => {
    if (t !== undefined && (t.type === 'str' || t.type === 'tpl') && t.value !== null) {
      return t.value
    }
    return t?.type === 'id' ? constants.get(t.value!) : undefined
  }
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!
    const prev = tokens[k - 1]
    const next = tokens[k + 1]
    if (t.type !== 'id' || (prev?.type === 'punct' && prev.value === '.')) {
      continue
    }
    if (t.value === 'from' && next?.type === 'str') {
      found.push({ specifier: next.value, line: next.line })
    } else if (t.value === 'import' && next?.type === 'str') {
      found.push({ specifier: next.value, line: next.line })
    } else if (
      (t.value === 'import' || t.value === 'require') &&
      next?.type === 'punct' &&
      next.value === '('
    ) {
      const argument = tokens[k + 2]
      const after = tokens[k + 3]
      const specifier = literal(argument)
      const closed = after?.type === 'punct' && (after.value === ')' || after.value === ',')
      if (specifier !== undefined && closed) {
        found.push({ specifier, line: t.line })
      } else if (t.value === 'import') {
        found.push({ specifier: null, line: t.line })
      }
    }
  }
  return found
}

// ---------------------------------------------------------------- reading the workspace

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const toPosix = (path: string) => path.split(sep).join('/')

function sourceFiles(dir: string): SourceFile[] {
  if (!existsSync(dir)) {
    return []
  }
  const out: SourceFile[] = []
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) {
      if (!SKIPPED_DIRS.has(entry)) {
        out.push(...sourceFiles(path))
      }
    } else if (SOURCE.test(entry) && !TEST_FILE.test(entry)) {
      out.push({ path: toPosix(relative(ROOT, path)), text: readFileSync(path, 'utf8') })
    }
  }
  return out
}

function readUnit(dir: string, key: (name: string | undefined) => string, sources: string): Unit {
  const manifest = join(ROOT, dir, 'package.json')
  let name: string | undefined
  let declared: string[] | undefined
  if (existsSync(manifest)) {
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as {
      name?: string
      dependencies?: Record<string, string>
      peerDependencies?: Record<string, string>
    }
    name = json.name
    declared = Object.keys({ ...json.dependencies, ...json.peerDependencies })
  }
  return { key: key(name), dir, name, declared, files: sourceFiles(join(ROOT, dir, sources)) }
}

/** Every package under packages/ and every app directory that exists today. */
export function readWorkspace(): Unit[] {
  const packages = readdirSync(join(ROOT, 'packages'))
    .filter((entry) => existsSync(join(ROOT, 'packages', entry, 'package.json')))
    .map((entry) => readUnit(`packages/${entry}`, (name) => name ?? `packages/${entry}`, 'src'))
  const apps = APPS.filter((app) => existsSync(join(ROOT, app))).map((app) =>
    readUnit(app, () => `${app}/`, '.'),
  )
  return [...packages, ...apps]
}

/** Names of the workspaces that are not checked units: test/ and bench/. */
export function otherWorkspaceNames(): string[] {
  return ['test', 'bench'].flatMap((dir) => {
    const manifest = join(ROOT, dir, 'package.json')
    const { name } = existsSync(manifest)
      ? (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string })
      : {}
    return name === undefined ? [] : [name]
  })
}
