/**
 * The relay under test: a real `ferry-relay start` process on loopback, with the benchmark's config
 * (the echo baseline on, rate limits and per-mailbox quotas out of the way), and what the benchmark
 * reads from outside it: its CPU time and anonymous memory from /proc, its metrics over HTTP.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'

/** The workspace root: the nearest directory above this module holding relay-node/bin/ferry-relay.js. */
function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'relay-node', 'bin', 'ferry-relay.js'))) {
    const up = resolve(dir, '..')
    if (up === dir) {
      throw new Error('cannot find relay-node/bin/ferry-relay.js above the benchmark')
    }
    dir = up
  }
  return dir
}

const ROOT = workspaceRoot()
const RELAY_BIN = join(ROOT, 'relay-node', 'bin', 'ferry-relay.js')
/** Clock ticks per second of /proc/PID/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100
const READY_TIMEOUT_MS = 60_000

/** The relay's configuration for the benchmark: limits that would refuse the load are lifted. */
export function benchmarkConfig(): unknown {
  return {
    listen: ['/ip4/127.0.0.1/tcp/0'],
    metrics: { port: 0 },
    dht: { privateAddresses: true },
    benchmark: { echo: true },
    mailbox: {
      depositBurstPerPeer: 1_000_000_000,
      depositRatePerPeerPerSecond: 1_000_000_000,
      queryBurstPerPeer: 1_000_000,
      queryRatePerPeerPerSecond: 1_000_000,
      maxEnvelopesPerMailbox: 100_000_000,
      maxBytesPerMailbox: 1024 ** 4,
    },
  }
}

export class BenchRelay {
  readonly child: ChildProcess
  peerId = ''
  addrs: Multiaddr[] = []
  metricsUrl = ''
  #stderr = ''

  private constructor(child: ChildProcess) {
    this.child = child
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      // keep the start of the log (ready and metrics lines) and little else
      if (this.#stderr.length < 64 * 1024) {
        this.#stderr += chunk
      }
    })
  }

  static async start(dataDir: string): Promise<BenchRelay> {
    const config = join(dataDir, '..', 'relay-bench-config.json')
    writeFileSync(config, JSON.stringify(benchmarkConfig()))
    // FERRY_BENCH_RELAY_PROFILE=DIR writes a V8 CPU profile of the relay process into DIR when it exits
    const profile = process.env.FERRY_BENCH_RELAY_PROFILE
    const flags = profile === undefined || profile === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`]
    // FERRY_BENCH_RELAY_NODE_FLAGS="--flag ..." starts the relay process alone with these node flags
    // (NODE_OPTIONS would reach the load process too)
    flags.push(...(process.env.FERRY_BENCH_RELAY_NODE_FLAGS ?? '').split(' ').filter((f) => f !== ''))
    const child = spawn(
      process.execPath,
      [...flags, RELAY_BIN, 'start', '--data', dataDir, '--json', '--config', config],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const relay = new BenchRelay(child)
    let stdout = ''
    const nodeFlags = (process.env.FERRY_BENCH_RELAY_NODE_FLAGS ?? '').trim() !== ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      // with node flags, what they print (--trace-gc, say) goes on to this process's stderr
      if (nodeFlags) {
        process.stderr.write(chunk)
      }
      if (stdout.length < 64 * 1024) {
        stdout += chunk
      }
    })
    const deadline = Date.now() + READY_TIMEOUT_MS
    // the ready line is the first JSON line (node flags such as --trace-gc print to stdout too)
    const readyLine = () => stdout.split('\n').find((line) => line.startsWith('{"peerId"'))
    while (readyLine() === undefined || !relay.#stderr.includes('"relay ready"')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`the relay did not start:\n${relay.#stderr}`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    const ready = JSON.parse(readyLine()!) as { peerId: string; addrs: string[] }
    relay.peerId = ready.peerId
    relay.addrs = ready.addrs.map((a) => multiaddr(a))
    relay.metricsUrl = /"msg":"metrics listening","url":"([^"]+)"/.exec(relay.#stderr)?.[1] ?? ''
    return relay
  }

  get pid(): number {
    return this.child.pid!
  }

  /** CPU time (user + system) the relay process has used, in microseconds. */
  cpuMicros(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8')
    // fields after the command name (which may hold spaces) start at the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    return ((utime + stime) * 1e6) / USER_HZ
  }

  /** Resident and anonymous memory (RSS minus file-backed pages such as LevelDB's maps), bytes. */
  memory(): { rss: number; anonymous: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8')
    const kb = (field: string): number =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
    return { rss: kb('VmRSS'), anonymous: kb('RssAnon') }
  }

  /** One sample of the relay's /metrics (label-less series only). */
  async metric(name: string): Promise<number> {
    const text = await (await fetch(`${this.metricsUrl}/metrics`)).text()
    const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text)
    return match === null ? Number.NaN : Number(match[1])
  }

  /** A histogram of the relay's /metrics: cumulative counts by upper bound (seconds), `+Inf` last. */
  async histogram(name: string): Promise<Array<{ le: number; count: number }>> {
    const text = await (await fetch(`${this.metricsUrl}/metrics`)).text()
    const buckets: Array<{ le: number; count: number }> = []
    for (const match of text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`, 'gm'))) {
      buckets.push({
        le: match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]),
        count: Number(match[2]),
      })
    }
    return buckets.sort((a, b) => a.le - b.le)
  }

  /** SIGTERM, then the exit code (the relay drains in-flight writes first). */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) {
      return this.child.exitCode
    }
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)))
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000)
    const code = await exited
    clearTimeout(timer)
    return code
  }
}
