/**
 * The pages the browser tests load, built once per change of their inputs: the test harness
 * (test/browser/harness) and the demo (browser/demo), bundled by Vite from the workspace's TypeScript
 * sources. Test files running in parallel share one build: the first takes a lock directory, the
 * others wait for it and reuse the output while the fingerprint of the inputs is unchanged.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { shared } from '../../../browser/vite.shared.js'

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const ARTIFACTS = join(ROOT, '.artifacts')
const OUT = join(ARTIFACTS, 'browser-build')
const LOCK = join(ARTIFACTS, 'browser-build.lock')
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 180_000
const INPUTS = [
  'browser/src',
  'browser/demo',
  'browser/build',
  'browser/vite.shared.ts',
  'browser/vite.config.ts',
  'test/browser/harness',
  'packages/wire/src',
  'packages/crypto/src',
  'packages/storage/src',
  'packages/transport/src',
  'packages/client/src',
]

function fingerprint(): string {
  const hash = createHash('sha256')
  const walk = (path: string): void => {
    if (!existsSync(path)) {
      return
    }
    const stat = statSync(path)
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        walk(join(path, name))
      }
    } else {
      hash.update(`${relative(ROOT, path)}:${stat.size}:${stat.mtimeMs}\n`)
    }
  }
  for (const input of INPUTS) {
    walk(join(ROOT, input))
  }
  return hash.digest('hex')
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

async function buildPages(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true })
  await build({
    ...shared,
    configFile: false,
    root: join(ROOT, 'test/browser/harness'),
    base: './',
    build: { ...shared.build, outDir: join(OUT, 'harness'), emptyOutDir: true, minify: false },
  })
  await build({
    configFile: join(ROOT, 'browser/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: join(OUT, 'demo'), emptyOutDir: true },
  })
}

/** Builds the pages when their inputs changed; returns the directory holding `harness/` and `demo/`. */
export async function builtPages(): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const want = fingerprint()
  const stamp = join(OUT, 'fingerprint')
  for (;;) {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) {
      return OUT
    }
    try {
      mkdirSync(LOCK)
    } catch {
      const lock = statSync(LOCK, { throwIfNoEntry: false })
      if (lock !== undefined && Date.now() - lock.mtimeMs > STALE_LOCK_MS) {
        rmSync(LOCK, { recursive: true, force: true })
      }
      await sleep(250)
      continue
    }
    try {
      if (!(existsSync(stamp) && readFileSync(stamp, 'utf8') === want)) {
        await buildPages()
        writeFileSync(stamp, want)
      }
      return OUT
    } finally {
      rmSync(LOCK, { recursive: true, force: true })
    }
  }
}
