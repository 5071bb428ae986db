/**
 * Simulated devices spread over worker threads. With 2,000 libp2p hosts in one load process its
 * major garbage collections (a heap of about 265 MB, marked over about 300 ms) stalled every request
 * at once and showed as relay latency; over several workers each collection stalls only a share.
 */
import { Worker } from 'node:worker_threads'
import type { WorkerInit, WorkerRequest } from './load-worker.js'
import type { OpenLoopResult } from './open-loop.js'
import type { BenchRelay } from './relay-process.js'

/**
 * The worker's compiled module: beside this one when this runs from bench/dist; in bench/dist when
 * the TypeScript source is imported (the smoke test; `npm test` builds bench/dist first).
 */
function workerModule(): URL {
  const here = new URL(import.meta.url)
  return here.pathname.endsWith('.js')
    ? new URL('./load-worker.js', here)
    : new URL('../../dist/src/relay/load-worker.js', here)
}

/**
 * Node flags for a worker: the parent's without export conditions (the test runner resolves the
 * workspace packages to their TypeScript source, which a plain worker cannot load).
 */
function withoutConditions(flags: readonly string[]): string[] {
  const kept: string[] = []
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!
    if (flag === '--conditions' || flag === '-C') {
      i++
    } else if (!flag.startsWith('--conditions=') && !flag.startsWith('-C=')) {
      kept.push(flag)
    }
  }
  return kept
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void }

/** Body of a request to a worker: WorkerRequest without its ID. */
type Op = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

class LoadWorker {
  readonly #worker: Worker
  readonly #pending = new Map<number, Pending>()
  #next = 0

  private constructor(worker: Worker) {
    this.#worker = worker
    worker.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      if (message.id === undefined) {
        return
      }
      const pending = this.#pending.get(message.id)
      this.#pending.delete(message.id)
      if (message.error !== undefined) {
        pending?.reject(new Error(`load worker: ${message.error}`))
      } else {
        pending?.resolve(message.result)
      }
    })
    const failAll = (err: Error): void => {
      for (const pending of this.#pending.values()) {
        pending.reject(err)
      }
      this.#pending.clear()
    }
    worker.on('error', failAll)
    // a worker that ended without an error event answers nothing more either
    worker.on('exit', (code) => failAll(new Error(`a load worker exited (code ${code})`)))
  }

  static async start(init: WorkerInit): Promise<LoadWorker> {
    const worker = new Worker(workerModule(), {
      workerData: init,
      execArgv: withoutConditions(process.execArgv),
    })
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean; error?: string }) => {
        if (message.ready === undefined) {
          return
        }
        worker.off('message', onMessage)
        worker.off('error', reject)
        worker.off('exit', onExit)
        if (message.ready) {
          resolve()
        } else {
          void worker.terminate()
          reject(new Error(`a load worker did not connect its clients: ${message.error}`))
        }
      }
      const onExit = (code: number) =>
        reject(new Error(`a load worker exited (code ${code}) before it was ready`))
      worker.on('message', onMessage)
      worker.once('error', reject)
      worker.once('exit', onExit)
    })
    return new LoadWorker(worker)
  }

  call<T>(op: Op): Promise<T> {
    const id = ++this.#next
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      this.#worker.postMessage({ ...op, id })
    })
  }

  async stop(): Promise<void> {
    await this.call({ op: 'close' }).catch(() => {})
    await this.#worker.terminate()
  }
}

export class LoadWorkers {
  readonly #workers: LoadWorker[]
  /** Clients connected over all workers. */
  readonly clients: number

  private constructor(workers: LoadWorker[], clients: number) {
    this.#workers = workers
    this.clients = clients
  }

  /** `clients` devices over `threads` workers (one at a time: each connects 32 at once). */
  static async start(relay: BenchRelay, clients: number, threads: number): Promise<LoadWorkers> {
    const workers: LoadWorker[] = []
    try {
      for (let t = 0; t < threads; t++) {
        const count = Math.floor(clients / threads) + (t < clients % threads ? 1 : 0)
        if (count > 0) {
          workers.push(
            await LoadWorker.start({
              addrs: relay.addrs.map((a) => a.toString()),
              peerId: relay.peerId,
              count,
            }),
          )
        }
      }
    } catch (err) {
      await Promise.all(workers.map((w) => w.stop()))
      throw err
    }
    return new LoadWorkers(workers, clients)
  }

  /** One deposit and one echo per client: reopens streams the relay closed as idle. */
  async touch(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.call({ op: 'touch' })))
  }

  /** `rate` requests/s in all for `seconds`, each worker its share over its own clients. */
  async openLoop(kind: 'deposit' | 'echo', rate: number, seconds: number): Promise<OpenLoopResult> {
    const share = rate / this.#workers.length
    const results = await Promise.all(
      this.#workers.map((w) => w.call<OpenLoopResult>({ op: 'run', kind, rate: share, seconds })),
    )
    return {
      samples: results.flatMap((r) => r.samples),
      issued: results.reduce((n, r) => n + r.issued, 0),
      elapsedMs: Math.max(...results.map((r) => r.elapsedMs)),
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.stop()))
  }
}
