/**
 * Where a command runs: through the daemon of the data directory when one answers on its socket, or
 * in this process, which then opens the store (and starts the node when the method needs the
 * network) for the duration of the command. Both run the same methods (service.ts).
 */
import { existsSync } from 'node:fs'
import { statfs } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import type { Messenger } from '@ferry/client'
import { loadClient } from './client.js'
import {
  DATA_DIR_POLL_MS,
  DATA_DIR_WAIT_MS,
  RPC_CONNECT_TIMEOUT_MS,
  RPC_MAX_RESPONSE_BYTES,
} from './constants.js'
import { DaemonConnectionError, DataDirInUseError, NoAccountError, nameOf } from './errors.js'
import { type EventSink, followEvents } from './event-stream.js'
import type { DataDir } from './paths.js'
import { RpcPeer } from './rpc.js'
import { METHODS, Params, type ServiceContext } from './service.js'

export interface CallOptions {
  readonly signal?: AbortSignal
  readonly notify?: (method: string, params: unknown) => void
  readonly confirm?: (method: string, params: unknown) => Promise<boolean>
}

export interface Backend {
  readonly mode: 'daemon' | 'local'
  call(method: string, params: Record<string, unknown>, options?: CallOptions): Promise<unknown>
  /** Streams events after `since` until `signal` aborts (or the daemon goes away: then it throws). */
  follow(since: number, sink: EventSink, signal: AbortSignal): Promise<void>
  close(): Promise<void>
}

export interface OpenInit {
  readonly data: DataDir
  readonly listen: readonly string[] | undefined
  /** Shown while waiting for the data directory or starting the node. */
  readonly progress: (text: string) => void
  readonly signal: AbortSignal
}

/** A messenger in this process over the data directory's store. */
export class LocalBackend implements Backend {
  readonly mode = 'local'
  readonly messenger: Messenger
  readonly #progress: (text: string) => void

  constructor(messenger: Messenger, progress: (text: string) => void) {
    this.messenger = messenger
    this.#progress = progress
  }

  /** Starts the node (idempotent). */
  async start(): Promise<void> {
    if (!this.messenger.started) {
      this.#progress('starting the node…')
      await this.messenger.start()
    }
  }

  async call(method: string, params: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    const spec = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined
    if (spec === undefined) {
      throw new Error(`no method ${method}`)
    }
    if (spec.network) {
      await this.start()
    }
    const context: ServiceContext = {
      signal: options.signal ?? new AbortController().signal,
      notify: options.notify ?? (() => {}),
      confirm: options.confirm ?? (async () => false),
    }
    return spec.run(this.messenger, new Params(params), context)
  }

  async follow(since: number, sink: EventSink, signal: AbortSignal): Promise<void> {
    await this.start()
    await followEvents(this.messenger, since, sink, signal)
  }

  async close(): Promise<void> {
    await this.messenger.close()
  }
}

/** The daemon of the data directory, over its socket. */
export class DaemonBackend implements Backend {
  readonly mode = 'daemon'
  readonly #data: DataDir
  readonly #peer: RpcPeer
  readonly #hooks: { confirm?: CallOptions['confirm']; notify?: CallOptions['notify'] }

  constructor(
    data: DataDir,
    peer: RpcPeer,
    hooks: { confirm?: CallOptions['confirm']; notify?: CallOptions['notify'] },
  ) {
    this.#data = data
    this.#peer = peer
    this.#hooks = hooks
  }

  static async connect(data: DataDir): Promise<DaemonBackend | undefined> {
    const socket = await connectSocket(data.socket)
    if (socket === undefined) {
      return undefined
    }
    const hooks: { confirm?: CallOptions['confirm']; notify?: CallOptions['notify'] } = {}
    const peer = new RpcPeer(socket, {
      maxLineBytes: RPC_MAX_RESPONSE_BYTES,
      handlers: {
        'link.approve': async (params) => (await hooks.confirm?.('link.approve', params)) ?? false,
      },
      onNotification: (method, params) => hooks.notify?.(method, params),
    })
    return new DaemonBackend(data, peer, hooks)
  }

  async call(method: string, params: Record<string, unknown>, options: CallOptions = {}): Promise<unknown> {
    this.#hooks.confirm = options.confirm
    this.#hooks.notify = options.notify
    return this.#peer.call(method, params, options.signal === undefined ? {} : { signal: options.signal })
  }

  async follow(since: number, sink: EventSink, signal: AbortSignal): Promise<void> {
    let chain: Promise<void> = Promise.resolve()
    let failed: unknown
    this.#hooks.notify = (method, params) => {
      chain = chain
        .then(async () => {
          if (failed !== undefined || signal.aborted) {
            return
          }
          if (method === 'event') {
            await sink.event(params as Parameters<EventSink['event']>[0])
          } else if (method === 'caught-up') {
            await sink.caughtUp((params as { cursor: number }).cursor)
          }
        })
        .catch((err: unknown) => {
          failed ??= err
          this.#peer.destroy()
        })
    }
    await this.#peer.call('subscribe', { since }, { signal })
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) {
        resolve()
      }
      signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await Promise.race([stopped, this.#peer.closed])
    await chain
    if (failed !== undefined) {
      throw failed
    }
    if (!signal.aborted) {
      throw new DaemonConnectionError(
        `the daemon of ${this.#data.dir} went away: run receive again to resume from the saved cursor`,
      )
    }
  }

  async close(): Promise<void> {
    this.#peer.close()
    this.#peer.destroy()
  }
}

/** Connects to a Unix socket; undefined when nothing listens there. */
export async function connectSocket(path: string): Promise<Socket | undefined> {
  if (!existsSync(path)) {
    return undefined
  }
  return new Promise((resolve) => {
    const socket = connect({ path })
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(undefined)
    }, RPC_CONNECT_TIMEOUT_MS)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.removeAllListeners('error')
      resolve(socket)
    })
    socket.once('error', () => {
      clearTimeout(timer)
      socket.destroy()
      resolve(undefined)
    })
  })
}

export type OpenResult = { kind: 'daemon'; backend: DaemonBackend } | { kind: 'local'; backend: LocalBackend }

/**
 * The daemon of the data directory if one answers, else the store opened in this process. Waits up to
 * DATA_DIR_WAIT_MS while another process holds the store (a daemon still starting, another command).
 * `create` allows a new store (init, link join); otherwise a missing store is NoAccountError.
 */
export async function openBackend(init: OpenInit & { create: boolean }): Promise<OpenResult> {
  const deadline = Date.now() + DATA_DIR_WAIT_MS
  for (;;) {
    const daemon = await DaemonBackend.connect(init.data)
    if (daemon !== undefined) {
      return { kind: 'daemon', backend: daemon }
    }
    if (!init.create && !existsSync(init.data.store)) {
      throw noAccount(init.data)
    }
    const messenger = await openMessenger(init)
    if (messenger !== undefined) {
      const backend = new LocalBackend(messenger, init.progress)
      if (!init.create && !messenger.hasAccount) {
        await backend.close()
        throw noAccount(init.data)
      }
      return { kind: 'local', backend }
    }
    if (Date.now() > deadline) {
      throw new DataDirInUseError(
        `another ferry process is using ${init.data.dir} (a command running the node, or a daemon that does not answer): wait for it or stop it`,
      )
    }
    init.progress(`waiting for another ferry process using ${init.data.dir}…`)
    await sleep(DATA_DIR_POLL_MS, init.signal)
    init.signal.throwIfAborted()
  }
}

/** Opens the store in this process; undefined while another process holds it. */
export async function openMessenger(init: OpenInit): Promise<Messenger | undefined> {
  const [{ createMessenger }, { ClassicLevel }] = await Promise.all([loadClient(), import('classic-level')])
  try {
    return await createMessenger({
      db: new ClassicLevel(init.data.store),
      // on a disk still full the store stays open for reads rather than closing to reopen
      freeBytes: () => freeBytesOf(init.data.store),
      ...(init.listen === undefined ? {} : { listen: init.listen }),
    })
  } catch (err) {
    if (nameOf(err) === 'StoreLockedError') {
      return undefined
    }
    throw err
  }
}

/** Bytes free for this process on the file system of `dir`, or undefined when it cannot be told. */
async function freeBytesOf(dir: string): Promise<number | undefined> {
  try {
    const { bavail, bsize } = await statfs(dir)
    return bavail * bsize
  } catch {
    return undefined
  }
}

export function noAccount(data: DataDir): NoAccountError {
  return new NoAccountError(
    `no account in ${data.dir}: create one with \`ferry init --relay MULTIADDR\` or join one with \`ferry link join CODE\``,
  )
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
