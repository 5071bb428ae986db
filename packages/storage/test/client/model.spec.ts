/**
 * A property test of the client store against a plain in-memory model: random units of random
 * operations over every view, each committed, discarded, or failed by the disk, with the database
 * closed and reopened at random between units. Inside a unit every read matches the model with the
 * unit's changes applied; after it, the store matches the model with them (commit) or without them
 * (discard, failure), and event cursors only grow.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { openClientStore, StorageWriteError, type StoredEvent } from '../../src/index.js'
import { memoryDb, spyBatches } from './helpers.js'
import { apply, clone, compare, emptyModel, opArb } from './model.js'

describe('client store against a model', () => {
  it('random units, committed, discarded or failed, with reopens in between', async () => {
    const unitArb = fc.record({
      ops: fc.array(opArb, { maxLength: 14 }),
      end: fc.constantFrom('commit', 'commit', 'discard', 'fail'),
      reopen: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(unitArb, { minLength: 1, maxLength: 8 }), async (units) => {
        const db = memoryDb()
        const spy = spyBatches(db)
        // failures here are one-offs: the recovery reopens at each (see reopenAtOnce in ../helpers.ts)
        const init = { recovery: { reopenIntervalMs: 0 } }
        let store = await openClientStore(db, init)
        let model = emptyModel()
        try {
          for (const { ops, end, reopen } of units) {
            const unit = store.unit()
            const pending = clone(model)
            pending.drafts = []
            for (const o of ops) {
              await apply(unit, pending, o)
            }
            await compare(unit, unit, pending)
            expect(unit.events.pending()).toEqual(pending.drafts)
            if (end === 'discard') {
              unit.discard()
            } else {
              spy.failNext = end === 'fail' ? 1 : 0
              const batches = spy.calls.length
              const outcome = await unit.commit().then(
                (result) => ({ result }),
                (error: unknown) => ({ error }),
              )
              // a unit that changed nothing writes no batch, so there is nothing to fail
              if (end === 'fail' && spy.calls.length > batches) {
                expect('error' in outcome && outcome.error).toBeInstanceOf(StorageWriteError)
                // cursors handed to a failed batch are not reused while the store is open
                model.lastCursor += pending.drafts.length
              } else {
                expect(outcome).toHaveProperty('result')
                const { events } = (outcome as { result: { events: StoredEvent[] } }).result
                const want = pending.drafts.map((d, i) => ({ cursor: model.lastCursor + 1 + i, ...d }))
                expect(events).toEqual(want)
                pending.events = [...pending.events, ...want]
                pending.lastCursor = model.lastCursor + want.length
                pending.drafts = []
                model = pending
              }
              spy.failNext = 0
            }
            if (reopen) {
              await store.close()
              store = await openClientStore(db, init)
              // a failed batch's cursors were never stored nor shown: numbering resumes after the last
              // committed one
              model.lastCursor = model.events.at(-1)?.cursor ?? 0
            }
            const probe = store.unit()
            await compare(store, probe, model)
            probe.discard()
          }
        } finally {
          await store.close()
        }
      }),
      { numRuns: 60 },
    )
  })
})
