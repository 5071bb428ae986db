/**
 * What the browser benchmark stands on: the workspace's pages built by Vite (the library bundle that
 * is measured, and the harness page the browsers load), a `ferry-relay` process (on loopback, or in a
 * private network namespace for WebRTC), and Debian's Chromium through playwright-core.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { BrowserContext } from 'playwright-core'

function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'browser', 'vite.lib.config.ts'))) {
    const up = resolve(dir, '..')
    if (up === dir) {
      throw new Error('cannot find browser/vite.lib.config.ts above the benchmark')
    }
    dir = up
  }
  return dir
}

export const ROOT = workspaceRoot()
const RELAY_BIN = join(ROOT, 'relay-node', 'bin', 'ferry-relay.js')
export const CHROMIUM = '/usr/bin/chromium'
const READY_TIMEOUT_MS = 60_000
/** Where the pages go (git-ignored). */
const OUT = join(ROOT, '.artifacts', 'bench-browser')
/** The test network's addresses (as the browser tests use: a private /24 inside the namespace only). */
export const NETNS_RELAY_HOST = '10.231.0.1'
const NETNS_PEER_HOST = '10.231.0.2'

// ------------------------------------------------------------------------------ bundles

export interface BundleSize {
  /** The entry and the chunks it imports statically: what a page loads before anything on demand. */
  readonly startup: { minified: number; gzip: number }
  /** Everything the entry can load (adding the WebRTC transport and the crypto provider chunks). */
  readonly total: { minified: number; gzip: number }
  readonly files: number
}

interface BuiltChunk {
  type: 'chunk' | 'asset'
  fileName: string
  code?: string
  isEntry?: boolean
  imports?: string[]
}

/** Builds the library (browser/vite.lib.config.ts) and measures what it wrote, gzip per file at level 9. */
export async function buildLibrary(): Promise<BundleSize> {
  const { build } = await import('vite')
  const result = (await build({
    configFile: join(ROOT, 'browser', 'vite.lib.config.ts'),
    logLevel: 'error',
    build: { outDir: join(OUT, 'lib') },
  })) as { output: BuiltChunk[] } | Array<{ output: BuiltChunk[] }>
  const chunks = (Array.isArray(result) ? result.flatMap((r) => r.output) : result.output).filter(
    (c): c is BuiltChunk & { code: string } => c.type === 'chunk' && c.code !== undefined,
  )
  const byName = new Map(chunks.map((c) => [c.fileName, c]))
  const size = (code: string) => {
    const bytes = Buffer.from(code)
    return { minified: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength }
  }
  const sum = (list: Array<{ code: string }>) =>
    list
      .map((c) => size(c.code))
      .reduce((a, b) => ({ minified: a.minified + b.minified, gzip: a.gzip + b.gzip }))
  const startup = new Set<string>()
  const visit = (name: string) => {
    const chunk = byName.get(name)
    if (chunk !== undefined && !startup.has(name)) {
      startup.add(name)
      for (const imported of chunk.imports ?? []) {
        visit(imported)
      }
    }
  }
  for (const entry of chunks.filter((c) => c.isEntry === true)) {
    visit(entry.fileName)
  }
  return {
    startup: sum(chunks.filter((c) => startup.has(c.fileName))),
    total: sum(chunks),
    files: chunks.length,
  }
}

/**
 * Builds the harness page (test/browser/harness) the browsers load; returns its directory. It is
 * built as the library is (browser/vite.lib.config.ts: its resolve conditions, the buffer stand-in,
 * the plugins that leave out what a tab never runs), so the pages run the code that ships.
 */
export async function buildHarness(): Promise<string> {
  const { build, loadConfigFromFile } = await import('vite')
  const outDir = join(OUT, 'harness')
  const library = await loadConfigFromFile(
    { command: 'build', mode: 'production' },
    join(ROOT, 'browser', 'vite.lib.config.ts'),
    undefined,
    'error',
  )
  if (library === null) {
    throw new Error('browser/vite.lib.config.ts did not load')
  }
  await build({
    configFile: false,
    root: join(ROOT, 'test', 'browser', 'harness'),
    base: './',
    logLevel: 'error',
    plugins: library.config.plugins ?? [],
    resolve: library.config.resolve ?? {},
    build: {
      outDir,
      emptyOutDir: true,
      target: library.config.build?.target ?? 'es2022',
      minify: true,
      reportCompressedSize: false,
    },
  })
  return outDir
}

// ------------------------------------------------------------------------------ relay

export interface RelayProcess {
  /** The WebSocket address, ending in /p2p/<relay>. */
  readonly ws: string
  readonly tcp: string | undefined
  stop(): Promise<void>
}

/** Starts `ferry-relay` (inside `netns` when given) listening on `host`, TCP and WebSockets. */
export async function startRelay(host: string, netns?: string): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ferry-bench-relay-'))
  const args = [
    RELAY_BIN,
    'start',
    '--data',
    dataDir,
    '--json',
    '--listen',
    `/ip4/${host}/tcp/0`,
    '--listen',
    `/ip4/${host}/tcp/0/ws`,
    '--metrics-port',
    '0',
  ]
  const child: ChildProcess =
    netns === undefined
      ? spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('ip', ['netns', 'exec', netns, process.execPath, ...args], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderr.length < 64 * 1024) {
      stderr += chunk
    }
  })
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (!stdout.includes('\n')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
      throw new Error(`the relay did not start:\n${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
  const ready = JSON.parse(stdout.split('\n')[0]!) as { addrs: string[] }
  const ws = ready.addrs.find((a) => a.includes('/ws/'))
  if (ws === undefined) {
    throw new Error(`the relay listens on no WebSocket address: ${ready.addrs.join(' ')}`)
  }
  return {
    ws,
    tcp: ready.addrs.find((a) => !a.includes('/ws/')),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

// ------------------------------------------------------------------------------ network namespace

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' })
}

/** A namespace with a veth pair inside it and a default route into the pair; undefined with the reason. */
export function createNetns(): { name: string; remove(): void } | string {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    return 'creating a network namespace needs root on Linux'
  }
  const name = `ferry-bench-${process.pid}`
  try {
    ip(['netns', 'add', name])
  } catch (err) {
    return `ip netns add failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`
  }
  const remove = () => {
    try {
      ip(['netns', 'delete', name])
    } catch {
      // gone
    }
  }
  try {
    ip(['-n', name, 'link', 'set', 'lo', 'up'])
    ip(['-n', name, 'link', 'add', 'ferry0', 'type', 'veth', 'peer', 'name', 'ferry1'])
    ip(['-n', name, 'addr', 'add', `${NETNS_RELAY_HOST}/24`, 'dev', 'ferry0'])
    ip(['-n', name, 'addr', 'add', `${NETNS_PEER_HOST}/24`, 'dev', 'ferry1'])
    ip(['-n', name, 'link', 'set', 'ferry0', 'up'])
    ip(['-n', name, 'link', 'set', 'ferry1', 'up'])
    ip(['-n', name, 'route', 'add', 'default', 'via', NETNS_PEER_HOST, 'dev', 'ferry0'])
  } catch (err) {
    remove()
    return `setting up the namespace failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`
  }
  return { name, remove }
}

// ------------------------------------------------------------------------------ Chromium

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
}
const INTERCEPTED_ORIGIN = 'http://localhost:47123'

function fileOf(dir: string, path: string): { body: Buffer; type: string } | undefined {
  const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path))
  if (!file.startsWith(dir) || !existsSync(file)) {
    return undefined
  }
  return { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' }
}

export interface Browser {
  readonly context: BrowserContext
  /** The harness page's URL. */
  readonly url: string
  close(): Promise<void>
}

/**
 * Chromium on a fresh profile. On loopback the harness is served over HTTP from this process; inside
 * a namespace it is answered by interception, with the local-network-access checks off.
 */
export async function launchBrowser(pagesDir: string, netns?: string): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-chromium-'))
  let executablePath = CHROMIUM
  if (netns !== undefined) {
    executablePath = join(dir, 'chromium-in-netns.sh')
    const { writeFileSync, chmodSync } = await import('node:fs')
    writeFileSync(executablePath, `#!/bin/sh\nexec ip netns exec ${netns} ${CHROMIUM} "$@"\n`)
    chmodSync(executablePath, 0o755)
  }
  const features =
    netns === undefined ? 'WebRtcHideLocalIpsWithMdns' : 'WebRtcHideLocalIpsWithMdns,LocalNetworkAccessChecks'
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath,
    headless: true,
    args: [...ARGS, `--disable-features=${features}`],
  })
  let server: Server | undefined
  let origin = INTERCEPTED_ORIGIN
  if (netns === undefined) {
    server = createServer((request, response) => {
      const found = fileOf(pagesDir, new URL(request.url ?? '/', 'http://x').pathname)
      response.writeHead(found === undefined ? 404 : 200, { 'content-type': found?.type ?? 'text/plain' })
      response.end(found?.body ?? 'not found')
    })
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  } else {
    await context.route(`${origin}/**`, async (route) => {
      const found = fileOf(pagesDir, new URL(route.request().url()).pathname)
      await route.fulfill(
        found === undefined
          ? { status: 404, body: 'not found' }
          : { status: 200, body: found.body, headers: { 'content-type': found.type } },
      )
    })
  }
  return {
    context,
    url: `${origin}/`,
    async close() {
      await context.close().catch(() => {})
      await new Promise((r) => (server === undefined ? r(undefined) : server.close(r)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
