import { openClientStore, StorageWriteError } from '@ferry/storage'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { StateQueue } from '../src/state-queue.js'

/** Holds every array batch of `db` until released (`fail`: rejected like a full disk would). */
function gate(db: MemoryLevel<Uint8Array, Uint8Array>) {
  const original = db.batch.bind(db) as (...args: unknown[]) => Promise<void>
  const waiting: Array<(fail: boolean) => void> = []
  const patched = (...args: unknown[]): unknown =>
    args.length === 0
      ? original()
      : new Promise<void>((resolve, reject) => {
          waiting.push((fail) => {
            if (fail) {
              reject(
                Object.assign(new Error('IO error: No space left on device'), { code: 'LEVEL_IO_ERROR' }),
              )
            } else {
              original(...args).then(resolve, reject)
            }
          })
        })
  Object.defineProperty(db, 'batch', { value: patched, configurable: true, writable: true })
  return {
    get held() {
      return waiting.length
    },
    release(fail = false) {
      waiting.shift()?.(fail)
    },
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5))
const mark = (n: number) => new Uint8Array(16).fill(n)

async function queue(): Promise<StateQueue> {
  const store = await openClientStore(new MemoryLevel() as never)
  return new StateQueue(store, () => {})
}

describe('state queue', () => {
  it('runs a job queued by the continuation of a job that just settled (no stalled drain)', async () => {
    // the next job is queued a few microtask turns after the first settles (as an async caller's
    // chain of returns does): every turn count must find the queue ready to run it
    for (let turns = 0; turns < 8; turns++) {
      const q = await queue()
      await q.run(async () => 'first')
      for (let i = 0; i < turns; i++) {
        await Promise.resolve()
      }
      const settled = await Promise.race([
        q.run(async () => 'second').then(() => 'ran'),
        new Promise((resolve) => setTimeout(() => resolve('stalled'), 1_000)),
      ])
      expect(settled, `${turns} turns`).toBe('ran')
    }
  })

  it('a failing job fails alone; the others of its batch commit', async () => {
    const q = await queue()
    const results = await Promise.allSettled([
      q.run(async (unit) => {
        await unit.inbox.markSeen(new Uint8Array(16).fill(1), 1)
        return 'a'
      }),
      q.run(async () => {
        throw new Error('boom')
      }),
      q.run(async (unit) => {
        await unit.inbox.markSeen(new Uint8Array(16).fill(2), 1)
        return 'c'
      }),
    ])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    await q.idle()
  })
})

describe('state queue pipelining', () => {
  it('prepares the next batch while the previous one is written, and settles each only once durable', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>()
    const store = await openClientStore(db as never)
    const valve = gate(db)
    const committed: number[] = []
    const q = new StateQueue(store, (events) => committed.push(events.length))
    const settled: string[] = []
    const first = q.run(async (unit) => {
      await unit.inbox.markSeen(mark(1), 1)
    })
    void first.then(() => settled.push('first'))
    await settle()
    expect(valve.held).toBe(1)
    // the first batch is not on disk: the second job already runs, and reads what the first wrote
    let sawFirst: boolean | undefined
    const second = q.run(async (unit) => {
      sawFirst = await unit.inbox.seen(mark(1))
      await unit.inbox.markSeen(mark(2), 1)
    })
    void second.then(() => settled.push('second'))
    await settle()
    expect(sawFirst).toBe(true)
    expect(settled).toEqual([])
    expect(await store.inbox.seen(mark(1))).toBe(false)
    valve.release()
    await first
    expect(settled).toEqual(['first'])
    expect(await store.inbox.seen(mark(1))).toBe(true)
    await settle()
    valve.release()
    await second
    expect(settled).toEqual(['first', 'second'])
    expect(await store.inbox.seen(mark(2))).toBe(true)
    await q.idle()
  })

  it('when a write fails, its jobs fail and the jobs prepared behind it run again, in order, and commit', async () => {
    const db = new MemoryLevel<Uint8Array, Uint8Array>()
    const store = await openClientStore(db as never)
    const valve = gate(db)
    const q = new StateQueue(store, () => {})
    const runs: string[] = []
    const first = q.run(async (unit) => {
      runs.push('first')
      await unit.inbox.markSeen(mark(1), 1)
    })
    await settle()
    // both read the first job's mark, which will never be written
    const second = q.run(async (unit) => {
      runs.push(`second ${await unit.inbox.seen(mark(1))}`)
      await unit.inbox.markSeen(mark(2), 1)
      return 'second'
    })
    await settle()
    const third = q.run(async (unit) => {
      const seen = await unit.inbox.seen(mark(1))
      runs.push(`third ${seen}`)
      if (seen) {
        throw new Error('a conclusion drawn from a write that never lands')
      }
      return 'third'
    })
    await settle()
    valve.release(true)
    await expect(first).rejects.toBeInstanceOf(StorageWriteError)
    await settle()
    valve.release()
    expect(await second).toMatchObject({ value: 'second' })
    expect(await third).toMatchObject({ value: 'third' })
    expect(runs).toEqual(['first', 'second true', 'third true', 'second false', 'third false'])
    expect(await store.inbox.seen(mark(1))).toBe(false)
    expect(await store.inbox.seen(mark(2))).toBe(true)
    await q.idle()
  })

  it('a batch still running when an earlier write fails runs again after the batches before it', async () => {
    // the third job ends some microtask turns after the first write fails (before or after its batch
    // learns of it, before or after the second batch does): for every count, the re-runs keep the
    // order the jobs were queued in
    for (let turns = 0; turns < 24; turns++) {
      const db = new MemoryLevel<Uint8Array, Uint8Array>()
      const store = await openClientStore(db as never)
      const valve = gate(db)
      const q = new StateQueue(store, () => {})
      const runs: string[] = []
      const first = q.run(async (unit) => {
        await unit.inbox.markSeen(mark(1), 1)
      })
      first.catch(() => {})
      await settle()
      // the second batch is prepared and waits for its write behind the first
      const second = q.run(async (unit) => {
        runs.push(`second ${await unit.inbox.seen(mark(1))}`)
        await unit.inbox.markSeen(mark(2), 1)
      })
      await settle()
      // the third is still running its job when the first write fails
      let release!: () => void
      const released = new Promise<void>((resolve) => {
        release = resolve
      })
      let holding = true
      const third = q.run(async (unit) => {
        runs.push(`third ${await unit.inbox.seen(mark(1))}`)
        await unit.inbox.markSeen(mark(3), 1)
        if (holding) {
          holding = false
          await released
          for (let i = 0; i < turns; i++) {
            await Promise.resolve()
          }
        }
      })
      await settle()
      release()
      valve.release(true)
      await expect(first).rejects.toBeInstanceOf(StorageWriteError)
      for (let i = 0; i < 50 && !(await store.inbox.seen(mark(3))); i++) {
        valve.release()
        await settle()
      }
      await Promise.all([second, third])
      expect(runs, `${turns} turns`).toEqual(['second true', 'third true', 'second false', 'third false'])
      await q.idle()
    }
  })
})

describe('work left to the end of a batch', () => {
  it('runs once, in the batch unit after its last job, and is committed with it', async () => {
    const store = await openClientStore(new MemoryLevel() as never)
    const q = new StateQueue(store, () => {})
    let open = () => {}
    const first = q.run(() => new Promise<void>((resolve) => (open = resolve)))
    // queued while the first job runs: they run together as the next batch
    const order: string[] = []
    let finishes = 0
    const jobs = [1, 2, 3].map((n) =>
      q.run(async (unit) => {
        order.push(`job ${n}`)
        const left = q.atEnd(unit, async (u) => {
          finishes++
          order.push('finish')
          await u.inbox.markSeen(mark(100), 1)
        })
        return left
      }),
    )
    open()
    await first
    const results = await Promise.all(jobs)
    expect(results.every((r) => r.value)).toBe(true)
    expect(finishes).toBe(3)
    expect(order.slice(-3)).toEqual(['finish', 'finish', 'finish'])
    expect(order.indexOf('finish')).toBe(3)
    expect(await store.inbox.seen(mark(100))).toBe(true)
    await q.idle()
  })

  it('when it fails, the batch runs again with each job doing its part itself', async () => {
    const store = await openClientStore(new MemoryLevel() as never)
    const q = new StateQueue(store, () => {})
    const attempts: boolean[] = []
    const result = await q.run(async (unit) => {
      const left = q.atEnd(unit, async () => {
        throw new Error('finishing failed')
      })
      attempts.push(left)
      if (!left) {
        await unit.inbox.markSeen(mark(7), 1)
      }
      return 'done'
    })
    expect(result.value).toBe('done')
    expect(attempts).toEqual([true, false])
    expect(await store.inbox.seen(mark(7))).toBe(true)
    expect(q.atEnd(store.unit(), async () => {})).toBe(false) // outside a job of this queue
  })
})
