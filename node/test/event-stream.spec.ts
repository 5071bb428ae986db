/**
 * followEvents over a scripted event log: the stored events after a cursor, then live ones, each once
 * and in cursor order, whatever is committed while the reader pages through the store.
 */
import type { MessengerEvent, StoredMessengerEvent } from '@ferry/client'
import { describe, expect, it } from 'vitest'
import { followEvents } from '../src/event-stream.js'

/** An event log like the messenger's: committed first, then told to listeners. */
class FakeLog {
  readonly stored: StoredMessengerEvent[] = []
  readonly listeners = new Set<(event: MessengerEvent) => void>()
  /** Runs before each page is returned (to commit events "while" the reader pages). */
  onPage: (() => void) | undefined

  on(_type: '*', listener: (event: MessengerEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async eventsSince(cursor: number, limit = 100): Promise<StoredMessengerEvent[]> {
    this.onPage?.()
    await Promise.resolve()
    return this.stored.filter((e) => e.cursor > cursor).slice(0, limit)
  }

  commit(text: string, options: { tell?: boolean } = {}): StoredMessengerEvent {
    const event: StoredMessengerEvent = {
      type: 'message',
      cursor: this.stored.length + 1,
      id: text,
      conversation: 'c',
      direction: 'in',
      from: 'a',
      fromDevice: 1,
      text,
      sentAt: 0,
      receivedAt: 0,
    }
    this.stored.push(event)
    if (options.tell !== false) {
      this.tell(event)
    }
    return event
  }

  tell(event: MessengerEvent): void {
    for (const listener of this.listeners) {
      listener(event)
    }
  }
}

async function collect(
  log: FakeLog,
  since: number,
  during: (stop: () => void, got: MessengerEvent[]) => Promise<void>,
): Promise<{ events: MessengerEvent[]; caughtUp: number[] }> {
  const events: MessengerEvent[] = []
  const caughtUp: number[] = []
  const controller = new AbortController()
  const done = followEvents(
    log as never,
    since,
    { event: (e) => void events.push(e), caughtUp: (c) => void caughtUp.push(c) },
    controller.signal,
  )
  await during(() => controller.abort(), events)
  await done
  return { events, caughtUp }
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  expect(check()).toBe(true)
}

const cursors = (events: MessengerEvent[]): number[] => events.map((e) => ('cursor' in e ? e.cursor : -1))

describe('followEvents', () => {
  it('gives the stored events after the cursor, marks the catch-up, then live events', async () => {
    const log = new FakeLog()
    for (const t of ['a', 'b', 'c']) log.commit(t)
    const { events, caughtUp } = await collect(log, 1, async (stop, got) => {
      await until(() => got.length === 2)
      log.commit('d')
      await until(() => got.length === 3)
      stop()
    })
    expect(cursors(events)).toEqual([2, 3, 4])
    expect(caughtUp).toEqual([3])
  })

  it('pages through more than one page of stored events', async () => {
    const log = new FakeLog()
    for (let i = 0; i < 600; i++) log.commit(`m${i}`)
    const { events, caughtUp } = await collect(log, 0, async (stop, got) => {
      await until(() => got.length === 600)
      stop()
    })
    expect(cursors(events)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1))
    expect(caughtUp).toEqual([600])
  })

  it('gives each event once when it is committed and told while the reader pages through the store', async () => {
    const log = new FakeLog()
    log.commit('a')
    let pages = 0
    log.onPage = () => {
      // committed before the page is read: the page has it, and the listener hears it too
      if (pages++ === 0) log.commit('b')
    }
    const { events } = await collect(log, 0, async (stop, got) => {
      await until(() => got.length >= 2)
      log.commit('c')
      await until(() => got.length >= 3)
      stop()
    })
    expect(cursors(events)).toEqual([1, 2, 3])
  })

  it('reads the store again when a live event skips a cursor (an event told late is not lost)', async () => {
    const log = new FakeLog()
    log.commit('a')
    const { events } = await collect(log, 0, async (stop, got) => {
      await until(() => got.length === 1)
      const late = log.commit('b', { tell: false })
      log.commit('c')
      await until(() => got.length === 3)
      log.tell(late) // told after the one that followed it: already given, not given again
      await new Promise((resolve) => setTimeout(resolve, 20))
      stop()
    })
    expect(cursors(events)).toEqual([1, 2, 3])
  })

  it('passes typing indicators through live only', async () => {
    const log = new FakeLog()
    log.commit('a')
    const { events } = await collect(log, 0, async (stop, got) => {
      await until(() => got.length === 1)
      log.tell({ type: 'typing', from: 'a', fromDevice: 1, started: true })
      await until(() => got.length === 2)
      stop()
    })
    expect(events.map((e) => e.type)).toEqual(['message', 'typing'])
  })

  it('ends with the error of a sink that fails on a live event, and stops listening', async () => {
    const log = new FakeLog()
    const controller = new AbortController()
    const done = followEvents(
      log as never,
      0,
      {
        event: () => {
          throw new Error('stdout is gone')
        },
        caughtUp: () => {},
      },
      controller.signal,
    )
    await until(() => log.listeners.size === 1)
    await new Promise((resolve) => setTimeout(resolve, 10))
    log.commit('a')
    await expect(done).rejects.toThrow('stdout is gone')
    expect(log.listeners.size).toBe(0)
  })
})
