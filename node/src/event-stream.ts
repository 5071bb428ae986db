/**
 * A reader's view of the messenger's events: every stored event after a cursor, in cursor order,
 * then the new ones as they are committed, with no gap and no repeat. The messenger commits each
 * event before it tells listeners, so the reader listens first, pages through the store, and then
 * drains what it heard meanwhile, skipping cursors it already passed (and re-reading the store when a
 * cursor is skipped, so an event told out of order is not lost). Typing indicators are never stored:
 * they pass through live only.
 */
import type { Messenger, MessengerEvent, StoredMessengerEvent } from '@ferry/client'
import { EVENTS_PAGE } from './constants.js'

export interface EventSink {
  /** One event; the next is not given before the returned promise settles. */
  event(event: MessengerEvent): void | Promise<void>
  /** Every stored event up to `cursor` has been given: what follows is live. */
  caughtUp(cursor: number): void | Promise<void>
}

/** Streams events after `since` into `sink` until `signal` aborts (then resolves). */
export async function followEvents(
  messenger: Pick<Messenger, 'on' | 'eventsSince'>,
  since: number,
  sink: EventSink,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) {
    return
  }
  let last = since
  let chain: Promise<void> = Promise.resolve()
  let failed: unknown
  const heard: MessengerEvent[] = []
  let live = false

  const catchUp = async (): Promise<void> => {
    for (;;) {
      const page: StoredMessengerEvent[] = await messenger.eventsSince(last, EVENTS_PAGE)
      for (const event of page) {
        if (event.cursor > last) {
          last = event.cursor
          await sink.event(event)
        }
      }
      if (page.length < EVENTS_PAGE || signal.aborted) {
        return
      }
    }
  }

  const deliver = async (event: MessengerEvent): Promise<void> => {
    if (!('cursor' in event)) {
      await sink.event(event)
      return
    }
    if (event.cursor <= last) {
      return
    }
    if (event.cursor !== last + 1) {
      // an event in between was not heard (yet): the store has it
      await catchUp()
      if (event.cursor <= last) {
        return
      }
    }
    last = event.cursor
    await sink.event(event)
  }

  let finish: (() => void) | undefined
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const enqueue = (event: MessengerEvent): void => {
    chain = chain
      .then(() => (signal.aborted || failed !== undefined ? undefined : deliver(event)))
      .catch((err: unknown) => {
        failed ??= err
        finish?.()
      })
  }

  const off = messenger.on('*', (event) => {
    if (live) {
      enqueue(event)
    } else if ('cursor' in event) {
      heard.push(event)
    }
  })
  const onAbort = (): void => finish?.()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    await catchUp()
    // events heard while paging (more may be heard while these are given)
    for (let event = heard.shift(); event !== undefined; event = heard.shift()) {
      await deliver(event)
    }
    // from here events are given in the order heard, after the caught-up mark
    live = true
    const caughtUpAt = last
    chain = chain
      .then(() => sink.caughtUp(caughtUpAt))
      .catch((err: unknown) => {
        failed ??= err
        finish?.()
      })
    await finished
    await chain
  } finally {
    off()
    signal.removeEventListener('abort', onAbort)
  }
  if (failed !== undefined) {
    throw failed
  }
}
