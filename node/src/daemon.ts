/**
 * `ferry daemon`: runs the node and serves JSON-RPC on DIR/ferry.sock until told to stop. It owns the
 * store (the LevelDB lock makes a second daemon, or a command running the node, wait or fail), serves
 * every method of service.ts plus `subscribe` (events after a cursor, then live ones, as `event`
 * notifications) and `ping`, and on stop removes its socket before it closes the store.
 */

import { existsSync } from 'node:fs'
import { chmod, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import type { Messenger, MessengerEvent } from '@ferry/client'
import { DaemonBackend, noAccount, openMessenger } from './backend.js'
import {
  DAEMON_MAX_CONNECTIONS,
  DATA_DIR_POLL_MS,
  DATA_DIR_WAIT_MS,
  RPC_MAX_REQUEST_BYTES,
  SUBSCRIBER_MAX_BUFFERED_BYTES,
} from './constants.js'
import { DataDirInUseError } from './errors.js'
import { followEvents } from './event-stream.js'
import { checkSocketPath, type DataDir } from './paths.js'
import { type CallContext, RPC_ERROR, type RpcHandler, RpcMethodError, RpcPeer } from './rpc.js'
import { METHODS, Params } from './service.js'

export interface DaemonInit {
  readonly data: DataDir
  readonly listen: readonly string[] | undefined
  readonly progress: (text: string) => void
  /** Aborted when the daemon should stop (SIGINT, SIGTERM). */
  readonly stop: AbortSignal
  /** Called once the socket accepts connections. */
  readonly ready: (info: {
    socket: string
    accountId: string
    deviceId: number
    pid: number
  }) => Promise<void>
}

/** Runs the daemon until `init.stop` aborts; resolves once everything is closed. */
export async function runDaemon(init: DaemonInit): Promise<void> {
  const { data } = init
  checkSocketPath(data)
  if (!existsSync(data.store)) {
    throw noAccount(data)
  }
  const messenger = await claimStore(init)
  let server: Server | undefined
  const peers = new Set<RpcPeer>()
  try {
    if (!messenger.hasAccount) {
      throw noAccount(data)
    }
    init.progress('starting the node…')
    await messenger.start()
    init.stop.throwIfAborted()
    const handlers = handlersOf(messenger)
    server = createServer((socket) => {
      const peer = new RpcPeer(socket, { maxLineBytes: RPC_MAX_REQUEST_BYTES, handlers })
      peers.add(peer)
      void peer.closed.then(() => peers.delete(peer))
    })
    server.maxConnections = DAEMON_MAX_CONNECTIONS
    await listen(server, data.socket)
    const account = messenger.account()
    await init.ready({
      socket: data.socket,
      accountId: account.accountId,
      deviceId: account.deviceId,
      pid: process.pid,
    })
    await new Promise<void>((resolve) => {
      if (init.stop.aborted) {
        resolve()
      }
      init.stop.addEventListener('abort', () => resolve(), { once: true })
    })
  } finally {
    // new clients find no socket (and wait for the store), connected ones are cut, then the store closes
    if (server !== undefined) {
      server.close()
      await rm(data.socket, { force: true })
    }
    for (const peer of peers) {
      peer.destroy()
    }
    await messenger.close()
  }
}

/** Opens the store, refusing when a daemon already answers on the socket. */
async function claimStore(init: DaemonInit): Promise<Messenger> {
  const deadline = Date.now() + DATA_DIR_WAIT_MS
  for (;;) {
    const running = await DaemonBackend.connect(init.data)
    if (running !== undefined) {
      await running.close()
      throw new DataDirInUseError(`a ferry daemon is already running on ${init.data.dir}`)
    }
    const messenger = await openMessenger({ ...init, signal: init.stop })
    if (messenger !== undefined) {
      return messenger
    }
    if (Date.now() > deadline) {
      throw new DataDirInUseError(
        `another ferry process is using ${init.data.dir}: stop it (or wait for it to finish) before starting the daemon`,
      )
    }
    init.progress(`waiting for another ferry process using ${init.data.dir}…`)
    await new Promise((resolve) => setTimeout(resolve, DATA_DIR_POLL_MS))
    init.stop.throwIfAborted()
  }
}

/** Listens on a Unix socket that only this user can connect to (created under umask 0177, then chmod 0600). */
async function listen(server: Server, path: string): Promise<void> {
  // the store lock is ours, so a socket file left here belongs to a daemon that died
  await rm(path, { force: true })
  const previous = process.umask(0o177)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(path, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } finally {
    process.umask(previous)
  }
  await chmod(path, 0o600)
}

function handlersOf(messenger: Messenger): Record<string, RpcHandler> {
  const handlers: Record<string, RpcHandler> = {}
  for (const [name, spec] of Object.entries(METHODS)) {
    handlers[name] = (params, context) =>
      spec.run(messenger, new Params(params), {
        signal: context.signal,
        notify: (method, value) => context.peer.notify(method, value),
        confirm: async (method, value) =>
          (await context.peer.call(method, value, { signal: context.signal })) === true,
      })
  }
  handlers.ping = async () => {
    const account = messenger.account()
    return { pid: process.pid, accountId: account.accountId, deviceId: account.deviceId }
  }
  const subscribed = new WeakSet<RpcPeer>()
  handlers.subscribe = async (params, context) =>
    subscribe(messenger, new Params(params), context, subscribed)
  return handlers
}

/**
 * `subscribe {since}`: answers `{subscribed: true, since}`, then sends every event after `since` as an
 * `event` notification, a `caught-up {cursor}` notification once the stored ones are sent, and live
 * events after that, until the connection closes. A subscriber that stops reading is disconnected
 * (it resumes from its cursor when it reconnects).
 */
async function subscribe(
  messenger: Messenger,
  params: Params,
  context: CallContext,
  subscribed: WeakSet<RpcPeer>,
): Promise<unknown> {
  const since = params.optionalInteger('since', { min: 0, max: Number.MAX_SAFE_INTEGER }) ?? 0
  const { peer } = context
  if (subscribed.has(peer)) {
    throw new RpcMethodError(RPC_ERROR.INVALID_REQUEST, 'this connection is already subscribed')
  }
  subscribed.add(peer)
  const send = (method: string, value: unknown): void => {
    if (peer.pendingWriteBytes > SUBSCRIBER_MAX_BUFFERED_BYTES) {
      peer.destroy()
      return
    }
    peer.notify(method, value)
  }
  // after the answer is written (this runs on a later turn of the event loop)
  setImmediate(() => {
    void followEvents(
      messenger,
      since,
      {
        event: (event: MessengerEvent) => send('event', event),
        caughtUp: (cursor) => send('caught-up', { cursor }),
      },
      peer.signal,
    ).catch(() => peer.destroy())
  })
  return { subscribed: true, since }
}
