import { inspect } from 'node:util'
import { MemoryLevel } from 'memory-level'
import { describe, expect, it } from 'vitest'
import { type GroupRecord, InvalidRequestError, MAX_GROUP_KEYS, openClientStore } from '../../src/index.js'
import { accountKey, address, bytes, id } from './helpers.js'

function group(n: number, overrides: Partial<GroupRecord> = {}): GroupRecord {
  return {
    groupId: id(n),
    name: `group ${n}`,
    revision: 1,
    members: [
      { accountKey: accountKey(1), admin: true },
      { accountKey: accountKey(2), admin: false },
    ],
    keys: [{ keyId: 7, key: bytes(32, n, 0x4b) }],
    createdAt: 1000,
    left: false,
    distributedTo: [address(2, 1), address(2, 2)],
    ...overrides,
  }
}

describe('group views', () => {
  it('round-trips a group, reads its own writes in a unit, lists by ID, survives a reopen', async () => {
    const db = new MemoryLevel()
    const store = await openClientStore(db as never)
    const unit = store.unit()
    await unit.groups.put(group(2))
    await unit.groups.put(group(1, { revision: 3, left: true }))
    expect((await unit.groups.get(id(2)))?.name).toBe('group 2')
    expect(await store.groups.get(id(2))).toBeUndefined()
    await unit.commit()
    const back = await store.groups.get(id(1))
    expect(back).toMatchObject({ name: 'group 1', revision: 3, left: true, createdAt: 1000 })
    expect(back?.members).toEqual(group(1).members)
    expect(back?.keys).toEqual(group(1).keys)
    expect(back?.distributedTo).toEqual(group(1).distributedTo)
    expect((await store.groups.list()).map((g) => g.name)).toEqual(['group 1', 'group 2'])
    await store.close()
    const reopened = await openClientStore(db as never)
    expect((await reopened.groups.get(id(2)))?.revision).toBe(1)
    const deleting = reopened.unit()
    await deleting.groups.delete(id(2))
    await deleting.commit()
    expect(await reopened.groups.get(id(2))).toBeUndefined()
    await reopened.close()
  })

  it('prints no envelope key and refuses records past its bounds', async () => {
    const store = await openClientStore(new MemoryLevel() as never)
    const unit = store.unit()
    await unit.groups.put(group(1))
    const stored = await unit.groups.get(id(1))
    const printed = `${JSON.stringify(stored)} ${inspect(stored, { depth: 5 })}`
    expect(printed).not.toContain(Buffer.from(bytes(32, 1, 0x4b)).toString('hex'))
    expect(printed).not.toContain([...bytes(32, 1, 0x4b).slice(0, 6)].join(', '))
    const tooMany = Array.from({ length: MAX_GROUP_KEYS + 1 }, (_, i) => ({ keyId: i, key: bytes(32, i) }))
    await expect(unit.groups.put(group(3, { keys: tooMany }))).rejects.toThrow(InvalidRequestError)
    unit.discard()
    await store.close()
  })
})
