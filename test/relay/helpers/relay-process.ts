/**
 * Real `ferry-relay` processes for the process-level tests: builds the relay once (tsc -b relay-node,
 * about a second when up to date; a lock keeps parallel test files from building at once), spawns
 * `node relay-node/bin/ferry-relay.js start --json`, waits for its ready line, and keeps what it writes.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const RELAY_BIN = join(ROOT, 'relay-node', 'bin', 'ferry-relay.js')

const LOCK = join(tmpdir(), 'ferry-relay-test-build.lock')
const LOCK_WAIT_MS = 120_000
let built = false

/** Builds relay-node and what it references (a no-op when up to date). */
export function buildRelay(): void {
  if (built) {
    return
  }
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      // a lock left by a killed run is stale after a minute
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 60_000) {
          rmSync(LOCK, { recursive: true, force: true })
          continue
        }
      } catch {}
      if (Date.now() > deadline) {
        throw new Error('timed out waiting for another test file to build relay-node')
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
    }
  }
  try {
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')
    execFileSync(process.execPath, [tsc, '-b', join(ROOT, 'relay-node')], { stdio: 'pipe', cwd: ROOT })
    built = true
  } catch (err) {
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? ''
    throw new Error(`tsc -b relay-node failed:\n${out}`)
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

export interface RelayExit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** Runs `ferry-relay` with `args` to completion (commands that exit by themselves). */
export async function runRelayCommand(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RelayExit & { stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [RELAY_BIN, ...args], {
    cwd: ROOT,
    env: { ...cleanEnv(), ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000)
  const exit = await new Promise<RelayExit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }))
  })
  clearTimeout(timer)
  return { ...exit, stdout, stderr }
}

/** The environment without FERRY_RELAY_* variables of the surrounding shell. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('FERRY_RELAY_') && value !== undefined) {
      env[key] = value
    }
  }
  return env
}

export interface StartOptions {
  /** Extra arguments after `start --data DIR --json`. Default: loopback TCP on a free port, metrics on a free port. */
  args?: string[]
  env?: Record<string, string>
  /** How long to wait for the ready line. */
  timeoutMs?: number
}

/** The default listening flags of test relays: loopback, free ports. */
export const LOOPBACK_ARGS = ['--listen', '/ip4/127.0.0.1/tcp/0', '--metrics-port', '0']

export class RelayProcess {
  readonly child: ChildProcess
  readonly dataDir: string
  peerId = ''
  addrs: Multiaddr[] = []
  metricsUrl: string | undefined
  stdout = ''
  stderr = ''
  readonly exited: Promise<RelayExit>

  private constructor(child: ChildProcess, dataDir: string) {
    this.child = child
    this.dataDir = dataDir
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve({ code, signal }))
    })
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk
      const match = /"msg":"metrics listening","url":"([^"]+)"/.exec(this.stderr)
      if (match !== null) {
        this.metricsUrl = match[1]
      }
    })
  }

  /** Spawns a relay on `dataDir` and waits until it printed its ready line (or exited). */
  static async start(dataDir: string, options: StartOptions = {}): Promise<RelayProcess> {
    buildRelay()
    const child = spawn(
      process.execPath,
      [RELAY_BIN, 'start', '--data', dataDir, '--json', ...(options.args ?? LOOPBACK_ARGS)],
      { cwd: ROOT, env: { ...cleanEnv(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const relay = new RelayProcess(child, dataDir)
    const deadline = Date.now() + (options.timeoutMs ?? 20_000)
    let exited = false
    void relay.exited.then(() => {
      exited = true
    })
    while (!relay.stdout.includes('\n')) {
      if (exited) {
        throw new Error(`ferry-relay exited before it was ready:\n${relay.stderr}`)
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`ferry-relay was not ready in time:\n${relay.stderr}`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    // the log line naming the metrics address precedes "relay ready" on stderr
    while (!relay.stderr.includes('"relay ready"') && Date.now() < deadline && !exited) {
      await new Promise((r) => setTimeout(r, 10))
    }
    const ready = JSON.parse(relay.stdout.split('\n')[0]!) as { peerId: string; addrs: string[] }
    relay.peerId = ready.peerId
    relay.addrs = ready.addrs.map((addr) => multiaddr(addr))
    return relay
  }

  get pid(): number {
    return this.child.pid!
  }

  /** The TCP addresses (the tests dial these). */
  get tcpAddrs(): Multiaddr[] {
    return this.addrs.filter((addr) => !addr.toString().includes('/ws'))
  }

  /** Sends `signal` and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<RelayExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill(signal)
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    const exit = await this.exited
    clearTimeout(timer)
    return exit
  }

  /** Log records the relay wrote (JSON lines on stderr). */
  logs(): Array<Record<string, unknown>> {
    return this.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  }
}
