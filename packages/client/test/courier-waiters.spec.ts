/**
 * The courier's waiters (waitDrained, waitUntil) against a change that lands while they read the
 * store: a settle and its notify between their read and their wait must wake them at once, not be
 * missed until the caller's deadline (a group change through a daemon waited out its whole cover
 * deadline, or forever, this way). The store's read is held at that exact point by a gate.
 */
import { getDefaultProvider } from '@ferry/crypto'
import { type ClientStore, type OutboxEntry, openClientStore } from '@ferry/storage'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { Courier } from '../src/courier.js'
import { StateQueue } from '../src/state-queue.js'
import { outboxEntry } from './helpers/outbox.js'

const WAIT_LIMIT_MS = 5_000

function entry(mark: number): OutboxEntry {
  return outboxEntry(mark, { nextAttemptAt: Date.now() + 60_000 })
}

/** Holds the next `forMessage` read of the store's outbox, after it read, until released. */
function holdNextRead(store: ClientStore) {
  const outbox = store.outbox
  const original = outbox.forMessage.bind(outbox)
  let release!: () => void
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  let reached!: () => void
  const held = new Promise<void>((resolve) => {
    reached = resolve
  })
  let once = true
  Object.defineProperty(outbox, 'forMessage', {
    configurable: true,
    value: async (id: Uint8Array) => {
      const found = await original(id)
      if (once) {
        once = false
        reached()
        await released
      }
      return found
    },
  })
  return { held, release }
}

async function setup() {
  const store = await openClientStore(new MemoryLevel() as never)
  const queue = new StateQueue(store, () => {})
  const courier = new Courier({
    context: { provider: await getDefaultProvider(), now: Date.now },
    store,
    queue,
    directory: { peerIdOf: async () => undefined },
    network: () => undefined,
    log: Object.assign(() => {}, { enabled: false, error: () => {}, trace: () => {} }) as never,
  })
  return { store, queue, courier }
}

describe('courier waiters', () => {
  it('waitDrained wakes for a settle that lands between its read and its wait', async () => {
    const { store, queue, courier } = await setup()
    const a = entry(1)
    await queue.run(async (unit) => unit.outbox.put(a))
    const gate = holdNextRead(store)
    const started = Date.now()
    const waiting = courier.waitDrained([a.messageId], AbortSignal.timeout(WAIT_LIMIT_MS))
    await gate.held // it has read the entry, and not started waiting yet
    await queue.run(async (unit) => {
      await unit.outbox.delete(a.messageId, a.recipient)
    })
    courier.notify(a.messageId)
    gate.release()
    await waiting
    expect(Date.now() - started).toBeLessThan(WAIT_LIMIT_MS / 2)
    expect(await store.outbox.forMessage(a.messageId)).toEqual([])
  })

  it('waitUntil wakes for a notify that lands while its check reads', async () => {
    const { courier } = await setup()
    const id = new Uint8Array(16).fill(2)
    let done = false
    let release!: () => void
    const reading = new Promise<void>((resolve) => {
      release = resolve
    })
    let checks = 0
    const started = Date.now()
    const waiting = courier.waitUntil(
      id,
      async () => {
        checks++
        const seen = done
        if (checks === 1) {
          await reading // the state moves and is announced while this check is under way
        }
        return seen
      },
      AbortSignal.timeout(WAIT_LIMIT_MS),
    )
    await new Promise((resolve) => setTimeout(resolve, 10))
    done = true
    courier.notify(id)
    release()
    await waiting
    expect(Date.now() - started).toBeLessThan(WAIT_LIMIT_MS / 2)
    expect(checks).toBe(2)
  })
})
