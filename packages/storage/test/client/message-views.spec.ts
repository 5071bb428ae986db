/**
 * Messages: ordering by (receivedAt, messageId) whatever the insertion order or the sender's clock,
 * history paging newest last, the message-ID index (also when a message moves), and delivery status
 * per recipient device that only moves forward.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type ClientStore,
  InvalidRequestError,
  MAX_HISTORY_PAGE,
  type MessageRecord,
  openClientStore,
} from '../../src/index.js'
import { accountKey, address, groupId, hex, id, memoryDb, message } from './helpers.js'

let store: ClientStore
afterEach(async () => {
  await store?.close()
})

async function putAll(messages: MessageRecord[]): Promise<void> {
  const unit = store.unit()
  for (const m of messages) {
    await unit.messages.put(m)
  }
  await unit.commit()
}

async function allPages(conversation: Uint8Array, limit: number): Promise<MessageRecord[][]> {
  const pages: MessageRecord[][] = []
  let before: MessageRecord | undefined
  while (true) {
    const page = await store.messages.history(conversation, { limit, ...(before ? { before } : {}) })
    if (page.length === 0) {
      return pages
    }
    pages.unshift(page)
    before = page[0]
  }
}

describe('messages', () => {
  it('orders history by receivedAt then message ID, newest last, never by the sender clock', async () => {
    store = await openClientStore(memoryDb())
    await putAll([
      message(3, { receivedAt: 30, sentAt: 1 }),
      message(1, { receivedAt: 10, sentAt: 999_999 }),
      message(2, { receivedAt: 30, sentAt: 2 }),
      message(4, { receivedAt: 20 }),
    ])
    const history = await store.messages.history(accountKey(1), { limit: 10 })
    expect(history.map((m) => m.text)).toEqual(['message 1', 'message 4', 'message 2', 'message 3'])
  })

  it('pages back through a conversation with `before`, each page newest last, nothing missed or repeated', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 0, maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 40, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (ids, times, limit) => {
          store = await openClientStore(memoryDb())
          const messages = ids.map((n, i) => message(n, { receivedAt: times[i]! }))
          await putAll(messages)
          // another conversation alongside must not leak in
          await putAll([
            message(20_000, { conversation: groupId(1) }),
            message(20_001, { conversation: accountKey(2) }),
          ])
          const pages = await allPages(accountKey(1), limit)
          const expected = messages
            .slice()
            .sort((a, b) => a.receivedAt - b.receivedAt || hex(a.messageId).localeCompare(hex(b.messageId)))
          expect(pages.flat().map((m) => hex(m.messageId))).toEqual(expected.map((m) => hex(m.messageId)))
          for (const page of pages.slice(1)) {
            expect(page.length).toBe(limit)
          }
          await store.close()
        },
      ),
      { numRuns: 30 },
    )
  })

  it('keeps group and 1:1 conversations apart and clamps the page size', async () => {
    store = await openClientStore(memoryDb())
    await putAll([message(1, { conversation: groupId(1) }), message(2)])
    expect((await store.messages.history(groupId(1), { limit: 10 })).map((m) => m.text)).toEqual([
      'message 1',
    ])
    expect(await store.messages.history(groupId(2), { limit: 10 })).toEqual([])
    expect(await store.messages.history(accountKey(1), { limit: 0 })).toEqual([])
    expect((await store.messages.history(accountKey(1), { limit: MAX_HISTORY_PAGE * 10 })).length).toBe(1)
    await expect(store.messages.history(new Uint8Array(20), { limit: 1 })).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
    await expect(store.messages.history(accountKey(1), { limit: -1 })).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
  })

  it('finds a message by ID, also after it was replaced at another position', async () => {
    store = await openClientStore(memoryDb())
    await putAll([message(1, { receivedAt: 10 }), message(2, { receivedAt: 20 })])
    await putAll([message(1, { receivedAt: 30, text: 'edited' })])
    expect((await store.messages.get(id(1)))?.text).toBe('edited')
    expect((await store.messages.history(accountKey(1), { limit: 10 })).map((m) => m.text)).toEqual([
      'message 2',
      'edited',
    ])
    expect(await store.messages.get(id(3))).toBeUndefined()
    const unit = store.unit()
    expect(await unit.messages.delete(id(1))).toBe(true)
    expect(await unit.messages.delete(id(1))).toBe(false)
    await unit.commit()
    expect(await store.messages.get(id(1))).toBeUndefined()
    expect((await store.messages.history(accountKey(1), { limit: 10 })).map((m) => m.text)).toEqual([
      'message 2',
    ])
  })

  it('round-trips every field', async () => {
    store = await openClientStore(memoryDb())
    const m = message(1, {
      direction: 'out',
      conversation: groupId(3),
      sender: address(9, 4),
      text: 'héllo 👋',
      sentAt: 2 ** 50,
      receivedAt: 2 ** 40,
      recipients: [
        { device: address(2, 1), status: 'pending' },
        { device: address(2, 2), status: 'read' },
      ],
    })
    await putAll([m])
    expect(await store.messages.get(id(1))).toEqual(m)
  })

  it('raises one device status at a time and never lowers it', async () => {
    store = await openClientStore(memoryDb())
    const bob1 = address(2, 1)
    const bob2 = address(2, 2)
    await putAll([
      message(1, {
        direction: 'out',
        recipients: [
          { device: bob1, status: 'pending' },
          { device: bob2, status: 'pending' },
        ],
      }),
    ])
    const unit = store.unit()
    await unit.messages.updateStatus(id(1), bob1, 'delivered')
    await unit.messages.updateStatus(id(1), bob1, 'stored')
    await unit.messages.updateStatus(id(1), bob2, 'stored')
    const added = await unit.messages.updateStatus(id(1), address(3, 1), 'read')
    expect(added?.recipients.length).toBe(3)
    expect(await unit.messages.updateStatus(id(9), bob1, 'read')).toBeUndefined()
    await expect(unit.messages.updateStatus(id(1), bob1, 'seen' as never)).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
    await unit.commit()
    const statuses = (await store.messages.get(id(1)))?.recipients.map((r) => [r.device.deviceId, r.status])
    expect(statuses).toEqual([
      [1, 'delivered'],
      [2, 'stored'],
      [1, 'read'],
    ])
  })

  it('refuses malformed records before anything is buffered', async () => {
    store = await openClientStore(memoryDb())
    const unit = store.unit()
    const bad: Array<Partial<MessageRecord>> = [
      { messageId: new Uint8Array(15) },
      { conversation: new Uint8Array(31) },
      { direction: 'sideways' as never },
      { text: 'x'.repeat(16 * 1024 + 1) },
      { receivedAt: -1 },
      { sentAt: 1.5 },
      { sender: { accountKey: new Uint8Array(32), deviceId: 2 ** 32 } },
      { recipients: [{ device: address(1), status: 'lost' as never }] },
    ]
    for (const fields of bad) {
      await expect(unit.messages.put(message(1, fields))).rejects.toBeInstanceOf(InvalidRequestError)
    }
    await unit.commit()
    expect(await store.isEmpty()).toBe(true)
  })
})
