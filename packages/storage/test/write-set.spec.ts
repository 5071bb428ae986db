import { describe, expect, it } from 'vitest'
import { Keyspace, openDatabase } from '../src/database.js'
import { PRESENT, WriteSet } from '../src/write-set.js'
import { memoryDb } from './helpers.js'

const bytes = (...values: number[]) => Uint8Array.from(values)

async function keyspace(): Promise<Keyspace> {
  const db = memoryDb()
  await openDatabase(db)
  return new Keyspace(db, 'write-set-test')
}

describe('WriteSet', () => {
  it('loadPresence tells present keys from absent ones without reading their values', async () => {
    const ks = await keyspace()
    const [a, b] = [ks.key(bytes(1)), ks.key(bytes(2))]
    await ks.write([{ type: 'put', key: a, value: bytes(9, 9, 9) }])
    const ws = new WriteSet(ks)
    await ws.loadPresence([a, b])
    expect(ws.get(a)).toBe(PRESENT)
    expect(ws.get(b)).toBeUndefined()
    // a write replaces the marker, and only written keys go into the batch
    ws.del(a)
    expect(ws.get(a)).toBeUndefined()
    expect(ws.operations()).toEqual([{ type: 'del', key: a }])
  })

  it('loadPresence keeps what the batch or its parent already knows', async () => {
    const ks = await keyspace()
    const [a, b] = [ks.key(bytes(1)), ks.key(bytes(2))]
    await ks.write([{ type: 'put', key: b, value: bytes(7) }])
    const parent = new WriteSet(ks)
    await parent.load([a])
    parent.put(a, bytes(5))
    const ws = new WriteSet(ks, parent)
    ws.del(b)
    await ws.loadPresence([a, b])
    expect(ws.get(a)).toEqual(bytes(5))
    expect(ws.get(b)).toBeUndefined()
  })
})
