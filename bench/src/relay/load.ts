/**
 * The load generator's clients: one lean libp2p host per simulated device (TCP, noise, yamux, and no
 * other service, so the load process spends its CPU on the traffic being measured), each with the
 * real mailbox client, its own mailbox on the relay, and an echo channel on the same connection for
 * the baseline. Workers keep 1 (waiting) or 8 (pipelining) requests in flight per client.
 */
import { noise } from '@chainsafe/libp2p-noise'
import { installPolyfills, MailboxClient, nodeNoiseCrypto } from '@ferry/transport'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Libp2p, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import type { Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'

/** The echo protocol the relay serves with `benchmark.echo` (relay-node's BENCH_ECHO_PROTOCOL). */
export const ECHO_PROTOCOL = '/ferry-bench/echo/1'
/** Size of every deposited payload and echoed message. */
export const ENVELOPE_BYTES = 1024
/** Connections opened at once while clients connect. */
const CONNECT_CONCURRENCY = 32

/**
 * Echo over one stream: each request sends ENVELOPE_BYTES and resolves once as many came back. A
 * stream that ended (libp2p closes streams idle for two minutes) is reopened on the next request.
 */
export class EchoChannel {
  readonly #open: () => Promise<Stream>
  readonly #message: Uint8Array
  #stream: Promise<Stream> | undefined
  #waiting: Array<() => void> = []
  #received = 0

  constructor(open: () => Promise<Stream>, message: Uint8Array) {
    this.#open = open
    this.#message = message
  }

  async #current(): Promise<Stream> {
    const stream = await this.#stream
    if (stream !== undefined && stream.status === 'open' && stream.writeStatus === 'writable') {
      return stream
    }
    this.#stream = this.#open().then((next) => {
      this.#received = 0
      this.#waiting = []
      next.addEventListener('message', (event) => {
        this.#received += event.data.byteLength
        while (this.#received >= ENVELOPE_BYTES && this.#waiting.length > 0) {
          this.#received -= ENVELOPE_BYTES
          this.#waiting.shift()!()
        }
      })
      return next
    })
    return this.#stream
  }

  async request(): Promise<void> {
    const stream = await this.#current()
    const done = new Promise<void>((resolve) => this.#waiting.push(resolve))
    if (!stream.send(this.#message)) {
      await stream.onDrain()
    }
    return done
  }

  close(): void {
    void this.#stream?.then((stream) => stream.abort(new Error('benchmark done')))
  }
}

export interface Client {
  node: Libp2p
  mailboxes: MailboxClient
  mailboxId: Uint8Array
  echo: EchoChannel
}

async function leanHost(): Promise<Libp2p> {
  return createLibp2p({
    transports: [tcp()],
    // the noise crypto of Ferry's Node presets, as a device running one would have
    connectionEncrypters: [noise({ crypto: await nodeNoiseCrypto() })],
    // no keepalive pings of its own: 2,000 simulated devices in one process, connected within
    // seconds of each other, would ping in bursts every 30 s and stall the load generator; the
    // relay's own pings are still answered
    streamMuxers: [yamux({ enableKeepAlive: false })],
    connectionMonitor: { enabled: false },
    connectionManager: { maxConnections: 16 },
  }) as unknown as Promise<Libp2p>
}

/** Starts `count` clients, each connected to the relay with a mailbox stream and an echo stream open. */
export async function connectClients(
  relay: Multiaddr[],
  relayPeerId: string,
  count: number,
): Promise<Client[]> {
  installPolyfills()
  const relayPeer = peerIdFromString(relayPeerId)
  const message = crypto.getRandomValues(new Uint8Array(ENVELOPE_BYTES))
  const clients: Client[] = []
  let next = 0
  const open = async (): Promise<void> => {
    while (next < count) {
      next++
      const node = await leanHost()
      const mailboxes = new MailboxClient(node, { pipeline: 8 })
      const mailboxId = await mailboxes.mailboxId(await generateKeyPair('Ed25519'), relayPeer)
      const echo = new EchoChannel(async () => (await node.dial(relay)).newStream(ECHO_PROTOCOL), message)
      // one deposit opens the pooled mailbox stream, so no timed part pays for it
      const result = await mailboxes.deposit(relay, {
        envelopeId: crypto.getRandomValues(new Uint8Array(16)),
        payload: message,
        mailboxIds: [mailboxId],
      })
      if (result.status === 'refused') {
        throw new Error(`the relay refused a warm-up deposit: ${result.reason}`)
      }
      await echo.request()
      clients.push({ node, mailboxes, mailboxId, echo })
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, count) }, open))
  return clients
}

/** One deposit and one echo per client (at most 64 at once): reopens streams the relay closed as idle. */
export async function touchClients(
  clients: readonly Client[],
  relay: Multiaddr[],
  payload: Uint8Array,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < clients.length) {
      const client = clients[next++]!
      await client.mailboxes.deposit(relay, {
        envelopeId: crypto.getRandomValues(new Uint8Array(16)),
        payload,
        mailboxIds: [client.mailboxId],
      })
      await client.echo.request()
    }
  }
  await Promise.all(Array.from({ length: Math.min(64, clients.length) }, worker))
}

export async function closeClients(clients: readonly Client[]): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      client.echo.close()
      client.mailboxes.close()
      await Promise.all(client.node.getConnections().map(async (c) => c.close().catch(() => {})))
      await Promise.resolve(client.node.stop()).catch(() => {})
    }),
  )
}

/** Deposits `total` 1 KiB envelopes, each client keeping `inFlight` in flight to its own mailbox. */
export async function deposits(
  clients: readonly Client[],
  relay: Multiaddr[],
  total: number,
  inFlight: number,
  payload: Uint8Array,
): Promise<void> {
  let started = 0
  const refused: string[] = []
  const worker = async (client: Client): Promise<void> => {
    while (started < total) {
      started++
      const result = await client.mailboxes.deposit(relay, {
        envelopeId: crypto.getRandomValues(new Uint8Array(16)),
        payload,
        mailboxIds: [client.mailboxId],
      })
      if (result.status === 'refused') {
        refused.push(result.reason)
      }
    }
  }
  await Promise.all(clients.flatMap((client) => Array.from({ length: inFlight }, async () => worker(client))))
  if (refused.length > 0) {
    throw new Error(`the relay refused ${refused.length} deposits (${refused[0]}): the measurement is void`)
  }
}

/** `total` echoes of 1 KiB over the same clients' connections, the same number in flight. */
export async function echoes(clients: readonly Client[], total: number, inFlight: number): Promise<void> {
  let started = 0
  const worker = async (client: Client): Promise<void> => {
    while (started < total) {
      started++
      await client.echo.request()
    }
  }
  await Promise.all(clients.flatMap((client) => Array.from({ length: inFlight }, async () => worker(client))))
}
