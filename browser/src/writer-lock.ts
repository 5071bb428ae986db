/**
 * One writer per store, across the tabs and windows of an origin (Web Locks). The lock is taken
 * before the store is opened and released after it is closed, so a second tab never runs a node with
 * the same keys. Taking over is cooperative first: the new tab asks over a BroadcastChannel, the
 * writer closes its messenger (in-flight writes finish) and releases; only a writer that does not
 * answer within TAKEOVER_GRACE_MS loses the lock by force (`steal`).
 */
import { CHANNEL_PREFIX, LOCK_PREFIX, TAKEOVER_GRACE_MS } from './constants.js'
import { StoreInUseError, UnsupportedBrowserError } from './errors.js'

/** Why a held lock ended without this tab releasing it. */
export type LockLoss = 'handed-over' | 'stolen'

export interface WriterLock {
  /** Resolves when another tab asks for the store; the holder closes and then calls release(). */
  readonly handOverRequested: Promise<void>
  /** Resolves if the lock is taken by force while held. */
  readonly stolen: Promise<void>
  /** Releases the lock (idempotent). */
  release(): void
}

export interface AcquireOptions {
  /** Ask the writer tab to hand over (and take the lock by force if it does not answer). */
  readonly takeOver?: boolean
  /** How long to wait for a cooperative hand-over. Default: TAKEOVER_GRACE_MS. */
  readonly graceMs?: number
}

type HandOverMessage = { readonly type: 'hand-over' }

function locks(): LockManager {
  const manager = (globalThis.navigator as Navigator | undefined)?.locks
  if (manager === undefined) {
    throw new UnsupportedBrowserError(
      'this page has no Web Locks (it must be a secure context: https or localhost)',
    )
  }
  return manager
}

/**
 * Requests the lock with `options`; resolves with the held lock, or undefined when `ifAvailable`
 * found it taken. Rejects with the request's error (an abort).
 */
function request(name: string, options: LockOptions): Promise<WriterLock | undefined> {
  return new Promise<WriterLock | undefined>((resolve, reject) => {
    let acquired = false
    let release!: () => void
    const released = new Promise<void>((r) => {
      release = r
    })
    let markStolen!: () => void
    const stolen = new Promise<void>((r) => {
      markStolen = r
    })
    const channel = new BroadcastChannel(`${CHANNEL_PREFIX}${name}`)
    let askHandOver!: () => void
    const handOverRequested = new Promise<void>((r) => {
      askHandOver = r
    })
    channel.onmessage = (event: MessageEvent<HandOverMessage>) => {
      if (acquired && event.data?.type === 'hand-over') {
        askHandOver()
      }
    }
    locks()
      .request(`${LOCK_PREFIX}${name}`, options, async (lock) => {
        if (lock === null) {
          channel.close()
          resolve(undefined)
          return
        }
        acquired = true
        resolve({
          handOverRequested,
          stolen,
          release: () => {
            channel.close()
            release()
          },
        })
        await released
      })
      .catch((err: unknown) => {
        channel.close()
        if (acquired) {
          markStolen() // a held lock's request rejects only when another tab steals it
        } else {
          reject(err)
        }
      })
  })
}

/**
 * Takes the writer lock of store `name`. Without `takeOver`, throws StoreInUseError when another tab
 * holds it. With `takeOver`, asks the holder to hand over and waits up to the grace period, then
 * takes it by force.
 */
export async function acquireWriterLock(name: string, options: AcquireOptions = {}): Promise<WriterLock> {
  const free = await request(name, { mode: 'exclusive', ifAvailable: true })
  if (free !== undefined) {
    return free
  }
  if (options.takeOver !== true) {
    throw new StoreInUseError(
      `the Ferry store "${name}" is open in another tab: close it there, or take it over here`,
    )
  }
  const channel = new BroadcastChannel(`${CHANNEL_PREFIX}${name}`)
  channel.postMessage({ type: 'hand-over' } satisfies HandOverMessage)
  channel.close()
  try {
    const handed = await request(name, {
      mode: 'exclusive',
      signal: AbortSignal.timeout(options.graceMs ?? TAKEOVER_GRACE_MS),
    })
    if (handed !== undefined) {
      return handed
    }
  } catch (err) {
    if ((err as Error).name !== 'TimeoutError' && (err as Error).name !== 'AbortError') {
      throw err
    }
  }
  const stolen = await request(name, { mode: 'exclusive', steal: true })
  if (stolen === undefined) {
    throw new StoreInUseError(`the Ferry store "${name}" could not be taken over`)
  }
  return stolen
}
