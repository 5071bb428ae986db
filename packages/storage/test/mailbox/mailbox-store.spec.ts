import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_TTL_MS,
  INLINE_MAILBOXES,
  InvalidRequestError,
  MAX_GROUP_COMMIT_REQUESTS,
  MailboxStore,
  type MailboxStoreInit,
  StoreClosedError,
  type StoredEnvelope,
} from '../../src/index.js'
import {
  clock,
  envelopeId,
  hex,
  instrumentBatches,
  ioError,
  mailboxId,
  memoryDb,
  payload,
  reopenAtOnce,
} from '../helpers.js'

async function setup(init: MailboxStoreInit = {}) {
  const db = reopenAtOnce(memoryDb())
  const batches = instrumentBatches(db)
  const time = clock()
  const store = await MailboxStore.open(db, { now: time.now, ...init })
  return { db, store, time, batches }
}

const ids = (envelopes: StoredEnvelope[]): string[] => envelopes.map((e) => hex(e.envelopeId))

/** Holds the first batch written until `release()`; `firstStarted` resolves once it is held. */
function holdFirstBatch(batches: { gate?: () => Promise<void> }): {
  firstStarted: Promise<void>
  release: () => void
} {
  let release: (() => void) | undefined
  const firstStarted = new Promise<void>((started) => {
    batches.gate = async () => {
      if (release === undefined) {
        await new Promise<void>((r) => {
          release = r
          started()
        })
      }
    }
  })
  return { firstStarted, release: () => release?.() }
}

describe('MailboxStore deposit, list and ack', () => {
  it('lists deposits in arrival order with strictly increasing cursors, paged with after', async () => {
    const { store } = await setup()
    const box = mailboxId(1)
    const deposited = Array.from({ length: 25 }, (_, i) => envelopeId(i))
    for (const id of deposited) {
      expect(
        (await store.deposit({ envelopeId: id, payload: payload(10), mailboxes: [box], ttlMs: 1000 })).status,
      ).toBe('stored')
    }
    const seen: StoredEnvelope[] = []
    let after: Uint8Array | undefined
    for (;;) {
      const page = await store.list(box, { after, limit: 7 })
      if (page.length === 0) break
      expect(page.length).toBeLessThanOrEqual(7)
      seen.push(...page)
      after = page.at(-1)!.cursor
    }
    expect(ids(seen)).toEqual(deposited.map(hex))
    for (let i = 1; i < seen.length; i++) {
      expect(Buffer.compare(seen[i - 1]!.cursor, seen[i]!.cursor)).toBe(-1)
    }
  })

  it('returns payload, depositedAt and expiresAt on the relay clock, TTL capped by config', async () => {
    const { store, time } = await setup({ maxTtlMs: 60_000 })
    const box = mailboxId(1)
    const body = payload(300, 9)
    const outcome = await store.deposit({
      envelopeId: envelopeId(1),
      payload: body,
      mailboxes: [box],
      ttlMs: 1e12,
    })
    expect(outcome).toEqual({ status: 'stored', expiresAt: time.now() + 60_000 })
    const [e] = await store.list(box, { limit: 10 })
    expect(e!.payload).toEqual(body)
    expect(e!.depositedAt).toBe(time.now())
    expect(e!.expiresAt).toBe(time.now() + 60_000)
    const infinite = await store.deposit({
      envelopeId: envelopeId(2),
      payload: body,
      mailboxes: [box],
      ttlMs: Infinity,
    })
    expect(infinite).toEqual({ status: 'stored', expiresAt: time.now() + 60_000 })
  })

  it('defaults the TTL cap to 30 days', async () => {
    const { store, time } = await setup()
    const outcome = await store.deposit({
      envelopeId: envelopeId(1),
      payload: payload(1),
      mailboxes: [mailboxId(1)],
      ttlMs: Infinity,
    })
    expect(outcome).toEqual({ status: 'stored', expiresAt: time.now() + DEFAULT_MAX_TTL_MS })
  })

  it('cursors keep increasing after a mailbox is emptied', async () => {
    const { store } = await setup()
    const box = mailboxId(1)
    await store.deposit({ envelopeId: envelopeId(1), payload: payload(1), mailboxes: [box], ttlMs: 1000 })
    const [first] = await store.list(box, { limit: 10 })
    await store.ack(box, [envelopeId(1)])
    expect(await store.list(box, { limit: 10 })).toEqual([])
    await store.deposit({ envelopeId: envelopeId(2), payload: payload(1), mailboxes: [box], ttlMs: 1000 })
    const page = await store.list(box, { after: first!.cursor, limit: 10 })
    expect(ids(page)).toEqual([hex(envelopeId(2))])
  })

  it('maxBytes stops a page early but always returns at least one envelope', async () => {
    const { store } = await setup()
    const box = mailboxId(1)
    for (let i = 0; i < 5; i++) {
      await store.deposit({ envelopeId: envelopeId(i), payload: payload(100), mailboxes: [box], ttlMs: 1000 })
    }
    expect(await store.list(box, { limit: 10, maxBytes: 250 })).toHaveLength(2)
    expect(await store.list(box, { limit: 10, maxBytes: 10 })).toHaveLength(1)
  })

  it('a byte-capped list reads about one page of entries, not `limit` of them', async () => {
    const { db, store } = await setup()
    const box = mailboxId(1)
    const deposited = Array.from({ length: 200 }, (_, i) => envelopeId(i))
    await Promise.all(
      deposited.map((id) =>
        store.deposit({ envelopeId: id, payload: payload(100), mailboxes: [box], ttlMs: 1000 }),
      ),
    )
    // count the entries the store's iterators hand out
    let read = 0
    const original = db.iterator.bind(db) as (...args: unknown[]) => {
      nextv: (n: number) => Promise<unknown[]>
    }
    ;(db as unknown as { iterator: unknown }).iterator = (...args: unknown[]) => {
      const it = original(...args)
      const nextv = it.nextv.bind(it)
      it.nextv = async (n: number) => {
        const page = await nextv(n)
        read += page.length
        return page
      }
      return it
    }
    const seen: StoredEnvelope[] = []
    let after: Uint8Array | undefined
    for (;;) {
      read = 0
      const page = await store.list(box, { after, limit: 1024, maxBytes: 5000 })
      if (page.length === 0) break
      expect(page.length).toBeLessThanOrEqual(50)
      // the page, the entry that did not fit, and at most one short read past it
      expect(read).toBeLessThanOrEqual(page.length + 2)
      seen.push(...page)
      after = page.at(-1)!.cursor
    }
    expect(ids(seen)).toEqual(deposited.map(hex))
  })

  it('one mailbox’s ack never removes another’s copy; the payload goes with the last ack', async () => {
    const { store } = await setup()
    const [a, b, c] = [mailboxId(1), mailboxId(2), mailboxId(3)]
    const id = envelopeId(1)
    await store.deposit({ envelopeId: id, payload: payload(50), mailboxes: [a, b, c], ttlMs: 1000 })
    expect(await store.status(id)).toEqual({ total: 3, pending: 3, expired: false })
    expect(await store.ack(a, [id])).toBe(1)
    expect(await store.ack(a, [id])).toBe(0) // acking twice changes nothing
    expect(await store.list(a, { limit: 10 })).toEqual([])
    expect(ids(await store.list(b, { limit: 10 }))).toEqual([hex(id)])
    expect(ids(await store.list(c, { limit: 10 }))).toEqual([hex(id)])
    expect(await store.status(id)).toEqual({ total: 3, pending: 2, expired: false })
    expect(store.stats().storedEnvelopes).toBe(1)
    await store.ack(b, [id])
    await store.ack(c, [id])
    expect(await store.status(id)).toEqual({ total: 3, pending: 0, expired: false })
    expect(store.stats()).toMatchObject({ storedEnvelopes: 0, storedBytes: 0, acks: 3 })
  })

  it('acks for envelopes a mailbox does not hold change nothing (foreign, unknown, repeated)', async () => {
    const { store } = await setup()
    const [a, b, stranger] = [mailboxId(1), mailboxId(2), mailboxId(3)]
    await store.deposit({ envelopeId: envelopeId(1), payload: payload(10), mailboxes: [a], ttlMs: 1000 })
    await store.deposit({ envelopeId: envelopeId(2), payload: payload(10), mailboxes: [b], ttlMs: 1000 })
    expect(await store.ack(stranger, [envelopeId(1), envelopeId(2)])).toBe(0)
    expect(await store.ack(a, [envelopeId(2), envelopeId(99)])).toBe(0)
    expect(await store.ack(a, [envelopeId(1), envelopeId(1)])).toBe(1)
    expect(ids(await store.list(b, { limit: 10 }))).toEqual([hex(envelopeId(2))])
    expect(await store.status(envelopeId(2))).toEqual({ total: 1, pending: 1, expired: false })
    expect(await store.usage(b)).toEqual({ envelopes: 1, bytes: 10 })
    expect(await store.usage(stranger)).toEqual({ envelopes: 0, bytes: 0 })
  })

  it('counts a mailbox listed twice in one deposit once', async () => {
    const { store } = await setup()
    const a = mailboxId(1)
    await store.deposit({
      envelopeId: envelopeId(1),
      payload: payload(10),
      mailboxes: [a, a.slice()],
      ttlMs: 1000,
    })
    expect(await store.status(envelopeId(1))).toEqual({ total: 1, pending: 1, expired: false })
    expect(await store.list(a, { limit: 10 })).toHaveLength(1)
    expect(await store.usage(a)).toEqual({ envelopes: 1, bytes: 10 })
  })

  it('an ack in the same batch as the deposit it acks sees the deposit', async () => {
    const { store } = await setup()
    const a = mailboxId(1)
    const [outcome, acked] = await Promise.all([
      store.deposit({ envelopeId: envelopeId(1), payload: payload(10), mailboxes: [a], ttlMs: 1000 }),
      store.ack(a, [envelopeId(1)]),
    ])
    expect(outcome.status).toBe('stored')
    expect(acked).toBe(1)
    expect(await store.list(a, { limit: 10 })).toEqual([])
    expect(store.stats().storedEnvelopes).toBe(0)
  })
})

describe('MailboxStore fan-out', () => {
  it('an envelope for more mailboxes than fit inline: each mailbox acks its copy, the last removes the payload', async () => {
    const { store, time } = await setup()
    const boxes = Array.from({ length: INLINE_MAILBOXES + 4 }, (_, i) => mailboxId(i))
    await store.deposit({ envelopeId: envelopeId(1), payload: payload(40), mailboxes: boxes, ttlMs: 1000 })
    await store.deposit({ envelopeId: envelopeId(2), payload: payload(30), mailboxes: boxes, ttlMs: 1000 })
    for (const box of boxes.slice(1)) {
      expect(ids(await store.list(box, { limit: 10 }))).toEqual([hex(envelopeId(1)), hex(envelopeId(2))])
      expect(await store.ack(box, [envelopeId(1)])).toBe(1)
    }
    expect(await store.status(envelopeId(1))).toEqual({ total: boxes.length, pending: 1, expired: false })
    expect(store.stats()).toMatchObject({ storedEnvelopes: 2, storedBytes: 70 })
    expect(await store.ack(boxes[0]!, [envelopeId(1)])).toBe(1)
    expect(await store.status(envelopeId(1))).toEqual({ total: boxes.length, pending: 0, expired: false })
    expect(store.stats()).toMatchObject({ storedEnvelopes: 1, storedBytes: 30 })
    // the other envelope expires with every copy pending
    time.advance(1000)
    expect(await store.sweepExpired()).toEqual({ expired: 1, forgotten: 1, more: false })
    expect(await store.status(envelopeId(2))).toEqual({
      total: boxes.length,
      pending: boxes.length,
      expired: true,
    })
    for (const box of boxes) {
      expect(await store.usage(box)).toEqual({ envelopes: 0, bytes: 0 })
    }
    expect(store.stats()).toMatchObject({ storedEnvelopes: 0, storedBytes: 0, mailboxes: 0 })
  })
})

describe('MailboxStore idempotency', () => {
  it('stores the same envelope ID once across batches', async () => {
    const { store } = await setup()
    const [a, b] = [mailboxId(1), mailboxId(2)]
    const first = await store.deposit({
      envelopeId: envelopeId(1),
      payload: payload(10),
      mailboxes: [a],
      ttlMs: 1000,
    })
    const second = await store.deposit({
      envelopeId: envelopeId(1),
      payload: payload(10),
      mailboxes: [a, b],
      ttlMs: 5000,
    })
    expect(first.status).toBe('stored')
    expect(second).toEqual({ status: 'duplicate', expiresAt: (first as { expiresAt: number }).expiresAt })
    expect(await store.list(a, { limit: 10 })).toHaveLength(1)
    expect(await store.list(b, { limit: 10 })).toHaveLength(0) // the original mailbox list stands
    expect(store.stats()).toMatchObject({ deposits: 1, duplicates: 1, storedEnvelopes: 1 })
  })

  it('stores two identical deposits in one batch once', async () => {
    const { store, batches } = await setup()
    const a = mailboxId(1)
    const request = { envelopeId: envelopeId(1), payload: payload(10), mailboxes: [a], ttlMs: 1000 }
    const before = batches.syncCalls
    const outcomes = await Promise.all([store.deposit(request), store.deposit(request)])
    expect(batches.syncCalls - before).toBe(1)
    expect(outcomes.map((o) => o.status).sort()).toEqual(['duplicate', 'stored'])
    expect(await store.list(a, { limit: 10 })).toHaveLength(1)
    expect(await store.usage(a)).toEqual({ envelopes: 1, bytes: 10 })
  })

  it('a re-deposit after every mailbox acked is a duplicate until the envelope’s TTL passes', async () => {
    const { store, time } = await setup()
    const a = mailboxId(1)
    const request = { envelopeId: envelopeId(1), payload: payload(10), mailboxes: [a], ttlMs: 1000 }
    await store.deposit(request)
    await store.ack(a, [envelopeId(1)])
    time.advance(999)
    expect(await store.sweepExpired()).toEqual({ expired: 0, forgotten: 0, more: false })
    expect((await store.deposit(request)).status).toBe('duplicate')
    expect(await store.status(envelopeId(1))).toEqual({ total: 1, pending: 0, expired: false })
    expect(await store.list(a, { limit: 10 })).toEqual([])
    time.advance(1)
    expect(await store.sweepExpired()).toEqual({ expired: 0, forgotten: 1, more: false })
    expect(await store.status(envelopeId(1))).toBeUndefined()
    expect((await store.deposit(request)).status).toBe('stored') // forgotten: stored again
  })
})

describe('MailboxStore quotas', () => {
  it('refuses an oversized payload and too many mailboxes before any write', async () => {
    const { store, batches } = await setup({ maxEnvelopeBytes: 100, maxDepositMailboxes: 2 })
    const before = batches.calls
    expect(
      await store.deposit({
        envelopeId: envelopeId(1),
        payload: payload(101),
        mailboxes: [mailboxId(1)],
        ttlMs: 1000,
      }),
    ).toEqual({ status: 'refused', reason: 'too-large' })
    expect(
      await store.deposit({
        envelopeId: envelopeId(2),
        payload: payload(100),
        mailboxes: [mailboxId(1), mailboxId(2), mailboxId(3)],
        ttlMs: 1000,
      }),
    ).toEqual({ status: 'refused', reason: 'too-many-mailboxes' })
    expect(batches.calls).toBe(before)
    expect(store.stats().refusals).toMatchObject({ 'too-large': 1, 'too-many-mailboxes': 1 })
  })

  it('a full mailbox (count) refuses, evicts nothing, and other mailboxes are unaffected (FAULTS 25)', async () => {
    const { store } = await setup({ mailboxMaxEnvelopes: 3 })
    const [full, other] = [mailboxId(1), mailboxId(2)]
    for (let i = 0; i < 3; i++) {
      await store.deposit({ envelopeId: envelopeId(i), payload: payload(10), mailboxes: [full], ttlMs: 1000 })
    }
    const refused = await store.deposit({
      envelopeId: envelopeId(3),
      payload: payload(10),
      mailboxes: [other, full],
      ttlMs: 1000,
    })
    expect(refused).toEqual({ status: 'refused', reason: 'mailbox-full', mailbox: full })
    // all-or-nothing: the other mailbox did not get the refused envelope either
    expect(await store.list(other, { limit: 10 })).toEqual([])
    expect(await store.status(envelopeId(3))).toBeUndefined()
    expect(ids(await store.list(full, { limit: 10 }))).toEqual([0, 1, 2].map((i) => hex(envelopeId(i))))
    expect(
      (
        await store.deposit({
          envelopeId: envelopeId(4),
          payload: payload(10),
          mailboxes: [other],
          ttlMs: 1000,
        })
      ).status,
    ).toBe('stored')
    // acking frees room
    await store.ack(full, [envelopeId(0)])
    expect(
      (
        await store.deposit({
          envelopeId: envelopeId(5),
          payload: payload(10),
          mailboxes: [full],
          ttlMs: 1000,
        })
      ).status,
    ).toBe('stored')
    expect(store.stats().refusals['mailbox-full']).toBe(1)
  })

  it('a full mailbox (bytes) refuses (FAULTS 25)', async () => {
    const { store } = await setup({ mailboxMaxBytes: 250 })
    const a = mailboxId(1)
    await store.deposit({ envelopeId: envelopeId(1), payload: payload(200), mailboxes: [a], ttlMs: 1000 })
    expect(
      await store.deposit({ envelopeId: envelopeId(2), payload: payload(51), mailboxes: [a], ttlMs: 1000 }),
    ).toEqual({
      status: 'refused',
      reason: 'mailbox-full',
      mailbox: a,
    })
    expect(
      (await store.deposit({ envelopeId: envelopeId(3), payload: payload(50), mailboxes: [a], ttlMs: 1000 }))
        .status,
    ).toBe('stored')
    expect(await store.usage(a)).toEqual({ envelopes: 2, bytes: 250 })
  })

  it('quota checks see earlier deposits of the same batch', async () => {
    const { store } = await setup({ mailboxMaxEnvelopes: 5 })
    const a = mailboxId(1)
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.deposit({ envelopeId: envelopeId(i), payload: payload(1), mailboxes: [a], ttlMs: 1000 }),
      ),
    )
    expect(outcomes.filter((o) => o.status === 'stored')).toHaveLength(5)
    expect(outcomes.filter((o) => o.status === 'refused')).toHaveLength(3)
    expect(await store.usage(a)).toEqual({ envelopes: 5, bytes: 5 })
  })
})

describe('MailboxStore TTL', () => {
  it('refuses a deposit that asks for no lifetime', async () => {
    const { store } = await setup()
    expect(
      await store.deposit({
        envelopeId: envelopeId(1),
        payload: payload(1),
        mailboxes: [mailboxId(1)],
        ttlMs: 0,
      }),
    ).toEqual({
      status: 'refused',
      reason: 'expired',
    })
  })

  it('hides expired envelopes before the sweep; the sweep deletes only expired ones', async () => {
    const { store, time } = await setup()
    const [a, b] = [mailboxId(1), mailboxId(2)]
    await store.deposit({ envelopeId: envelopeId(1), payload: payload(10), mailboxes: [a, b], ttlMs: 1000 })
    await store.deposit({ envelopeId: envelopeId(2), payload: payload(10), mailboxes: [a], ttlMs: 5000 })
    await store.ack(b, [envelopeId(1)])
    time.advance(1000)
    expect(ids(await store.list(a, { limit: 10 }))).toEqual([hex(envelopeId(2))])
    expect(await store.status(envelopeId(1))).toEqual({ total: 2, pending: 1, expired: true })
    expect(await store.ack(a, [envelopeId(1)])).toBe(0) // too late: it expired
    expect(await store.sweepExpired()).toEqual({ expired: 1, forgotten: 0, more: false })
    expect(await store.status(envelopeId(1))).toEqual({ total: 2, pending: 1, expired: true })
    expect(await store.usage(a)).toEqual({ envelopes: 1, bytes: 10 })
    expect(store.stats()).toMatchObject({ storedEnvelopes: 1, storedBytes: 10, expiries: 1 })
    // a re-deposit of an expired envelope is refused as expired
    expect(
      await store.deposit({ envelopeId: envelopeId(1), payload: payload(10), mailboxes: [a], ttlMs: 1000 }),
    ).toMatchObject({ status: 'refused', reason: 'expired' })
    expect(ids(await store.list(a, { limit: 10 }))).toEqual([hex(envelopeId(2))])
  })

  it('sweeps in bounded steps and reports more', async () => {
    const { store, time } = await setup({ statusTombstoneTtlMs: 0 })
    const a = mailboxId(1)
    for (let i = 0; i < 5; i++) {
      await store.deposit({ envelopeId: envelopeId(i), payload: payload(1), mailboxes: [a], ttlMs: 100 })
    }
    time.advance(100)
    expect(await store.sweepExpired({ limit: 2 })).toEqual({ expired: 2, forgotten: 0, more: true })
    expect(await store.sweepExpired({ limit: 2 })).toEqual({ expired: 2, forgotten: 0, more: true })
    expect(await store.sweepExpired({ limit: 2 })).toEqual({ expired: 1, forgotten: 0, more: false })
    expect(await store.status(envelopeId(0))).toBeUndefined()
    expect(await store.usage(a)).toEqual({ envelopes: 0, bytes: 0 })
  })

  it('forgets tombstones after their time', async () => {
    const { store, time } = await setup({ statusTombstoneTtlMs: 500 })
    const a = mailboxId(1)
    await store.deposit({ envelopeId: envelopeId(1), payload: payload(1), mailboxes: [a], ttlMs: 100 })
    time.advance(100)
    expect(await store.sweepExpired()).toEqual({ expired: 1, forgotten: 0, more: false })
    time.advance(499)
    expect(await store.sweepExpired()).toEqual({ expired: 0, forgotten: 0, more: false })
    expect(await store.status(envelopeId(1))).toEqual({ total: 1, pending: 1, expired: true })
    time.advance(1)
    expect(await store.status(envelopeId(1))).toBeUndefined()
    expect(await store.sweepExpired()).toEqual({ expired: 0, forgotten: 1, more: false })
  })
})

describe('MailboxStore status and live push', () => {
  it('status moves from pending to delivered; unknown IDs are undefined', async () => {
    const { store } = await setup()
    const [a, b] = [mailboxId(1), mailboxId(2)]
    expect(await store.status(envelopeId(1))).toBeUndefined()
    await store.deposit({ envelopeId: envelopeId(1), payload: payload(1), mailboxes: [a, b], ttlMs: 1000 })
    expect(await store.status(envelopeId(1))).toEqual({ total: 2, pending: 2, expired: false })
    await store.ack(b, [envelopeId(1)])
    expect(await store.status(envelopeId(1))).toEqual({ total: 2, pending: 1, expired: false })
    await store.ack(a, [envelopeId(1)])
    expect(await store.status(envelopeId(1))).toEqual({ total: 2, pending: 0, expired: false })
  })

  it('pushes to subscribers only after the batch is durable, with the listed cursor', async () => {
    const { store, batches } = await setup()
    const [a, b] = [mailboxId(1), mailboxId(2)]
    let durable = false
    batches.onWritten = () => {
      durable = true
    }
    const pushed: Array<{ envelope: StoredEnvelope; durable: boolean }> = []
    const unsubscribe = store.subscribe(a, (envelope) => pushed.push({ envelope, durable }))
    store.subscribe(b, () => {
      throw new Error('a broken listener does not stop the others')
    })
    const outcome = await store.deposit({
      envelopeId: envelopeId(1),
      payload: payload(5),
      mailboxes: [a, b],
      ttlMs: 1000,
    })
    expect(outcome.status).toBe('stored')
    expect(pushed).toHaveLength(1)
    expect(pushed[0]!.durable).toBe(true)
    const [listed] = await store.list(a, { limit: 1 })
    expect(pushed[0]!.envelope).toEqual(listed)
    // a duplicate is not pushed again; after unsubscribe nothing is pushed
    await store.deposit({ envelopeId: envelopeId(1), payload: payload(5), mailboxes: [a], ttlMs: 1000 })
    unsubscribe()
    await store.deposit({ envelopeId: envelopeId(2), payload: payload(5), mailboxes: [a], ttlMs: 1000 })
    expect(pushed).toHaveLength(1)
  })

  it('does not push a refused or failed deposit', async () => {
    const { store, batches } = await setup({ mailboxMaxEnvelopes: 1 })
    const a = mailboxId(1)
    const pushed: StoredEnvelope[] = []
    store.subscribe(a, (e) => pushed.push(e))
    batches.failNext = 1
    expect(
      (await store.deposit({ envelopeId: envelopeId(1), payload: payload(1), mailboxes: [a], ttlMs: 1000 }))
        .status,
    ).toBe('refused')
    await store.deposit({ envelopeId: envelopeId(2), payload: payload(1), mailboxes: [a], ttlMs: 1000 })
    await store.deposit({ envelopeId: envelopeId(3), payload: payload(1), mailboxes: [a], ttlMs: 1000 })
    expect(ids(pushed)).toEqual([hex(envelopeId(2))])
  })
})

describe('MailboxStore group commit', () => {
  it('gathers 100 concurrent deposits into far fewer sync batches, each resolved after its batch', async () => {
    const { store, batches } = await setup()
    const before = batches.syncCalls
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        store.deposit({
          envelopeId: envelopeId(i),
          payload: payload(64),
          mailboxes: [mailboxId(i % 7)],
          ttlMs: 1000,
        }),
      ),
    )
    expect(outcomes.every((o) => o.status === 'stored')).toBe(true)
    const used = batches.syncCalls - before
    expect(used).toBeGreaterThanOrEqual(1)
    expect(used).toBeLessThanOrEqual(5)
    expect(store.stats().storedEnvelopes).toBe(100)
  })

  it('deposits arriving while a batch is in flight go into the next batch together', async () => {
    const { store, batches } = await setup()
    const { firstStarted, release } = holdFirstBatch(batches)
    const before = batches.syncCalls
    const first = store.deposit({
      envelopeId: envelopeId(0),
      payload: payload(1),
      mailboxes: [mailboxId(1)],
      ttlMs: 1000,
    })
    await firstStarted
    const rest = Array.from({ length: 50 }, (_, i) =>
      store.deposit({
        envelopeId: envelopeId(i + 1),
        payload: payload(1),
        mailboxes: [mailboxId(1)],
        ttlMs: 1000,
      }),
    )
    let firstDone = false
    void first.then(() => {
      firstDone = true
    })
    await new Promise((r) => setTimeout(r, 10))
    expect(firstDone).toBe(false) // not acknowledged before its batch is written
    release()
    await Promise.all([first, ...rest])
    // the first batch, then one for the 50 that arrived while it was in flight
    expect(batches.syncCalls - before).toBe(2)
  })

  it('writes the next batch as soon as the one in flight lands, while deposits keep arriving', async () => {
    const { db, store, batches } = await setup()
    // reads that take a turn of the event loop, as classic-level's do on the thread pool: a deposit
    // arriving every turn then finds the queue non-empty after each preparation
    const getMany = db.getMany.bind(db) as (...args: unknown[]) => Promise<unknown>
    ;(db as { getMany: unknown }).getMany = async (...args: unknown[]) => {
      await new Promise((r) => setImmediate(r))
      return getMany(...args)
    }
    const { firstStarted, release } = holdFirstBatch(batches)
    const deposit = (i: number) =>
      store.deposit({
        envelopeId: envelopeId(i),
        payload: payload(1),
        mailboxes: [mailboxId(1)],
        ttlMs: 1000,
      })
    const before = batches.syncCalls
    const pending = [deposit(0)]
    await firstStarted
    pending.push(deposit(1)) // prepared on top of the first batch while it is written
    await new Promise((r) => setImmediate(r))
    release()
    // then one deposit every turn; count the turns until the second batch (holding deposit 1) is written
    let turns = 0
    while (batches.syncCalls - before < 2 && turns < 2 * MAX_GROUP_COMMIT_REQUESTS) {
      pending.push(deposit(pending.length))
      await new Promise((r) => setImmediate(r))
      turns++
    }
    await Promise.all(pending)
    expect(turns).toBeLessThan(20)
  })

  it('splits a queue longer than the group limit into several batches', async () => {
    const { store, batches } = await setup()
    const before = batches.syncCalls
    const n = MAX_GROUP_COMMIT_REQUESTS + 10
    const outcomes = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        store.deposit({
          envelopeId: envelopeId(i),
          payload: payload(1),
          mailboxes: [mailboxId(i)],
          ttlMs: 1000,
        }),
      ),
    )
    expect(outcomes.every((o) => o.status === 'stored')).toBe(true)
    expect(batches.syncCalls - before).toBe(2)
  })
})

describe('MailboxStore failures', () => {
  it('a failed write drops the batch prepared on top of it, whose requests are then stored on their own', async () => {
    const { store, batches } = await setup()
    const a = mailboxId(1)
    let entered!: () => void
    let release!: () => void
    const inFlight = new Promise<void>((r) => {
      entered = r
    })
    const released = new Promise<void>((r) => {
      release = r
    })
    let first = true
    batches.gate = async () => {
      if (first) {
        first = false
        entered()
        await released
        throw ioError()
      }
    }
    const request = { envelopeId: envelopeId(1), payload: payload(5), mailboxes: [a], ttlMs: 1000 }
    const failing = store.deposit(request)
    await inFlight
    // prepared on top of the batch being written: the same envelope looks like a duplicate there
    const again = store.deposit(request)
    const other = store.deposit({ ...request, envelopeId: envelopeId(2) })
    await new Promise((r) => setTimeout(r, 5))
    release()
    expect(await failing).toEqual({ status: 'refused', reason: 'storage-error' })
    expect((await again).status).toBe('stored')
    expect((await other).status).toBe('stored')
    expect(ids(await store.list(a, { limit: 10 }))).toEqual([hex(envelopeId(1)), hex(envelopeId(2))])
    expect(await store.usage(a)).toEqual({ envelopes: 2, bytes: 10 })
    expect(store.stats()).toMatchObject({ storedEnvelopes: 2, deposits: 2, duplicates: 0, writeErrors: 1 })
  })

  it('a write error refuses the batch with storage-error, stores nothing, and the store keeps working (FAULTS 20)', async () => {
    const { store, batches } = await setup()
    const a = mailboxId(1)
    await store.deposit({ envelopeId: envelopeId(0), payload: payload(5), mailboxes: [a], ttlMs: 1000 })
    batches.failNext = 1
    const failed = await Promise.all([
      store.deposit({ envelopeId: envelopeId(1), payload: payload(5), mailboxes: [a], ttlMs: 1000 }),
      store.deposit({ envelopeId: envelopeId(2), payload: payload(5), mailboxes: [a], ttlMs: 1000 }),
    ])
    expect(failed).toEqual([
      { status: 'refused', reason: 'storage-error' },
      { status: 'refused', reason: 'storage-error' },
    ])
    expect(await store.status(envelopeId(1))).toBeUndefined()
    expect(ids(await store.list(a, { limit: 10 }))).toEqual([hex(envelopeId(0))])
    expect(await store.usage(a)).toEqual({ envelopes: 1, bytes: 5 })
    batches.failNext = 1
    await expect(store.ack(a, [envelopeId(0)])).rejects.toMatchObject({ name: 'StorageWriteError' })
    expect(ids(await store.list(a, { limit: 10 }))).toEqual([hex(envelopeId(0))])
    // retrying works, and the counters are still exact
    expect(
      (await store.deposit({ envelopeId: envelopeId(1), payload: payload(5), mailboxes: [a], ttlMs: 1000 }))
        .status,
    ).toBe('stored')
    expect(await store.ack(a, [envelopeId(0)])).toBe(1)
    expect(await store.usage(a)).toEqual({ envelopes: 1, bytes: 5 })
    expect(store.stats()).toMatchObject({ storedEnvelopes: 1, storedBytes: 5, writeErrors: 2 })
    expect(store.stats().refusals['storage-error']).toBe(2)
  })

  it('rejects malformed requests with InvalidRequestError', async () => {
    const { store } = await setup()
    const good = { envelopeId: envelopeId(1), payload: payload(1), mailboxes: [mailboxId(1)], ttlMs: 1000 }
    await expect(store.deposit({ ...good, envelopeId: new Uint8Array(15) })).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
    await expect(store.deposit({ ...good, mailboxes: [new Uint8Array(31)] })).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
    await expect(store.deposit({ ...good, mailboxes: [] })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(store.deposit({ ...good, ttlMs: Number.NaN })).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(store.list(mailboxId(1), { limit: 1, after: new Uint8Array(65) })).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
    await expect(store.ack(mailboxId(1), [new Uint8Array(3)])).rejects.toBeInstanceOf(InvalidRequestError)
  })

  it('an aborted deposit still in the queue is dropped; list honours its signal', async () => {
    const { store } = await setup()
    const controller = new AbortController()
    const a = mailboxId(1)
    const dropped = store.deposit(
      { envelopeId: envelopeId(1), payload: payload(1), mailboxes: [a], ttlMs: 1000 },
      { signal: controller.signal },
    )
    controller.abort()
    await expect(dropped).rejects.toMatchObject({ name: 'AbortError' })
    expect(await store.status(envelopeId(1))).toBeUndefined()
    await expect(store.list(a, { limit: 1, signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    })
  })

  it('close finishes queued deposits, then refuses new requests', async () => {
    const { store } = await setup()
    const a = mailboxId(1)
    const pending = Array.from({ length: 20 }, (_, i) =>
      store.deposit({ envelopeId: envelopeId(i), payload: payload(1), mailboxes: [a], ttlMs: 1000 }),
    )
    await store.close()
    expect((await Promise.all(pending)).every((o) => o.status === 'stored')).toBe(true)
    await expect(
      store.deposit({ envelopeId: envelopeId(99), payload: payload(1), mailboxes: [a], ttlMs: 1000 }),
    ).rejects.toBeInstanceOf(StoreClosedError)
    await store.close()
  })
})
