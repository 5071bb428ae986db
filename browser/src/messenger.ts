/**
 * `createBrowserMessenger()`: the messenger core of @ferry/client as a browser tab runs it. Owns the
 * order of a tab's life: the writer lock first (one writer per store across tabs), then the IndexedDB
 * store, the eviction check, the messenger over the browser host; and at the end the messenger closed
 * before the lock is released, whether the page closes it or another tab takes the store over.
 *
 * The object returned is the core's Messenger itself (every method, the same behaviour), seen through
 * a thin wrapper that adds the browser's own members and refuses calls once the tab has handed the
 * store over.
 */
import {
  type AccountInfo,
  browserHost,
  type ConnectionPolicy,
  type CreateHost,
  createMessenger,
  type Messenger,
  type MessengerInit,
  RelinkRequiredError,
} from '@ferry/client'
import { DEFAULT_STORE_NAME } from './constants.js'
import { TakenOverError } from './errors.js'
import {
  type Durability,
  hasMarker,
  openStore,
  requestPersistence,
  type StorageStatus,
  type Store,
  setMarker,
  storageStatus,
} from './store.js'
import { acquireWriterLock, type WriterLock } from './writer-lock.js'

export interface BrowserMessengerOptions {
  /** The store's name (IndexedDB database and writer lock). Default: DEFAULT_STORE_NAME. */
  readonly name?: string
  /**
   * When another tab runs this store: ask it to hand over (it closes its messenger), and take the
   * store by force if it does not answer in time. Default: false, which throws StoreInUseError.
   */
  readonly takeOver?: boolean
  /** How long a take-over waits for the other tab to hand over before forcing. Default: TAKEOVER_GRACE_MS. */
  readonly takeOverGraceMs?: number
  /**
   * Which relay addresses may be dialled. Default: 'default' (secure WebSockets to public relays).
   * 'loopback' also allows plain `ws://` to this machine (tests, local development).
   */
  readonly connectionPolicy?: ConnectionPolicy
  /** ICE servers for WebRTC between browsers. Default: none (no public STUN server is ever used). */
  readonly iceServers?: readonly RTCIceServer[]
  /** Open WebRTC connections to other browsers as an upgrade of relayed ones. Default: true. */
  readonly webRTC?: boolean
  /** Durability of IndexedDB writes. Default: 'strict'. */
  readonly durability?: Durability
  /**
   * Keep recently read records in memory (safe: this tab is the store's only writer). Default: true.
   * Off, every read is an IndexedDB transaction.
   */
  readonly readCache?: boolean
  /** Listening addresses besides the relays' circuits. Default: ['/webrtc'] with WebRTC on. */
  readonly listen?: readonly string[]
  /** Replaces the browser host (and with it the options above that shape it). */
  readonly createHost?: CreateHost
  readonly provider?: MessengerInit['provider']
  readonly now?: () => number
  readonly logger?: MessengerInit['logger']
}

/** What the browser adds to the messenger core. */
export interface BrowserExtras {
  /** The store's name. */
  readonly storeName: string
  /** True while this tab is the store's writer: false once closed or taken over by another tab. */
  readonly active: boolean
  /** Calls `listener` once when another tab has taken the store over (this messenger is closed). */
  onTakenOver(listener: () => void): () => void
  /** The origin's storage use, quota, and whether it is protected from eviction. */
  storage(): Promise<StorageStatus>
  /** This device's open connections (none before `start`). */
  connections(): ConnectionInfo[]
  /**
   * Where peers can reach this device (none before `start`): its relays' circuits once the relays
   * granted a reservation, each with its WebRTC variant when WebRTC is on.
   */
  addresses(): string[]
}

/** One open connection of this device's host. */
export interface ConnectionInfo {
  /** The remote peer (a relay, or another device). */
  readonly peerId: string
  readonly remoteAddr: string
  /** How it is carried: straight over WebRTC, through a relay's circuit, or a WebSocket to a relay. */
  readonly transport: 'webrtc' | 'relayed' | 'websocket' | 'other'
  /** Who opened it: this device ('outbound') or the peer ('inbound'). */
  readonly direction: 'inbound' | 'outbound'
}

/** The messenger core's API, plus the browser's members. */
export type BrowserMessenger = Messenger & BrowserExtras

/**
 * Opens this tab's Ferry device over IndexedDB. Throws StoreInUseError when another tab runs the
 * store (unless `takeOver`), RelinkRequiredError when the store was evicted or damaged (link this
 * browser again after deleteBrowserStore), UnsupportedBrowserError outside a secure context.
 */
export async function createBrowserMessenger(
  options: BrowserMessengerOptions = {},
): Promise<BrowserMessenger> {
  const name = options.name ?? DEFAULT_STORE_NAME
  const lock = await acquireWriterLock(name, {
    takeOver: options.takeOver ?? false,
    ...(options.takeOverGraceMs === undefined ? {} : { graceMs: options.takeOverGraceMs }),
  })
  let db: Store | undefined
  const makeHost =
    options.createHost ??
    browserHost({
      connectionPolicy: options.connectionPolicy ?? 'default',
      iceServers: options.iceServers ?? [],
      webRTC: options.webRTC ?? true,
    })
  const hosts: HostHandle = { current: undefined }
  try {
    db = await openStore(name, options.durability ?? 'strict', options.readCache ?? true)
    const messenger = await createMessenger({
      db: db as unknown as MessengerInit['db'],
      createHost: async (init) => {
        const host = await makeHost(init)
        hosts.current = host
        return host
      },
      ...(options.listen === undefined ? {} : { listen: options.listen }),
      ...(options.provider === undefined ? {} : { provider: options.provider }),
      ...(options.now === undefined ? {} : { now: options.now }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    })
    if (!messenger.hasAccount && hasMarker(name)) {
      await messenger.close()
      throw new RelinkRequiredError(
        "this browser's Ferry store was evicted or cleared: delete it (deleteBrowserStore) and link this browser again",
      )
    }
    if (messenger.hasAccount) {
      setMarker(name)
    }
    return new BrowserDevice(name, messenger, lock, hosts).view
  } catch (err) {
    if (db !== undefined && db.status !== 'closed') {
      await db.close().catch(() => {})
    }
    lock.release()
    throw err
  }
}

/** The last host the messenger built (its running one once started). */
interface HostHandle {
  current: Awaited<ReturnType<CreateHost>> | undefined
}

function transportOf(remoteAddr: string): ConnectionInfo['transport'] {
  if (remoteAddr.includes('/p2p-circuit/webrtc') || remoteAddr.includes('/webrtc/')) {
    return 'webrtc'
  }
  if (remoteAddr.includes('/p2p-circuit')) {
    return 'relayed'
  }
  return remoteAddr.includes('/ws') ? 'websocket' : 'other'
}

/** The tab's side of one messenger: the lock's life tied to the messenger's. */
class BrowserDevice {
  readonly view: BrowserMessenger
  readonly #messenger: Messenger
  readonly #lock: WriterLock
  readonly #takenOver = new Set<() => void>()
  #state: 'active' | 'closed' | 'taken-over' = 'active'
  #closing: Promise<void> | undefined

  constructor(name: string, messenger: Messenger, lock: WriterLock, hosts: HostHandle) {
    this.#messenger = messenger
    this.#lock = lock
    lock.handOverRequested.then(() => this.#handOver())
    lock.stolen.then(() => this.#handOver())
    const device = this
    const extras: BrowserExtras & Pick<Messenger, 'close' | 'createAccount' | 'linkDevice'> = {
      storeName: name,
      get active() {
        return device.#state === 'active'
      },
      onTakenOver: (listener) => {
        this.#takenOver.add(listener)
        return () => this.#takenOver.delete(listener)
      },
      storage: () => storageStatus(),
      connections: () =>
        messenger.started && hosts.current !== undefined
          ? hosts.current.getConnections().map((c) => {
              const remoteAddr = c.remoteAddr.toString()
              return {
                peerId: c.remotePeer.toString(),
                remoteAddr,
                transport: transportOf(remoteAddr),
                direction: c.direction,
              }
            })
          : [],
      addresses: () =>
        messenger.started && hosts.current !== undefined
          ? hosts.current.getMultiaddrs().map((a) => a.toString())
          : [],
      close: () => this.#close('closed'),
      createAccount: async (options) => this.#marked(await this.#live().createAccount(options)),
      linkDevice: async (code, options) => this.#marked(await this.#live().linkDevice(code, options)),
    }
    this.view = new Proxy(messenger, {
      get: (target, prop) => {
        if (Object.hasOwn(extras, prop)) {
          return Reflect.get(extras, prop, extras)
        }
        const value = Reflect.get(target, prop, target)
        if (typeof value !== 'function') {
          return value
        }
        const method = value as (...a: unknown[]) => unknown
        const isAsync = method.constructor.name === 'AsyncFunction'
        return (...args: unknown[]) => {
          if (this.#state === 'taken-over') {
            // an async method rejects, as it would for any other failure; a synchronous one throws
            const error = new TakenOverError('another tab has taken this Ferry store over')
            if (isAsync) {
              return Promise.reject(error)
            }
            throw error
          }
          return method.apply(target, args)
        }
      },
    }) as BrowserMessenger
  }

  #live(): Messenger {
    if (this.#state === 'taken-over') {
      throw new TakenOverError('another tab has taken this Ferry store over')
    }
    return this.#messenger
  }

  async #marked(info: AccountInfo): Promise<AccountInfo> {
    setMarker(this.view.storeName)
    await requestPersistence()
    return info
  }

  async #handOver(): Promise<void> {
    if (this.#state !== 'active') {
      return
    }
    // the store is handed over whether or not closing went cleanly
    await this.#close('taken-over').catch(() => {})
    for (const listener of this.#takenOver) {
      try {
        listener()
      } catch {
        // a listener's failure is its own
      }
    }
    this.#takenOver.clear()
  }

  #close(state: 'closed' | 'taken-over'): Promise<void> {
    if (this.#closing === undefined) {
      this.#state = state
      this.#closing = this.#messenger.close().finally(() => this.#lock.release())
    }
    return this.#closing
  }
}
