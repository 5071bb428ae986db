/**
 * The real-process measurements of the end-to-end benchmark: how long `ferry id` takes from spawn to
 * exit (through a running daemon, and on a data directory without one), beside an empty `node -e ''`
 * on the same machine; and the resident memory of a `ferry daemon` process, read from
 * /proc/PID/status (VmRSS) once it is ready and has settled.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { FERRY_BIN, ROOT } from './nodes.js'

const READY_TIMEOUT_MS = 60_000
/** How long a daemon is left alone after its ready line before its memory is read. */
export const SETTLE_MS = 2_000

/** The environment of a ferry process: none of the shell's FERRY_* settings, loopback only. */
function ferryEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('FERRY_') && key !== 'DEBUG') {
      env[key] = value
    }
  }
  env.FERRY_LISTEN = '/ip4/127.0.0.1/tcp/0'
  return env
}

/** Runs a command to completion: ms from spawn to exit. Throws when it fails. */
function timed(args: readonly string[]): number {
  const start = performance.now()
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env: ferryEnv(), encoding: 'utf8' })
  const ms = performance.now() - start
  if (result.status !== 0) {
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  }
  return ms
}

/** `ferry --data DIR --json ARGS` to completion: its stdout. */
export function ferry(dir: string, args: readonly string[]): string {
  const result = spawnSync(process.execPath, [FERRY_BIN, '--data', dir, '--json', ...args], {
    cwd: ROOT,
    env: ferryEnv(),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  if (result.status !== 0) {
    throw new Error(`ferry ${args.join(' ')} exited ${result.status}: ${result.stderr}`)
  }
  return result.stdout
}

/** `count` runs each of `ferry id` on `dir` and of `node -e ''`, interleaved: ms per run. */
export function coldStarts(dir: string, count: number): { ferry: number[]; node: number[] } {
  const out = { ferry: [] as number[], node: [] as number[] }
  for (let i = 0; i < count; i++) {
    out.node.push(timed(['-e', '']))
    out.ferry.push(timed([FERRY_BIN, '--data', dir, '--json', 'id']))
  }
  return out
}

/** A `ferry daemon` process. */
export class Daemon {
  private constructor(readonly child: ChildProcess) {}

  /**
   * Starts `ferry daemon` on `dir` and waits for its ready line. FERRY_BENCH_DAEMON_PROFILE=DIR writes
   * a V8 CPU profile of the daemon into DIR when it exits.
   */
  static async start(dir: string): Promise<Daemon> {
    const profile = process.env.FERRY_BENCH_DAEMON_PROFILE
    const flags = profile === undefined || profile === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`]
    const child = spawn(process.execPath, [...flags, FERRY_BIN, '--data', dir, '--json', 'daemon'], {
      cwd: ROOT,
      env: ferryEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const deadline = Date.now() + READY_TIMEOUT_MS
    while (!stdout.includes('"ready":true')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`ferry daemon did not start: ${stderr}`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    return new Daemon(child)
  }

  /** Resident memory, bytes (VmRSS). */
  rss(): number {
    const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8')
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]
    if (kb === undefined) {
      throw new Error('no VmRSS in /proc status')
    }
    return Number(kb) * 1024
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) {
      return
    }
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()))
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000)
    await exited
    clearTimeout(timer)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
