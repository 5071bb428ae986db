/**
 * The page the browser tests and the browser benchmark drive: it loads the library as an app would
 * and exposes it as the global `harness`, with the open messenger, every event it emitted and when
 * each message arrived, so `page.evaluate` bodies stay short. Nothing here is part of the library.
 */

import type { BrowserMessenger, BrowserMessengerOptions, MessengerEvent } from '@ferry/browser'
import * as ferry from '@ferry/browser'
import { BrowserLevel } from 'browser-level'
// internals the tests check directly
import { CachedBrowserLevel } from '../../../browser/src/cached-store.js'

export interface Harness {
  readonly ferry: typeof ferry
  readonly internals: { CachedBrowserLevel: typeof CachedBrowserLevel; BrowserLevel: typeof BrowserLevel }
  messenger: BrowserMessenger | undefined
  readonly events: MessengerEvent[]
  takenOver: boolean
  /** Opens the messenger (recording every event); resolves to the error's name on failure. */
  open(options: BrowserMessengerOptions): Promise<string | undefined>
  /** When each received message's text arrived (ms since the epoch, sub-millisecond). */
  readonly arrivals: Record<string, number>
  /** The clock `arrivals` use. */
  now(): number
  /**
   * Opens and starts the messenger, waits for its relay connection, and returns the milliseconds
   * since navigation start (what the page-load-to-ready benchmark reports).
   */
  ready(options: BrowserMessengerOptions): Promise<number>
}

const api: Harness = {
  ferry,
  internals: { CachedBrowserLevel, BrowserLevel },
  messenger: undefined,
  events: [],
  takenOver: false,
  arrivals: {},
  now: () => performance.timeOrigin + performance.now(),
  async ready(options) {
    const failure = await api.open(options)
    if (failure !== undefined) {
      throw new Error(`the messenger did not open: ${failure}`)
    }
    await api.messenger!.start()
    while (!api.messenger!.connections().some((c) => c.transport === 'websocket')) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    return performance.now()
  },
  async open(options) {
    try {
      const messenger = await ferry.createBrowserMessenger(options)
      api.messenger = messenger
      messenger.on('*', (event) => api.events.push(event))
      messenger.on('message', (event) => {
        api.arrivals[event.text] = api.now()
      })
      messenger.onTakenOver(() => {
        api.takenOver = true
      })
      return undefined
    } catch (err) {
      return (err as Error).name
    }
  },
}

declare global {
  // the tests' page.evaluate bodies reach the harness as `harness`
  var harness: Harness
}

globalThis.harness = api
document.getElementById('state')!.textContent = 'ready'
