/**
 * The end-to-end world: one `ferry-relay` process and `ferry` devices, each its own data directory and
 * daemon, driven only through the command line (`--json`). Builds on the CLI and relay process
 * helpers (test/cli/helpers/ferry.ts, test/relay/helpers/relay-process.ts) and adds what the
 * end-to-end tests share: accounts and linked devices, daemons started and stopped (or killed) at
 * will, the events a device has stored, and the relay's Prometheus gauges. Every wait is bounded.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  buildBins,
  type Exit,
  FerryProcess,
  ferry,
  ferryJson,
  ferryOne,
  type Line,
  sleep,
} from '../../cli/helpers/ferry.js'
import { RelayProcess } from '../../relay/helpers/relay-process.js'

export { type Line, sleep }

/** `ferry` exit codes the tests expect (node/README.md "Exit codes"). */
export const EXIT = { OK: 0, FAILURE: 1, UNTRUSTED: 6 } as const

/** The longest any single condition is waited for; a failure names what was awaited. */
export const WAIT_MS = 30_000

/**
 * Polls `check` until it returns something other than undefined or false (bounded); throws naming
 * `what` and, when given, what `seen` says about the last state observed.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = WAIT_MS,
  seen?: () => unknown,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) {
      return value
    }
    if (Date.now() > deadline) {
      const last = seen === undefined ? '' : `; last seen: ${JSON.stringify(seen())}`
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`)
    }
    await sleep(150)
  }
}

/**
 * A free TCP port on loopback below the kernel's ephemeral range, for a process that must listen on
 * the same port again after a restart: a port from the ephemeral range can be taken, while the
 * process is down, as the source port of any outgoing connection on the machine.
 */
export async function freePort(): Promise<number> {
  let low = 32_768
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0])
  } catch {}
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 10_000 + Math.floor(Math.random() * Math.max(1, low - 10_000))
    const server = createServer()
    const bound = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false))
      server.listen(port, '127.0.0.1', () => resolve(true))
    })
    if (bound) {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      return port
    }
  }
  throw new Error('no free port below the ephemeral range')
}

/** The sum of a Prometheus sample over the lines matching `name` (and `labels`, e.g. `result="stored"`). */
export function sample(text: string, name: string, labels?: string): number {
  let total = 0
  let found = false
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      continue
    }
    const [key, value] = line.split(' ')
    if (key === undefined || value === undefined) {
      continue
    }
    const bare = key.split('{')[0]
    if (bare === name && (labels === undefined || key.includes(labels))) {
      total += Number(value)
      found = true
    }
  }
  if (!found && labels === undefined) {
    throw new Error(`the relay exports no ${name}`)
  }
  return total
}

/** Loopback's discard port: nothing listens there, so a dial fails at once. */
export const NOWHERE = '/ip4/127.0.0.1/tcp/9'

/**
 * `ferry-relay start` flags for a relay that listens on loopback `port` but announces NOWHERE: a
 * device that learns the relay's addresses from the relay itself finds no way around the proxy it
 * was told to use.
 */
export function hiddenRelayArgs(port: number): string[] {
  return ['--listen', `/ip4/127.0.0.1/tcp/${port}`, '--announce', NOWHERE, '--metrics-port', '0']
}

/** A relay process with its metrics endpoint at hand. */
export class E2eRelay {
  constructor(readonly process: RelayProcess) {}

  /** The relay's addresses as devices should use them (its ready line: announced or listening). */
  get addrs(): string[] {
    return this.process.addrs.map((a) => a.toString())
  }

  get peerId(): string {
    return this.process.peerId
  }

  async metrics(): Promise<string> {
    const url = this.process.metricsUrl
    if (url === undefined) {
      throw new Error('the relay did not say where its metrics are')
    }
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })
    return response.text()
  }

  /** `ferry_relay_stored_envelopes`: payloads held (each once). */
  async stored(): Promise<number> {
    return sample(await this.metrics(), 'ferry_relay_stored_envelopes')
  }

  async metric(name: string, labels?: string): Promise<number> {
    return sample(await this.metrics(), name, labels)
  }

  /** Waits until the relay holds exactly `count` envelopes. */
  async waitStored(count: number, timeoutMs = WAIT_MS): Promise<void> {
    let last = -1
    await waitFor(
      `the relay to hold ${count} envelopes`,
      async () => {
        last = await this.stored()
        return last === count
      },
      timeoutMs,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; it holds ${last}`)
    })
  }
}

/** One device: a data directory, its account object, and its daemon when one runs. */
export class Device {
  daemon: FerryProcess | undefined
  account: Line = {}

  constructor(
    readonly world: World,
    readonly name: string,
    readonly dir: string,
    /** FERRY_LISTEN for its daemon (a fixed address when a test must dial the device). */
    readonly listen?: string,
  ) {}

  get accountId(): string {
    return this.account.accountId as string
  }

  get invite(): string {
    return this.account.invite as string
  }

  /** `ferry --json --data DIR ARGS`, exit 0 expected: its JSON lines. */
  json(args: readonly string[], timeoutMs?: number): Promise<Line[]> {
    return ferryJson(['--data', this.dir, ...args], timeoutMs === undefined ? {} : { timeoutMs })
  }

  /** As `json`, expecting exactly one line. */
  one(args: readonly string[], timeoutMs?: number): Promise<Line> {
    return ferryOne(['--data', this.dir, ...args], timeoutMs === undefined ? {} : { timeoutMs })
  }

  /** `ferry --json --data DIR ARGS` whatever its exit code. */
  run(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}) {
    return ferry(['--json', '--data', this.dir, ...args], options)
  }

  /** Starts `ferry daemon` and waits for its ready line. */
  async start(): Promise<void> {
    if (this.daemon?.running === true) {
      throw new Error(`${this.name}: a daemon already runs`)
    }
    const env = this.listen === undefined ? undefined : { FERRY_LISTEN: this.listen }
    const daemon = new FerryProcess(['--data', this.dir, '--json', 'daemon'], env)
    this.world.track(daemon)
    this.daemon = daemon
    await daemon.waitForLine((line) => line.ready === true, WAIT_MS)
  }

  /** Stops the daemon (SIGTERM: a clean stop; SIGKILL: a crash) and waits for it to exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    const daemon = this.daemon
    this.daemon = undefined
    if (daemon === undefined) {
      throw new Error(`${this.name}: no daemon runs`)
    }
    return daemon.stop(signal)
  }

  /** Every event this device has stored, in cursor order (`receive --since 0` through the daemon). */
  async events(): Promise<Line[]> {
    if (this.daemon?.running !== true) {
      throw new Error(`${this.name}: events are read through the daemon`)
    }
    return this.json(['receive', '--since', '0', '--subscriber', 'e2e-audit'])
  }

  /** The stored message events (either direction). */
  async messages(): Promise<Line[]> {
    return (await this.events()).filter((e) => e.type === 'message')
  }

  /** Waits until a stored message satisfies `match`; returns it. */
  async waitMessage(what: string, match: (message: Line) => boolean, timeoutMs = WAIT_MS): Promise<Line> {
    return waitFor(`${this.name} to show ${what}`, async () => (await this.messages()).find(match), timeoutMs)
  }

  /** `status ID`: this device's record of a message it sent, with per-device status. */
  async status(id: string): Promise<Line> {
    return this.one(['status', id])
  }
}

/** A temporary directory, the relay, the devices, and everything to clean up. */
export class World {
  readonly root: string
  relay!: E2eRelay
  readonly #processes: FerryProcess[] = []
  readonly #cleanups: Array<() => Promise<void>> = []

  constructor(prefix: string) {
    this.root = mkdtempSync(join(tmpdir(), `ferry-e2e-${prefix}-`))
  }

  /** Builds the binaries and starts the relay (extra `ferry-relay start` flags in `args`). */
  async startRelay(args: string[] = ['--listen', '/ip4/127.0.0.1/tcp/0', '--metrics-port', '0']) {
    buildBins()
    this.relay = new E2eRelay(await RelayProcess.start(join(this.root, 'relay'), { args }))
    return this.relay
  }

  device(name: string, listen?: string): Device {
    return new Device(this, name, join(this.root, name), listen)
  }

  /** `init --relay ...` on a new device, then its daemon. */
  async account(name: string, relays: readonly string[] = this.relay.addrs, listen?: string) {
    const device = this.device(name, listen)
    device.account = await device.one(['init', ...relays.flatMap((r) => ['--relay', r])])
    await device.start()
    return device
  }

  /** `link new --yes` through the primary's daemon, `link join` on a new directory, then its daemon. */
  async link(primary: Device, name: string, listen?: string): Promise<Device> {
    const device = this.device(name, listen)
    const linking = new FerryProcess(['--data', primary.dir, '--json', 'link', 'new', '--yes'])
    this.track(linking)
    const { code } = await linking.waitForLine((line) => typeof line.code === 'string', WAIT_MS)
    device.account = await device.one(['link', 'join', code], WAIT_MS)
    const exit = await Promise.race([linking.exited, sleep(WAIT_MS).then(() => undefined)])
    if (exit?.code !== 0) {
      throw new Error(`link new ended with ${JSON.stringify(exit)}: ${linking.stderr}`)
    }
    await device.start()
    return device
  }

  track(process: FerryProcess): void {
    this.#processes.push(process)
  }

  onCleanup(cleanup: () => Promise<void>): void {
    this.#cleanups.push(cleanup)
  }

  /** Kills every ferry process, stops the relay, removes the directory. */
  async close(): Promise<void> {
    await Promise.all(this.#processes.map((p) => p.stop('SIGKILL', 5_000)))
    for (const cleanup of this.#cleanups.reverse()) {
      await cleanup().catch(() => {})
    }
    await this.relay?.process.stop()
    rmSync(this.root, { recursive: true, force: true })
  }
}

/** The IDs that occur more than once in `messages`. */
export function repeatedIds(messages: readonly Line[]): string[] {
  const seen = new Set<string>()
  const twice = new Set<string>()
  for (const m of messages) {
    if (seen.has(m.id)) {
      twice.add(m.id)
    }
    seen.add(m.id)
  }
  return [...twice]
}
