/**
 * A worker thread of the load generator: its own share of the simulated devices (each a libp2p host
 * connected to the relay), driven by messages from LoadWorkers (load-workers.ts). A worker has its own
 * V8 heap and event loop, so a garbage collection of its hosts stalls only its share of the requests.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { multiaddr } from '@multiformats/multiaddr'
import { type Client, closeClients, connectClients, ENVELOPE_BYTES, touchClients } from './load.js'
import { openLoop } from './open-loop.js'

export interface WorkerInit {
  addrs: string[]
  peerId: string
  count: number
}

export type WorkerRequest =
  | { id: number; op: 'touch' }
  | { id: number; op: 'run'; kind: 'deposit' | 'echo'; rate: number; seconds: number }
  | { id: number; op: 'close' }

const init = workerData as WorkerInit
const port = parentPort!
const relay = init.addrs.map((a) => multiaddr(a))
const payload = crypto.getRandomValues(new Uint8Array(ENVELOPE_BYTES))

async function request(clients: Client[], kind: 'deposit' | 'echo', i: number): Promise<void> {
  const client = clients[i % clients.length]!
  if (kind === 'echo') {
    return client.echo.request()
  }
  const outcome = await client.mailboxes.deposit(relay, {
    envelopeId: crypto.getRandomValues(new Uint8Array(16)),
    payload,
    mailboxIds: [client.mailboxId],
  })
  if (outcome.status === 'refused') {
    throw new Error(`deposit refused: ${outcome.reason}`)
  }
}

try {
  const clients = await connectClients(relay, init.peerId, init.count)
  port.on('message', (message: WorkerRequest) => {
    const answer = async (): Promise<unknown> => {
      switch (message.op) {
        case 'touch':
          return touchClients(clients, relay, payload)
        case 'run':
          return openLoop((i) => request(clients, message.kind, i), message.rate, message.seconds)
        case 'close':
          // the main thread terminates this worker once it has the answer
          return closeClients(clients)
      }
    }
    answer().then(
      (result) => port.postMessage({ id: message.id, result }),
      (err: unknown) => port.postMessage({ id: message.id, error: String((err as Error)?.stack ?? err) }),
    )
  })
  port.postMessage({ ready: true })
} catch (err) {
  port.postMessage({ ready: false, error: String((err as Error)?.stack ?? err) })
}
