/**
 * Model-based property test of the mailbox store: random interleavings of deposits, acks (alone and
 * gathered into one batch with deposits), clock steps, expiry sweeps, failed writes and reopens,
 * checked after every step against a plain in-memory model of what the store must hold.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Database,
  type DepositOutcome,
  INLINE_MAILBOXES,
  MailboxStore,
  type MailboxStoreInit,
} from '../../src/index.js'
import {
  envelopeId,
  hex,
  instrumentBatches,
  ioError,
  mailboxId,
  memoryDb,
  payload,
  reopenAtOnce,
} from '../helpers.js'

/** Mailbox IDs 0..19: small deposits list 1-3 of the first four, fan-outs list 17-20 (past INLINE_MAILBOXES). */
const MAILBOXES = 20
const IDS = 8
const LIMITS = { mailboxMaxEnvelopes: 3, mailboxMaxBytes: 120, statusTombstoneTtlMs: 40, maxTtlMs: 100 }

interface ModelEnvelope {
  id: number
  seq: number
  size: number
  total: number
  pending: Set<number>
  expiresAt: number
  state: 'live' | 'delivered' | 'expired'
  forgetAt: number
}

class Model {
  now = 1_000
  seq = 0
  readonly envelopes = new Map<number, ModelEnvelope>()

  clone(): Model {
    const copy = new Model()
    copy.now = this.now
    copy.seq = this.seq
    for (const [id, e] of this.envelopes) {
      copy.envelopes.set(id, { ...e, pending: new Set(e.pending) })
    }
    return copy
  }

  usage(mailbox: number): { envelopes: number; bytes: number } {
    let envelopes = 0
    let bytes = 0
    for (const e of this.envelopes.values()) {
      if (e.state === 'live' && e.pending.has(mailbox)) {
        envelopes++
        bytes += e.size
      }
    }
    return { envelopes, bytes }
  }

  deposit(id: number, mailboxes: number[], size: number, ttl: number): DepositOutcome {
    const existing = this.envelopes.get(id)
    if (existing !== undefined) {
      if (existing.state === 'expired' || existing.expiresAt <= this.now) {
        return { status: 'refused', reason: 'expired' }
      }
      return { status: 'duplicate', expiresAt: existing.expiresAt }
    }
    const unique = [...new Set(mailboxes)]
    for (const m of unique) {
      const u = this.usage(m)
      if (u.envelopes + 1 > LIMITS.mailboxMaxEnvelopes || u.bytes + size > LIMITS.mailboxMaxBytes) {
        return { status: 'refused', reason: 'mailbox-full', mailbox: mailboxId(m) }
      }
    }
    const expiresAt = this.now + Math.min(ttl, LIMITS.maxTtlMs)
    this.envelopes.set(id, {
      id,
      seq: this.seq++,
      size,
      total: unique.length,
      pending: new Set(unique),
      expiresAt,
      state: 'live',
      forgetAt: 0,
    })
    return { status: 'stored', expiresAt }
  }

  ack(mailbox: number, ids: number[]): number {
    let acked = 0
    for (const id of new Set(ids)) {
      const e = this.envelopes.get(id)
      if (e === undefined || e.state !== 'live' || e.expiresAt <= this.now || !e.pending.has(mailbox)) {
        continue
      }
      e.pending.delete(mailbox)
      acked++
      if (e.pending.size === 0) {
        // remembered (status "delivered", deduplication) until the sweep at its expiry
        e.state = 'delivered'
      }
    }
    return acked
  }

  sweep(limit: number): { expired: number; forgotten: number; more: boolean } {
    const due = [...this.envelopes.values()]
      .map((e) => ({ e, time: e.state === 'expired' ? e.forgetAt : e.expiresAt }))
      .filter(({ time }) => time <= this.now)
      .sort((x, y) => x.time - y.time || Buffer.compare(envelopeId(x.e.id), envelopeId(y.e.id)))
      .slice(0, limit)
    let expired = 0
    let forgotten = 0
    for (const { e } of due) {
      if (e.state === 'live') {
        e.state = 'expired'
        e.forgetAt = this.now + LIMITS.statusTombstoneTtlMs
        expired++
      } else {
        this.envelopes.delete(e.id)
        forgotten++
      }
    }
    return { expired, forgotten, more: due.length >= limit }
  }
}

interface Real {
  db: Database
  store: MailboxStore
  batches: ReturnType<typeof instrumentBatches>
  init: MailboxStoreInit
}

async function check(model: Model, real: Real): Promise<void> {
  for (let m = 0; m < MAILBOXES; m++) {
    const expected = [...model.envelopes.values()]
      .filter((e) => e.state === 'live' && e.expiresAt > model.now && e.pending.has(m))
      .sort((x, y) => x.seq - y.seq)
      .map((e) => hex(envelopeId(e.id)))
    // page in twos to exercise cursors
    const listed: string[] = []
    let after: Uint8Array | undefined
    for (;;) {
      const page = await real.store.list(mailboxId(m), { after, limit: 2 })
      if (page.length === 0) break
      listed.push(...page.map((e) => hex(e.envelopeId)))
      after = page.at(-1)!.cursor
    }
    expect(listed).toEqual(expected)
    expect(await real.store.usage(mailboxId(m))).toEqual(model.usage(m))
  }
  let envelopes = 0
  let bytes = 0
  for (let id = 0; id < IDS; id++) {
    const e = model.envelopes.get(id)
    let expected: unknown
    if (e === undefined) {
      expected = undefined
    } else if (e.state === 'live') {
      envelopes++
      bytes += e.size
      expected = { total: e.total, pending: e.pending.size, expired: e.expiresAt <= model.now }
    } else if (e.state === 'delivered') {
      expected = { total: e.total, pending: 0, expired: false }
    } else {
      expected =
        e.forgetAt <= model.now ? undefined : { total: e.total, pending: e.pending.size, expired: true }
    }
    expect(await real.store.status(envelopeId(id))).toEqual(expected)
  }
  expect(real.store.stats()).toMatchObject({ storedEnvelopes: envelopes, storedBytes: bytes })
}

type Cmd = fc.AsyncCommand<Model, Real>

const depositArb = fc.record({
  id: fc.integer({ min: 0, max: IDS - 1 }),
  mailboxes: fc.oneof(
    { weight: 4, arbitrary: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }) },
    {
      weight: 1,
      arbitrary: fc.shuffledSubarray(
        Array.from({ length: MAILBOXES }, (_, i) => i),
        { minLength: INLINE_MAILBOXES + 1 },
      ),
    },
  ),
  size: fc.integer({ min: 1, max: 60 }),
  ttl: fc.constantFrom(5, 30, 100, 1000),
})
type DepositArgs = typeof depositArb extends fc.Arbitrary<infer T> ? T : never

const ackArb = fc.record({
  mailbox: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: MAILBOXES - 1 })),
  ids: fc.array(fc.integer({ min: 0, max: IDS - 1 }), { minLength: 1, maxLength: 4 }),
})
type AckArgs = typeof ackArb extends fc.Arbitrary<infer T> ? T : never

const depositRequest = (d: DepositArgs) => ({
  envelopeId: envelopeId(d.id),
  payload: payload(d.size, d.id),
  mailboxes: d.mailboxes.map(mailboxId),
  ttlMs: d.ttl,
})

class DepositCommand implements Cmd {
  constructor(readonly d: DepositArgs) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const outcome = await real.store.deposit(depositRequest(this.d))
    expect(outcome).toEqual(model.deposit(this.d.id, this.d.mailboxes, this.d.size, this.d.ttl))
    await check(model, real)
  }
  toString = () => `deposit(${JSON.stringify(this.d)})`
}

class AckCommand implements Cmd {
  constructor(readonly a: AckArgs) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const acked = await real.store.ack(mailboxId(this.a.mailbox), this.a.ids.map(envelopeId))
    expect(acked).toBe(model.ack(this.a.mailbox, this.a.ids))
    await check(model, real)
  }
  toString = () => `ack(${JSON.stringify(this.a)})`
}

/** Deposits and acks issued together: one group-committed batch, applied in issue order. */
class BatchCommand implements Cmd {
  constructor(readonly ops: Array<{ deposit: DepositArgs } | { ack: AckArgs }>) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const results = await Promise.all(
      this.ops.map((op) =>
        'deposit' in op
          ? real.store.deposit(depositRequest(op.deposit))
          : real.store.ack(mailboxId(op.ack.mailbox), op.ack.ids.map(envelopeId)),
      ),
    )
    const expected = this.ops.map((op) =>
      'deposit' in op
        ? model.deposit(op.deposit.id, op.deposit.mailboxes, op.deposit.size, op.deposit.ttl)
        : model.ack(op.ack.mailbox, op.ack.ids),
    )
    expect(results).toEqual(expected)
    await check(model, real)
  }
  toString = () => `batch(${JSON.stringify(this.ops)})`
}

class AdvanceCommand implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    model.now += this.ms
    await check(model, real)
  }
  toString = () => `advance(${this.ms})`
}

class SweepCommand implements Cmd {
  constructor(readonly limit: number) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    expect(await real.store.sweepExpired({ limit: this.limit })).toEqual(model.sweep(this.limit))
    await check(model, real)
  }
  toString = () => `sweep(${this.limit})`
}

/** A write that fails on disk: refused, nothing changes. */
class FailedDepositCommand implements Cmd {
  constructor(readonly d: DepositArgs) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    real.batches.failNext = 1
    const outcome = await real.store.deposit(depositRequest(this.d))
    real.batches.failNext = 0
    // a deposit answered without a write (duplicate, full, expired) never reaches the failing batch
    const expected = model.clone().deposit(this.d.id, this.d.mailboxes, this.d.size, this.d.ttl)
    expect(outcome).toEqual(
      expected.status === 'stored' ? { status: 'refused', reason: 'storage-error' } : expected,
    )
    await check(model, real)
  }
  toString = () => `failedDeposit(${JSON.stringify(this.d)})`
}

/**
 * The first operation's write is held while the others are issued (and prepared on top of it), then
 * fails: the first operation changes nothing, the others apply in order as if it never happened.
 */
class PipelinedFailureCommand implements Cmd {
  constructor(readonly ops: Array<{ deposit: DepositArgs } | { ack: AckArgs }>) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    let entered!: () => void
    let release!: () => void
    const inFlight = new Promise<'held'>((r) => {
      entered = () => r('held')
    })
    const released = new Promise<void>((r) => {
      release = r
    })
    let armed = true
    real.batches.gate = async () => {
      if (armed) {
        armed = false
        entered()
        await released
        throw ioError()
      }
    }
    const issue = (op: (typeof this.ops)[number]) =>
      'deposit' in op
        ? real.store.deposit(depositRequest(op.deposit))
        : real.store.ack(mailboxId(op.ack.mailbox), op.ack.ids.map(envelopeId))
    const [head, ...rest] = this.ops
    const first = issue(head!).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    )
    const held = (await Promise.race([inFlight, first.then(() => 'settled' as const)])) === 'held'
    armed = false
    const others = rest.map(issue)
    await new Promise((r) => setTimeout(r, 1))
    release()
    real.batches.gate = undefined
    const firstResult = await first
    if (held) {
      // its batch failed: nothing of it happened
      if ('deposit' in head!) {
        expect(firstResult).toEqual({ ok: true, value: { status: 'refused', reason: 'storage-error' } })
      } else {
        expect(firstResult).toMatchObject({ ok: false, error: { name: 'StorageWriteError' } })
      }
    } else {
      const expected =
        'deposit' in head!
          ? model.deposit(head.deposit.id, head.deposit.mailboxes, head.deposit.size, head.deposit.ttl)
          : model.ack(head!.ack.mailbox, head!.ack.ids)
      expect(firstResult).toEqual({ ok: true, value: expected })
    }
    const expected = rest.map((op) =>
      'deposit' in op
        ? model.deposit(op.deposit.id, op.deposit.mailboxes, op.deposit.size, op.deposit.ttl)
        : model.ack(op.ack.mailbox, op.ack.ids),
    )
    expect(await Promise.all(others)).toEqual(expected)
    await check(model, real)
  }
  toString = () => `pipelinedFailure(${JSON.stringify(this.ops)})`
}

class ReopenCommand implements Cmd {
  constructor(readonly clean: boolean) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    if (this.clean) {
      await real.store.close()
    }
    // without close: the old handle is abandoned, as after a crash between batches
    real.store = await MailboxStore.open(real.db, real.init)
    await check(model, real)
  }
  toString = () => `reopen(${this.clean ? 'close' : 'abandon'})`
}

const commands = [
  depositArb.map((d) => new DepositCommand(d)),
  ackArb.map((a) => new AckCommand(a)),
  fc
    .array(
      fc.oneof(
        depositArb.map((deposit) => ({ deposit })),
        ackArb.map((ack) => ({ ack })),
      ),
      {
        minLength: 2,
        maxLength: 6,
      },
    )
    .map((ops) => new BatchCommand(ops)),
  fc.constantFrom(1, 10, 35, 120).map((ms) => new AdvanceCommand(ms)),
  fc.integer({ min: 1, max: 4 }).map((limit) => new SweepCommand(limit)),
  depositArb.map((d) => new FailedDepositCommand(d)),
  fc
    .array(
      fc.oneof(
        depositArb.map((deposit) => ({ deposit })),
        ackArb.map((ack) => ({ ack })),
      ),
      {
        minLength: 2,
        maxLength: 5,
      },
    )
    .map((ops) => new PipelinedFailureCommand(ops)),
  fc.boolean().map((clean) => new ReopenCommand(clean)),
]

describe('MailboxStore against a model', () => {
  it('deposit / ack / sweep / clock / write error / reopen interleavings match the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: 'large' }), async (cmds) => {
        const model = new Model()
        const db = reopenAtOnce(memoryDb())
        const batches = instrumentBatches(db)
        const init: MailboxStoreInit = { ...LIMITS, now: () => model.now }
        const real: Real = { db, batches, init, store: await MailboxStore.open(db, init) }
        await fc.asyncModelRun(() => ({ model, real }), cmds)
        await real.store.close()
      }),
      { numRuns: 60 },
    )
  })
})
