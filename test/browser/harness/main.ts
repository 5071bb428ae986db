/**
 * The page the browser tests drive: it loads the library as an app would and exposes it on
 * `window.ferry`, with a place for the open messenger and every event it emits, so a test's
 * `page.evaluate` bodies stay short. Nothing here is part of the library.
 */

import type { BrowserMessenger, BrowserMessengerOptions, MessengerEvent } from '@ferry/browser'
import * as ferry from '@ferry/browser'

export interface Harness {
  readonly ferry: typeof ferry
  messenger: BrowserMessenger | undefined
  readonly events: MessengerEvent[]
  takenOver: boolean
  /** Opens the messenger (recording every event); resolves to the error's name on failure. */
  open(options: BrowserMessengerOptions): Promise<string | undefined>
  /** Milliseconds from navigation start to when the last `open` + `start` finished. */
  readyAt: number | undefined
}

const api: Harness = {
  ferry,
  messenger: undefined,
  events: [],
  takenOver: false,
  readyAt: undefined,
  async open(options) {
    try {
      const messenger = await ferry.createBrowserMessenger(options)
      api.messenger = messenger
      messenger.on('*', (event) => api.events.push(event))
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
