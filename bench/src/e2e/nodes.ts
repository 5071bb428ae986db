/**
 * What the end-to-end benchmark runs on: a real `ferry-relay` process on loopback (its own process:
 * the relay's fsync and event loop do not share this process's core), and two messengers in this
 * process (`createMessenger` over classic-level in a data directory laid out as `ferry` lays it out,
 * DIR/store), each on the same libp2p host the `ferry` command builds (TCP, circuit relay, the deliver
 * and link servers), kept at hand for the ping baseline and for connecting the two directly.
 *
 * A messenger made with `reachable: false` takes no circuit-relay reservation: nobody can reach it
 * through its relay, so what is sent to it goes through its mailbox (the relay path).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CreateHost, createMessenger, installPolyfills, type Messenger } from '@ferry/client'
import { createNodeLibp2p, deliverServer, linkServer } from '@ferry/transport'
import type { Libp2p } from '@libp2p/interface'
import { ClassicLevel } from 'classic-level'

/** The workspace root: the nearest directory above this module holding node/bin/ferry.js. */
function workspaceRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'node', 'bin', 'ferry.js'))) {
    const up = resolve(dir, '..')
    if (up === dir) {
      throw new Error('cannot find node/bin/ferry.js above the benchmark')
    }
    dir = up
  }
  return dir
}

export const ROOT = workspaceRoot()
export const FERRY_BIN = join(ROOT, 'node', 'bin', 'ferry.js')
const RELAY_BIN = join(ROOT, 'relay-node', 'bin', 'ferry-relay.js')
const READY_TIMEOUT_MS = 60_000

/** The relay's configuration: loopback, metrics on a free port, per-peer rate limits out of the way. */
function relayConfig(): unknown {
  return {
    listen: ['/ip4/127.0.0.1/tcp/0'],
    metrics: { port: 0 },
    dht: { privateAddresses: true },
    mailbox: {
      depositBurstPerPeer: 1_000_000_000,
      depositRatePerPeerPerSecond: 1_000_000_000,
      queryBurstPerPeer: 1_000_000,
      queryRatePerPeerPerSecond: 1_000_000,
    },
  }
}

export class RelayProcess {
  addrs: string[] = []
  #stderr = ''

  private constructor(readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (this.#stderr.length < 64 * 1024) {
        this.#stderr += chunk
      }
    })
  }

  /**
   * Starts `ferry-relay start` on `dataDir`. FERRY_BENCH_RELAY_PROFILE=DIR writes a V8 CPU profile of
   * the relay process into DIR when it exits.
   */
  static async start(dataDir: string): Promise<RelayProcess> {
    mkdirSync(dataDir, { recursive: true })
    const config = join(dataDir, '..', 'relay-config.json')
    writeFileSync(config, JSON.stringify(relayConfig()))
    const profile = process.env.FERRY_BENCH_RELAY_PROFILE
    const flags = profile === undefined || profile === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${profile}`]
    const child = spawn(
      process.execPath,
      [...flags, RELAY_BIN, 'start', '--data', dataDir, '--json', '--config', config],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const relay = new RelayProcess(child)
    let stdout = ''
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    const deadline = Date.now() + READY_TIMEOUT_MS
    while (!stdout.includes('\n')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`ferry-relay did not start:\n${relay.#stderr}`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    relay.addrs = (JSON.parse(stdout.split('\n')[0]!) as { addrs: string[] }).addrs
    return relay
  }

  /** SIGTERM, then the exit code (SIGKILL after 20 s). */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) {
      return this.child.exitCode
    }
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)))
    this.child.kill('SIGTERM')
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000)
    const code = await exited
    clearTimeout(timer)
    return code
  }
}

/** A messenger in this process and the libp2p host under it. */
export interface Node {
  readonly name: string
  readonly dir: string
  readonly messenger: Messenger
  /** Set once the messenger started. */
  host: Libp2p | undefined
}

/**
 * A new account on `relays` in `dir` (created), started. `reachable: false` leaves out the
 * circuit-relay listening (no reservation): peers can then reach it only through its mailbox.
 */
export async function startNode(
  name: string,
  dir: string,
  relays: readonly string[],
  options: { reachable: boolean },
): Promise<Node> {
  installPolyfills()
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const node: Node = { name, dir, messenger: undefined as unknown as Messenger, host: undefined }
  // the `ferry` command's Node host (packages/client/src/platform.node.ts), with the host kept
  const createHost: CreateHost = async (init) => {
    const circuits = options.reachable ? init.relays.map((relay) => `${relay}/p2p-circuit`) : []
    const host = (await createNodeLibp2p({
      privateKey: init.privateKey,
      listen: [...(init.listen ?? ['/ip4/127.0.0.1/tcp/0']), ...circuits],
      services: {
        deliver: deliverServer({ onEnvelope: init.onEnvelope }),
        link: linkServer({ onRequest: init.onLinkRequest }),
      },
    })) as unknown as Libp2p
    node.host = host
    return host
  }
  const messenger = await createMessenger({
    db: new ClassicLevel(join(dir, 'store')) as never,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    createHost,
  })
  ;(node as { messenger: Messenger }).messenger = messenger
  await messenger.createAccount({ relays })
  await messenger.start()
  return node
}

/** Two nodes that know each other as contacts ('peer'). */
export async function introduce(a: Node, b: Node): Promise<void> {
  await a.messenger.addContact(b.messenger.account().invite, { name: 'peer' })
  await b.messenger.addContact(a.messenger.account().invite, { name: 'peer' })
}

/** Dials `to` from `from` on its TCP address (a direct connection, not through the relay). */
export async function connectDirectly(from: Node, to: Node): Promise<void> {
  const addrs = to.host!.getMultiaddrs().filter((a) => !a.toString().includes('p2p-circuit'))
  await from.host!.dial(addrs, { signal: AbortSignal.timeout(10_000) })
}

/** Stops and closes a node's messenger (its store is released). */
export async function closeNode(node: Node): Promise<void> {
  await node.messenger.close()
}
