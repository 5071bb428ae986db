import { openClientStore } from '@ferry/storage'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { StateQueue } from '../src/state-queue.js'

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
