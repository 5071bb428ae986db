/**
 * The courier's first attempt at what a send just committed: the entries are handed over with the
 * kick and tried before the outbox is read (a range read of the store, a thread-pool round trip with
 * classic-level), so the deposit leaves as soon as the send's batch is durable. A pass already
 * running leaves them to the next one, and no entry is attempted twice.
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
  return outboxEntry(mark, {
    mailboxes: [
      {
        relayPeerId: new Uint8Array(38),
        relayAddrs: ['/ip4/127.0.0.1/tcp/4001'],
        mailboxId: new Uint8Array(32),
      },
    ],
  })
}

/**
 * What happened, in order: 'list' for each read of the due outbox, 'next' for each read of the
 * soonest entry (the timer's), 'deposit:<mark>' for each deposit (refused for the marks in `refuse`).
 */
async function setup(options: { holdFirstList?: Promise<void>; refuse?: number[] } = {}) {
  const store: ClientStore = await openClientStore(new MemoryLevel() as never)
  const queue = new StateQueue(store, () => {})
  const events: string[] = []
  const outbox = store.outbox
  const listPending = outbox.listPending.bind(outbox)
  let lists = 0
  let reached!: () => void
  const firstListReached = new Promise<void>((resolve) => {
    reached = resolve
  })
  Object.defineProperty(outbox, 'listPending', {
    configurable: true,
    value: async (...args: Parameters<typeof listPending>) => {
      const found = await listPending(...args)
      if (args[0].dueBy === undefined) {
        events.push('next')
      } else {
        events.push('list')
        if (lists++ === 0) {
          reached()
          await options.holdFirstList
        }
      }
      return found
    },
  })
  const network = {
    isConnected: () => false,
    mailbox: {
      deposit: async (_addrs: unknown, request: { envelopeId: Uint8Array }) => {
        events.push(`deposit:${request.envelopeId[0]}`)
        if (options.refuse?.includes(request.envelopeId[0]!) === true) {
          return { status: 'refused', code: 3, reason: 'MAILBOX_FULL', description: '' }
        }
        return { status: 'stored', expiresAt: Date.now() + 60_000 }
      },
    },
  }
  const courier = new Courier({
    context: { provider: await getDefaultProvider(), now: Date.now },
    store,
    queue,
    directory: { peerIdOf: async () => undefined },
    network: () => network as never,
    log: Object.assign(() => {}, { enabled: false, error: () => {}, trace: () => {} }) as never,
  })
  const put = (e: OutboxEntry) => queue.run(async (unit) => unit.outbox.put(e))
  const covered = async (e: OutboxEntry) => {
    await courier.waitDrained([e.messageId], AbortSignal.timeout(WAIT_LIMIT_MS))
    return (await store.outbox.forMessage(e.messageId)).length === 0
  }
  const until = async (check: () => boolean) => {
    const deadline = Date.now() + WAIT_LIMIT_MS
    while (!check()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out; events: ${events.join(' ')}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  /** A full pass, over once it has read the soonest entry for its timer. */
  const settledPass = async () => {
    courier.kick()
    await until(() => events.includes('next'))
  }
  return { store, courier, events, put, covered, firstListReached, settledPass, until }
}

describe('courier, fresh entries', () => {
  it('attempts the entries a kick hands over before it reads the outbox', async () => {
    const { courier, events, put, covered } = await setup()
    const a = entry(1)
    await put(a)
    courier.kick([a])
    expect(await covered(a)).toBe(true)
    expect(events[0]).toBe('deposit:1')
    expect(events.filter((e) => e === 'deposit:1')).toHaveLength(1)
    await courier.stop()
  })

  it('leaves fresh entries to the next pass while one runs, and attempts each once', async () => {
    let release!: () => void
    const holdFirstList = new Promise<void>((resolve) => {
      release = resolve
    })
    const { courier, events, put, covered, firstListReached } = await setup({ holdFirstList })
    const a = entry(1)
    await put(a)
    courier.kick() // a pass that lists `a` and is held there
    await firstListReached
    const b = entry(2)
    await put(b)
    courier.kick([b]) // a pass runs: `b` waits for the next one
    expect(events).toEqual(['list'])
    release()
    expect(await covered(a)).toBe(true)
    expect(await covered(b)).toBe(true)
    expect(events.filter((e) => e.startsWith('deposit:')).sort()).toEqual(['deposit:1', 'deposit:2'])
    await courier.stop()
  })

  it('after a pass that read the outbox to its end, tries handed-over entries without reading it again', async () => {
    const { courier, events, put, covered, settledPass } = await setup()
    await settledPass()
    expect(events).toEqual(['list', 'next'])
    events.length = 0
    const a = entry(1)
    const b = entry(2)
    await put(a)
    await put(b)
    courier.kick([a, b])
    expect(await covered(a)).toBe(true)
    expect(await covered(b)).toBe(true)
    expect(events.sort()).toEqual(['deposit:1', 'deposit:2']) // no read of the outbox at all
    // the same entries handed over again (several jobs of one batch): nothing more happens
    courier.kick([a])
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(events).toHaveLength(2)
    await courier.stop()
  })

  it('reads the outbox for the timer when a handed-over entry stays in it, and tries it again later', async () => {
    const { store, courier, events, put, settledPass, until } = await setup({ refuse: [5] })
    await settledPass()
    events.length = 0
    const refused = entry(5)
    await put(refused)
    courier.kick([refused])
    await until(() => events.includes('next'))
    expect(events).toEqual(['deposit:5', 'next'])
    const [left] = await store.outbox.forMessage(refused.messageId)
    expect(left?.attempts).toBe(1)
    expect(left!.nextAttemptAt).toBeGreaterThan(Date.now()) // due later: the timer is set for it
    // the timer's pass tries it again (after the first backoff)
    await until(() => events.filter((e) => e === 'deposit:5').length === 2)
    await courier.stop()
  })

  it('does not attempt a handed-over entry that is not due or was attempted before', async () => {
    const { courier, events, put } = await setup()
    const later = { ...entry(3), nextAttemptAt: Date.now() + 60_000 }
    const retried = { ...entry(4), attempts: 1 }
    await put(later)
    courier.kick([later, retried])
    await courier.stop()
    expect(events.some((e) => e.startsWith('deposit:'))).toBe(false)
  })
})
