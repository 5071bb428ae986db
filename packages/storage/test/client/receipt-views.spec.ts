/**
 * Delivery receipts owed: recorded in a unit with the message, listed by device (in key order, up to
 * a limit, through the unit before commit and from the store after), the same one owed twice listed
 * once, and forgotten once settled. Malformed IDs are refused.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  type ClientStore,
  InvalidRequestError,
  MAX_OWED_RECEIPTS_PAGE,
  openClientStore,
} from '../../src/index.js'
import { address, id, memoryDb } from './helpers.js'

let store: ClientStore
afterEach(async () => {
  await store?.close()
})

const summary = (owed: Array<{ to: { deviceId: number; accountKey: Uint8Array }; messageId: Uint8Array }>) =>
  owed.map((o) => [o.to.accountKey[31], o.to.deviceId, o.messageId[15]])

describe('receipts owed', () => {
  it('lists what a unit owes, grouped by device, before and after its commit, and forgets what is settled', async () => {
    store = await openClientStore(memoryDb())
    const unit = store.unit()
    unit.receiptsOwed.owe(address(2, 1), id(5))
    unit.receiptsOwed.owe(address(1, 3), id(7))
    unit.receiptsOwed.owe(address(2, 1), id(4))
    unit.receiptsOwed.owe(address(1, 3), id(7))
    const expected = [
      [1, 3, 7],
      [2, 1, 4],
      [2, 1, 5],
    ]
    expect(summary(await unit.receiptsOwed.list())).toEqual(expected)
    expect(await store.receiptsOwed.list()).toEqual([])
    await unit.commit()
    const owed = await store.receiptsOwed.list()
    expect(summary(owed)).toEqual(expected)
    expect(summary(await store.receiptsOwed.list(2))).toEqual(expected.slice(0, 2))

    const settle = store.unit()
    settle.receiptsOwed.settle(owed.slice(0, 2))
    await settle.commit()
    expect(summary(await store.receiptsOwed.list())).toEqual([[2, 1, 5]])
  })

  it('refuses a malformed message ID and a limit that is not a count; caps the page', async () => {
    store = await openClientStore(memoryDb())
    const unit = store.unit()
    expect(() => unit.receiptsOwed.owe(address(1, 1), new Uint8Array(3))).toThrow(InvalidRequestError)
    await expect(unit.receiptsOwed.list(-1)).rejects.toThrow(InvalidRequestError)
    for (let i = 0; i < MAX_OWED_RECEIPTS_PAGE + 5; i++) {
      const messageId = new Uint8Array(16)
      new DataView(messageId.buffer).setUint32(12, i)
      unit.receiptsOwed.owe(address(1, 1), messageId)
    }
    expect(await unit.receiptsOwed.list(MAX_OWED_RECEIPTS_PAGE + 5)).toHaveLength(MAX_OWED_RECEIPTS_PAGE)
    expect(await unit.receiptsOwed.list(0)).toEqual([])
  })
})
