/**
 * Real `ferry` and `ferry-relay` processes for the CLI tests: builds the node and relay packages once
 * (`tsc -b`, a no-op when current; a lock keeps parallel test files from building at once), runs
 * `node node/bin/ferry.js` to completion or keeps it running (daemon, receive --follow), and waits for
 * what it prints, every wait bounded.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
export const FERRY_BIN = join(ROOT, 'node', 'bin', 'ferry.js')
export const RELAY_BIN = join(ROOT, 'relay-node', 'bin', 'ferry-relay.js')

/** Shared with the relay process tests, so that two test files never run `tsc -b` on one tree at once. */
const LOCK = join(tmpdir(), 'ferry-relay-test-build.lock')
const LOCK_WAIT_MS = 120_000
const STALE_LOCK_MS = 60_000
let built = false

/**
 * Builds node/ and relay-node/ with what they reference. Type errors in files of other packages do
 * not stop the build (tsc still emits); an error in node/ does.
 */
export function buildBins(): void {
  if (built) {
    return
  }
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      mkdirSync(LOCK)
      break
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) {
          rmSync(LOCK, { recursive: true, force: true })
          continue
        }
      } catch {}
      if (Date.now() > deadline) {
        throw new Error('timed out waiting for another test file to finish building')
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100)
    }
  }
  try {
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')
    try {
      execFileSync(process.execPath, [tsc, '-b', join(ROOT, 'node'), join(ROOT, 'relay-node')], {
        stdio: 'pipe',
        cwd: ROOT,
      })
    } catch (err) {
      const out = (err as { stdout?: Buffer }).stdout?.toString() ?? ''
      if (/^node\//m.test(out) || /^relay-node\//m.test(out)) {
        throw new Error(`tsc -b node relay-node failed:\n${out}`)
      }
    }
    built = true
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}

/** The environment of a ferry process: nothing of the surrounding shell's FERRY_* settings, loopback only. */
function ferryEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('FERRY_') && key !== 'DEBUG' && value !== undefined) {
      env[key] = value
    }
  }
  return { ...env, FERRY_LISTEN: '/ip4/127.0.0.1/tcp/0', ...extra }
}

/** A JSON line as ferry prints it; tests read its fields as they are. */
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON, checked field by field by the tests
export type Line = Record<string, any>

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface Result extends Exit {
  stdout: string
  stderr: string
}

/** Runs `ferry ARGS` to completion (killed after `timeoutMs`). */
export async function ferry(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {},
): Promise<Result> {
  const child = spawn(process.execPath, [FERRY_BIN, ...args], {
    cwd: ROOT,
    env: ferryEnv(options.env),
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (options.input !== undefined) {
    child.stdin!.end(options.input)
  }
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 40_000)
  const exit = await new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  clearTimeout(timer)
  return { ...exit, stdout, stderr }
}

/** `ferry --json ARGS`, expecting exit 0: its JSON lines. */
export async function ferryJson(
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<Line[]> {
  const result = await ferry(['--json', ...args], options)
  if (result.code !== 0) {
    throw new Error(`ferry ${args.join(' ')} exited ${result.code ?? result.signal}: ${result.stderr}`)
  }
  return jsonLines(result.stdout)
}

/** `ferry --json ARGS`, expecting exit 0 and exactly one JSON line. */
export async function ferryOne(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<Line> {
  const lines = await ferryJson(args, options)
  if (lines.length !== 1) {
    throw new Error(`ferry ${args.join(' ')} printed ${lines.length} lines, not one`)
  }
  return lines[0]!
}

export function jsonLines(text: string): Line[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line)
}

/** A ferry process that keeps running (daemon, receive --follow). */
export class FerryProcess {
  readonly child: ChildProcess
  stdout = ''
  stderr = ''
  readonly exited: Promise<Exit>

  constructor(args: readonly string[], env?: Record<string, string>) {
    this.child = spawn(process.execPath, [FERRY_BIN, ...args], {
      cwd: ROOT,
      env: ferryEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => resolve({ code, signal }))
    })
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk
    })
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk
    })
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** The JSON lines printed so far. */
  lines(): Line[] {
    return jsonLines(this.stdout.slice(0, this.stdout.lastIndexOf('\n') + 1))
  }

  /** Waits until a printed JSON line satisfies `match` (or the process exits, or time runs out). */
  async waitForLine(match: (line: Line) => boolean, timeoutMs = 20_000): Promise<Line> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.lines().find(match)
      if (found !== undefined) {
        return found
      }
      if (!this.running) {
        throw new Error(
          `ferry exited (${this.child.exitCode ?? this.child.signalCode}) before printing the line:\n${this.stderr}`,
        )
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for a line; stdout so far:\n${this.stdout}\nstderr:\n${this.stderr}`,
        )
      }
      await sleep(50)
    }
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000): Promise<Exit> {
    if (this.running) {
      this.child.kill(signal)
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    const exit = await this.exited
    clearTimeout(timer)
    return exit
  }
}

/** A `ferry daemon` on `dir`, once it printed its ready line. */
export async function startDaemon(dir: string): Promise<FerryProcess> {
  const daemon = new FerryProcess(['--data', dir, '--json', 'daemon'])
  await daemon.waitForLine((line) => line.ready === true)
  return daemon
}

/** A `ferry-relay` process on loopback, once it printed its addresses. */
export class Relay {
  readonly process: ChildProcess
  addrs: string[] = []
  #stdout = ''
  #stderr = ''
  readonly exited: Promise<Exit>

  private constructor(child: ChildProcess) {
    this.process = child
    this.exited = new Promise((resolve) => {
      child.on('close', (code, signal) => resolve({ code, signal }))
    })
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk
    })
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk
    })
  }

  static async start(dataDir: string, timeoutMs = 20_000): Promise<Relay> {
    const child = spawn(
      process.execPath,
      [
        RELAY_BIN,
        'start',
        '--data',
        dataDir,
        '--json',
        '--listen',
        '/ip4/127.0.0.1/tcp/0',
        '--metrics-port',
        '0',
      ],
      { cwd: ROOT, env: ferryEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const relay = new Relay(child)
    const deadline = Date.now() + timeoutMs
    while (!relay.#stdout.includes('\n')) {
      if (child.exitCode !== null) {
        throw new Error(`ferry-relay exited before it was ready:\n${relay.#stderr}`)
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`ferry-relay was not ready in time:\n${relay.#stderr}`)
      }
      await sleep(20)
    }
    relay.addrs = (JSON.parse(relay.#stdout.split('\n')[0]!) as { addrs: string[] }).addrs
    return relay
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGTERM')
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000)
    await this.exited
    clearTimeout(timer)
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
