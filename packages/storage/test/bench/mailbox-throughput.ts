/**
 * Throughput of the mailbox store on classic-level (not a test: a measurement, run by hand):
 *
 *   npx tsc -b && node packages/storage/dist/test/bench/mailbox-throughput.js
 *
 * Durable deposits/s of 1 KiB envelopes for 1, 16 and 256 callers that wait for each deposit and for
 * callers keeping 8 in flight, each beside classic-level group-committed `sync: true` batches of one
 * put per deposit with the same callers (the floor any durable store on LevelDB has); then list+ack
 * of one mailbox holding 100,000 envelopes. FERRY_BENCH_MS sets each window (default 3000).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ClassicLevel } from 'classic-level'
import { MailboxStore } from '../../src/index.js'

const WINDOW_MS = Number(process.env.FERRY_BENCH_MS ?? 3000)
const DRAIN = 100_000
const payload = new Uint8Array(randomBytes(1024))
const mailboxes = Array.from({ length: 1000 }, () => new Uint8Array(randomBytes(32)))
const ids = Array.from({ length: 1 << 18 }, () => new Uint8Array(randomBytes(16)))
let next = 0
const nextId = (): Uint8Array => {
  // fresh IDs: a repeat would be a (cheaper) duplicate
  const id = ids[next % ids.length]!.slice()
  new DataView(id.buffer).setUint32(0, next++)
  return id
}

async function withDb<T>(run: (db: ClassicLevel<string, string>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'))
  const db = new ClassicLevel(dir)
  await db.open()
  try {
    return await run(db)
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function rate(callers: number, deposit: () => Promise<unknown>): Promise<number> {
  let count = 0
  const end = performance.now() + WINDOW_MS
  const start = performance.now()
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < end) {
        await deposit()
        count++
      }
    }),
  )
  return count / ((performance.now() - start) / 1000)
}

/** The baseline: one put per deposit, gathered into a `sync: true` batch while the last is written. */
function rawGroupCommit(db: ClassicLevel<string, string>): () => Promise<void> {
  const options = Object.freeze({ keyEncoding: 'view', valueEncoding: 'view' } as const)
  let queue: Array<{ key: Uint8Array; done: () => void }> = []
  let writing = false
  const drain = async (): Promise<void> => {
    writing = true
    while (queue.length > 0) {
      const group = queue
      queue = []
      const batch = db.batch()
      for (const { key } of group) {
        batch.put(key, payload, options)
      }
      await batch.write({ sync: true } as object)
      for (const { done } of group) {
        done()
      }
    }
    writing = false
  }
  return () =>
    new Promise<void>((done) => {
      queue.push({ key: nextId(), done })
      if (!writing) {
        void drain()
      }
    })
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(7)

for (const inflight of [1, 8]) {
  for (const senders of [1, 16, 256]) {
    const callers = senders * inflight
    const store = await withDb(async (db) => {
      const mailbox = await MailboxStore.open(db)
      const r = await rate(callers, () =>
        mailbox.deposit({
          envelopeId: nextId(),
          payload,
          mailboxes: [mailboxes[next % 1000]!],
          ttlMs: Infinity,
        }),
      )
      await mailbox.close()
      return r
    })
    const raw = await withDb((db) => rate(callers, rawGroupCommit(db)))
    const kind = inflight === 1 ? 'waiting   ' : 'pipelining'
    console.log(
      `${kind} senders ${String(senders).padStart(3)}: store ${fmt(store)}/s  baseline ${fmt(raw)}/s  ratio ${(store / raw).toFixed(2)}`,
    )
  }
}

await withDb(async (db) => {
  const store = await MailboxStore.open(db, { mailboxMaxEnvelopes: DRAIN })
  const box = mailboxes[0]!
  let pending: Array<Promise<unknown>> = []
  for (let i = 0; i < DRAIN; i++) {
    pending.push(store.deposit({ envelopeId: nextId(), payload, mailboxes: [box], ttlMs: Infinity }))
    if (pending.length >= 2048) {
      await Promise.all(pending)
      pending = []
    }
  }
  await Promise.all(pending)
  const start = performance.now()
  let after: Uint8Array | undefined
  let drained = 0
  let acks: Array<Promise<number>> = []
  for (;;) {
    const page = await store.list(box, { after, limit: 1024 })
    if (page.length === 0) {
      break
    }
    after = page.at(-1)!.cursor
    drained += page.length
    acks.push(
      store.ack(
        box,
        page.map((e) => e.envelopeId),
      ),
    )
    if (acks.length >= 4) {
      await Promise.all(acks)
      acks = []
    }
  }
  await Promise.all(acks)
  console.log(
    `list+ack of ${drained.toLocaleString('en-US')} envelopes: ${fmt(drained / ((performance.now() - start) / 1000))}/s`,
  )
  await store.close()
})
