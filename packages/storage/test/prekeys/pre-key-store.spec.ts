import { describe, expect, it } from 'vitest'
import {
  InvalidRequestError,
  MAX_ONE_TIME_KEM_PRE_KEYS,
  MAX_ONE_TIME_PRE_KEYS,
  PreKeyStore,
  type PreKeyUpload,
  StorageWriteError,
} from '../../src/index.js'
import { hex, instrumentBatches, memoryDb } from '../helpers.js'

const device = (account: number, deviceId: number): Uint8Array => {
  const key = new Uint8Array(36).fill(account)
  new DataView(key.buffer).setUint32(32, deviceId)
  return key
}
const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill)

function upload(
  oneTimeIds: number[],
  kemIds: number[],
  generation = 1,
  certificateGeneration = 1,
): PreKeyUpload {
  return {
    certificate: bytes(100, 0xc0 + certificateGeneration),
    signedPreKey: bytes(120, 0x50 + generation),
    kemLastResort: bytes(1300, 0x70 + generation),
    oneTimePreKeys: oneTimeIds.map((id) => ({ id, publicKey: bytes(32, id & 0xff) })),
    oneTimeKemPreKeys: kemIds.map((id) => ({ id, record: bytes(1300, id & 0xff) })),
  }
}

async function setup() {
  const db = memoryDb()
  const batches = instrumentBatches(db)
  return { db, batches, store: await PreKeyStore.open(db) }
}

describe('PreKeyStore', () => {
  it('hands out one-time keys lowest ID first, each once, then falls back to the last-resort KEM key', async () => {
    const { store } = await setup()
    const d = device(1, 1)
    expect(await store.upload(d, upload([12, 10, 11], [5]))).toEqual({
      status: 'stored',
      oneTime: 3,
      oneTimeKem: 1,
    })
    const first = await store.claim(d)
    expect(first).toEqual({
      deviceCertificate: bytes(100, 0xc1),
      signedPreKey: bytes(120, 0x51),
      kemPreKey: bytes(1300, 5),
      oneTimePreKey: { id: 10, publicKey: bytes(32, 10) },
    })
    expect(await store.count(d)).toEqual({ oneTime: 2, oneTimeKem: 0 })
    expect((await store.claim(d))?.oneTimePreKey?.id).toBe(11)
    const third = await store.claim(d)
    expect(third?.oneTimePreKey?.id).toBe(12)
    expect(third?.kemPreKey).toEqual(bytes(1300, 0x71)) // last resort
    const exhausted = await store.claim(d)
    expect(exhausted?.oneTimePreKey).toBeUndefined()
    expect(exhausted?.kemPreKey).toEqual(bytes(1300, 0x71))
    expect(await store.count(d)).toEqual({ oneTime: 0, oneTimeKem: 0 })
  })

  it('a claim without one-time keys hands out the last-resort bundle and consumes nothing', async () => {
    const { store, batches } = await setup()
    const d = device(1, 1)
    await store.upload(d, upload([1, 2], [1]))
    const writes = batches.calls
    expect(await store.claim(d, { oneTime: false })).toEqual({
      deviceCertificate: bytes(100, 0xc1),
      signedPreKey: bytes(120, 0x51),
      kemPreKey: bytes(1300, 0x71),
    })
    expect(batches.calls).toBe(writes)
    expect(await store.count(d)).toEqual({ oneTime: 2, oneTimeKem: 1 })
    expect(await store.claim(device(9, 9), { oneTime: false })).toBeUndefined()
  })

  it('concurrent claims never hand out the same one-time key twice', async () => {
    const { store } = await setup()
    const d = device(1, 1)
    await store.upload(d, upload([1, 2, 3, 4, 5], [1, 2, 3]))
    const bundles = await Promise.all(Array.from({ length: 12 }, () => store.claim(d)))
    const oneTime = bundles.map((b) => b?.oneTimePreKey?.id).filter((id) => id !== undefined)
    expect(oneTime.sort()).toEqual([1, 2, 3, 4, 5])
    const kem = bundles.map((b) => hex(b!.kemPreKey))
    expect(new Set(kem.filter((k) => k !== hex(bytes(1300, 0x71)))).size).toBe(3)
    expect(kem.filter((k) => k === hex(bytes(1300, 0x71)))).toHaveLength(9)
  })

  it('a re-upload of held IDs does not count them twice and replaces the signed keys', async () => {
    const { store } = await setup()
    const d = device(1, 1)
    await store.upload(d, upload([1, 2], [1]))
    expect(await store.upload(d, upload([2, 3], [1, 2], 2))).toEqual({
      status: 'stored',
      oneTime: 3,
      oneTimeKem: 2,
    })
    const bundle = await store.claim(d)
    expect(bundle?.signedPreKey).toEqual(bytes(120, 0x52))
    expect(bundle?.deviceCertificate).toEqual(bytes(100, 0xc1))
  })

  it('an upload under a new certificate (the device re-installed with new keys) drops the old one-time keys', async () => {
    const { store } = await setup()
    const d = device(1, 1)
    await store.upload(d, upload([1, 2], [1, 2]))
    expect(await store.upload(d, upload([7], [8], 2, 2))).toEqual({
      status: 'stored',
      oneTime: 1,
      oneTimeKem: 1,
    })
    const bundle = await store.claim(d)
    expect(bundle?.deviceCertificate).toEqual(bytes(100, 0xc2))
    expect(bundle?.oneTimePreKey).toEqual({ id: 7, publicKey: bytes(32, 7) })
    expect(bundle?.kemPreKey).toEqual(bytes(1300, 8))
    // nothing of the replaced device is ever handed out
    const next = await store.claim(d)
    expect(next?.oneTimePreKey).toBeUndefined()
    expect(next?.kemPreKey).toEqual(bytes(1300, 0x72))
  })

  it('refuses an upload past the caps and stores none of it', async () => {
    const { store } = await setup()
    const d = device(1, 1)
    const many = Array.from({ length: MAX_ONE_TIME_PRE_KEYS }, (_, i) => i)
    expect(await store.upload(d, upload(many, []))).toMatchObject({
      status: 'stored',
      oneTime: MAX_ONE_TIME_PRE_KEYS,
    })
    expect(await store.upload(d, upload([MAX_ONE_TIME_PRE_KEYS], [], 2))).toEqual({
      status: 'refused',
      reason: 'too-many-keys',
    })
    const kems = Array.from({ length: MAX_ONE_TIME_KEM_PRE_KEYS + 1 }, (_, i) => i)
    expect(await store.upload(device(2, 1), upload([], kems))).toEqual({
      status: 'refused',
      reason: 'too-many-keys',
    })
    expect(await store.count(d)).toEqual({ oneTime: MAX_ONE_TIME_PRE_KEYS, oneTimeKem: 0 })
    expect((await store.claim(d))?.signedPreKey).toEqual(bytes(120, 0x51)) // the refused upload replaced nothing
    expect(await store.claim(device(2, 1))).toBeUndefined()
  })

  it('keeps devices apart, including device keys that are prefixes of others', async () => {
    const { store } = await setup()
    const short = bytes(4, 9)
    const long = bytes(8, 9)
    await store.upload(short, upload([1], []))
    await store.upload(long, upload([2], []))
    expect((await store.claim(short))?.oneTimePreKey?.id).toBe(1)
    expect((await store.claim(short))?.oneTimePreKey).toBeUndefined()
    expect((await store.claim(long))?.oneTimePreKey?.id).toBe(2)
    expect(await store.claim(device(3, 1))).toBeUndefined()
    expect(await store.count(device(3, 1))).toEqual({ oneTime: 0, oneTimeKem: 0 })
  })

  it('a failed write hands nothing out and consumes nothing', async () => {
    const { store, batches } = await setup()
    const d = device(1, 1)
    await store.upload(d, upload([1, 2], []))
    batches.failNext = 1
    await expect(store.claim(d)).rejects.toBeInstanceOf(StorageWriteError)
    expect((await store.claim(d))?.oneTimePreKey?.id).toBe(1)
    batches.failNext = 1
    await expect(store.upload(d, upload([3], []))).rejects.toBeInstanceOf(StorageWriteError)
    expect(await store.count(d)).toEqual({ oneTime: 1, oneTimeKem: 0 })
  })

  it('claimed keys stay claimed after a reopen; remove deletes the device', async () => {
    const { db, store } = await setup()
    const d = device(1, 1)
    await store.upload(d, upload([1, 2], [1]))
    await store.claim(d)
    await store.close()
    const reopened = await PreKeyStore.open(db)
    expect(await reopened.count(d)).toEqual({ oneTime: 1, oneTimeKem: 0 })
    expect((await reopened.claim(d))?.oneTimePreKey?.id).toBe(2)
    await reopened.remove(d)
    expect(await reopened.claim(d)).toBeUndefined()
  })

  it('rejects malformed uploads', async () => {
    const { store } = await setup()
    const d = device(1, 1)
    const good = upload([1], [1])
    await expect(store.upload(new Uint8Array(0), good)).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(
      store.upload(d, { ...good, oneTimePreKeys: [{ id: 1, publicKey: bytes(31, 1) }] }),
    ).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(
      store.upload(d, { ...good, oneTimePreKeys: [{ id: -1, publicKey: bytes(32, 1) }] }),
    ).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(store.upload(d, { ...good, certificate: bytes(5000, 1) })).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
  })
})
