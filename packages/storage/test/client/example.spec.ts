// The client-store example of src/client/index.ts and the README's "Client stores" section, run as a
// test so it cannot go stale.
import { MemoryLevel } from 'memory-level'
import { expect, it } from 'vitest'
import { openClientStore } from '../../src/index.js'

it('runs the client-store example: one receive step committed as one unit, then read back', async () => {
  const store = await openClientStore(new MemoryLevel()) // new ClassicLevel(dir) in Node
  const alice = { accountKey: new Uint8Array(32).fill(1), deviceId: 1 }
  const messageId = crypto.getRandomValues(new Uint8Array(16))
  const now = Date.now()

  // one receive step: ratchet state, message, dedup mark and event commit together or not at all
  const unit = store.unit()
  try {
    if (!(await unit.inbox.seen(messageId))) {
      // a SessionCipher given `unit.crypto` as its stores writes the advanced session here
      await unit.crypto.sessions.storeSession(alice, Uint8Array.of(1, 2, 3))
      await unit.messages.put({
        messageId,
        conversation: alice.accountKey,
        direction: 'in',
        sender: alice,
        text: 'hello',
        sentAt: now,
        receivedAt: now,
        recipients: [],
      })
      await unit.inbox.markSeen(messageId, now)
      await unit.events.append('message', messageId)
    }
    const { events } = await unit.commit() // one db.batch(ops, { sync: true })
    // only now: ack the envelope to the relay, then tell listeners (each event has its cursor)
    expect(events.map((e) => e.cursor)).toEqual([1])
  } finally {
    unit.discard() // a no-op after commit; drops everything after an error
  }

  // reads outside a unit go straight to the database
  const history = await store.messages.history(alice.accountKey, { limit: 50 }) // newest last
  const page = await store.events.since(0, 100) // `ferry receive --since CURSOR`
  await store.close()

  expect(history.map((m) => m.text)).toEqual(['hello'])
  expect(page.map((e) => e.type)).toEqual(['message'])
})
