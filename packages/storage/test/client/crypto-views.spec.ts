/**
 * The crypto stores of a unit behave exactly like @ferry/crypto's in-memory stores: one behaviour suite
 * runs against InMemory*Store, against one unit's views (read-your-writes), and against views that
 * commit every call in a unit of its own and reopen the database in between (persistence). The type
 * assertion at the top keeps `unit.crypto` assignable to @ferry/crypto's CryptoStores.
 */
import { inspect } from 'node:util'
import type { CryptoStores } from '@ferry/crypto'
import { inMemoryStores } from '@ferry/crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type ClientStore, type ClientUnit, InvalidRequestError, openClientStore } from '../../src/index.js'
import { accountKey, address, groupId, memoryDb } from './helpers.js'

// compile-time guard: a unit's crypto views are what @ferry/crypto's ciphers take
const cryptoStoresOf = (unit: ClientUnit): CryptoStores => unit.crypto
void cryptoStoresOf

interface Harness {
  stores: CryptoStores
  done(): Promise<void>
}

/** Every method call runs in its own unit, committed; the store is reopened before each call. */
function committedPerCall(db: ReturnType<typeof memoryDb>): Harness {
  let store: ClientStore | undefined
  const call = async <T>(run: (unit: ClientUnit) => Promise<T>): Promise<T> => {
    await store?.close()
    store = await openClientStore(db)
    const unit = store.unit()
    const result = await run(unit)
    await unit.commit()
    return result
  }
  const wrap = <K extends keyof CryptoStores>(name: K): CryptoStores[K] =>
    new Proxy({} as CryptoStores[K], {
      get:
        (_, method: string) =>
        (...args: unknown[]) =>
          call((unit) => {
            const view = unit.crypto[name] as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>
            return view[method]!(...args)
          }),
    })
  return {
    stores: {
      identities: wrap('identities'),
      sessions: wrap('sessions'),
      preKeys: wrap('preKeys'),
      senderKeys: wrap('senderKeys'),
    },
    done: async () => {
      await store?.close()
    },
  }
}

const harnesses: Array<[string, () => Promise<Harness>]> = [
  ['InMemory*Store (@ferry/crypto)', async () => ({ stores: inMemoryStores(), done: async () => {} })],
  [
    'one unit of work',
    async () => {
      const store = await openClientStore(memoryDb())
      const unit = store.unit()
      return { stores: unit.crypto, done: () => store.close() }
    },
  ],
  ['a committed unit per call, reopened between calls', async () => committedPerCall(memoryDb())],
]

const pair = (n: number) => ({
  publicKey: new Uint8Array(32).fill(n),
  secretKey: new Uint8Array(64).fill(n + 1),
})
const kemPair = (n: number) => ({
  publicKey: new Uint8Array(1184).fill(n),
  secretKey: new Uint8Array(2400).fill(n + 1),
})
interface Pair {
  publicKey: Uint8Array
  secretKey: Uint8Array
}
const sameKeyPair = (got: Pair | undefined, want: Pair) => {
  expect(got?.publicKey).toEqual(want.publicKey)
  expect(got?.secretKey).toEqual(want.secretKey)
}

describe.each(harnesses)('crypto stores: %s', (_, make) => {
  let h: Harness
  let s: CryptoStores
  beforeEach(async () => {
    h = await make()
    s = h.stores
  })
  afterEach(async () => {
    await h.done()
  })

  it('identities: trust on first use, then unchanged, changed (not saved), approved', async () => {
    const alice = address(1, 1)
    const key = new Uint8Array(32).fill(1)
    const other = new Uint8Array(32).fill(2)
    expect(await s.identities.getIdentity(alice)).toBeUndefined()
    expect(await s.identities.saveIdentity(alice, key)).toBe('new')
    expect(await s.identities.getIdentity(alice)).toEqual(key)
    expect(await s.identities.saveIdentity(alice, key.slice())).toBe('unchanged')
    expect(await s.identities.saveIdentity(alice, other)).toBe('changed')
    expect(await s.identities.getIdentity(alice)).toEqual(key)
    expect(await s.identities.saveIdentity(alice, other)).toBe('changed')
    await s.identities.approveIdentity(alice, other)
    expect(await s.identities.getIdentity(alice)).toEqual(other)
    expect(await s.identities.saveIdentity(alice, other)).toBe('unchanged')
    // another device of the same account, and another account, are separate
    expect(await s.identities.getIdentity(address(1, 2))).toBeUndefined()
    expect(await s.identities.saveIdentity(address(2, 1), key)).toBe('new')
  })

  it('identities: copies in and out', async () => {
    const alice = address(1, 1)
    const key = new Uint8Array(32).fill(1)
    await s.identities.saveIdentity(alice, key)
    key.fill(9)
    const read = await s.identities.getIdentity(alice)
    expect(read).toEqual(new Uint8Array(32).fill(1))
    read!.fill(8)
    expect(await s.identities.getIdentity(alice)).toEqual(new Uint8Array(32).fill(1))
  })

  it('sessions: store, load a copy, replace, delete; per device', async () => {
    const bob = address(2, 1)
    expect(await s.sessions.loadSession(bob)).toBeUndefined()
    const record = Uint8Array.of(1, 2, 3)
    await s.sessions.storeSession(bob, record)
    record[0] = 99
    const loaded = await s.sessions.loadSession(bob)
    expect(loaded).toEqual(Uint8Array.of(1, 2, 3))
    loaded![1] = 99
    expect(await s.sessions.loadSession(bob)).toEqual(Uint8Array.of(1, 2, 3))
    await s.sessions.storeSession(bob, Uint8Array.of(4))
    expect(await s.sessions.loadSession(bob)).toEqual(Uint8Array.of(4))
    expect(await s.sessions.loadSession(address(2, 2))).toBeUndefined()
    expect(await s.sessions.loadSession({ accountKey: accountKey(3), deviceId: 1 })).toBeUndefined()
    await s.sessions.deleteSession(bob)
    expect(await s.sessions.loadSession(bob)).toBeUndefined()
    await s.sessions.deleteSession(bob)
    await s.sessions.storeSession(bob, new Uint8Array(0))
    expect(await s.sessions.loadSession(bob)).toEqual(new Uint8Array(0))
  })

  it('pre-keys: signed and one-time store, load, remove', async () => {
    expect(await s.preKeys.loadSignedPreKey(1)).toBeUndefined()
    await s.preKeys.storeSignedPreKey(1, pair(1))
    sameKeyPair(await s.preKeys.loadSignedPreKey(1), pair(1))
    expect(await s.preKeys.loadSignedPreKey(2)).toBeUndefined()
    await s.preKeys.storeOneTimePreKey(1, pair(3))
    await s.preKeys.storeOneTimePreKey(0xffffffff, pair(5))
    sameKeyPair(await s.preKeys.loadOneTimePreKey(1), pair(3))
    sameKeyPair(await s.preKeys.loadOneTimePreKey(0xffffffff), pair(5))
    await s.preKeys.removeOneTimePreKey(1)
    expect(await s.preKeys.loadOneTimePreKey(1)).toBeUndefined()
    await s.preKeys.removeOneTimePreKey(1)
    sameKeyPair(await s.preKeys.loadSignedPreKey(1), pair(1))
  })

  it('pre-keys: KEM keys keep their last-resort flag; only one-time KEM keys are removed', async () => {
    await s.preKeys.storeKemPreKey(1, kemPair(1), true)
    await s.preKeys.storeKemPreKey(2, kemPair(2), false)
    const lastResort = await s.preKeys.loadKemPreKey(1)
    expect(lastResort?.lastResort).toBe(true)
    sameKeyPair(lastResort?.keyPair, kemPair(1))
    expect((await s.preKeys.loadKemPreKey(2))?.lastResort).toBe(false)
    await s.preKeys.removeKemPreKey(1)
    await s.preKeys.removeKemPreKey(2)
    await s.preKeys.removeKemPreKey(3)
    expect((await s.preKeys.loadKemPreKey(1))?.lastResort).toBe(true)
    expect(await s.preKeys.loadKemPreKey(2)).toBeUndefined()
    // a last-resort key is replaced, not consumed
    await s.preKeys.storeKemPreKey(1, kemPair(7), true)
    sameKeyPair((await s.preKeys.loadKemPreKey(1))?.keyPair, kemPair(7))
  })

  it('pre-keys: a last-resort use is accepted once per (KEM key, signed key, base key)', async () => {
    const base = new Uint8Array(32).fill(5)
    expect(await s.preKeys.markLastResortUse(1, 2, base)).toBe(true)
    expect(await s.preKeys.markLastResortUse(1, 2, base.slice())).toBe(false)
    expect(await s.preKeys.markLastResortUse(1, 2, new Uint8Array(32).fill(6))).toBe(true)
    expect(await s.preKeys.markLastResortUse(1, 3, base)).toBe(true)
    expect(await s.preKeys.markLastResortUse(4, 2, base)).toBe(true)
    expect(await s.preKeys.markLastResortUse(1, 2, base)).toBe(false)
  })

  it('sender keys: per sender device and distribution; copies; delete', async () => {
    const carol = address(3, 1)
    expect(await s.senderKeys.loadSenderKey(carol, groupId(1))).toBeUndefined()
    const record = Uint8Array.of(7, 7)
    await s.senderKeys.storeSenderKey(carol, groupId(1), record)
    record[0] = 0
    expect(await s.senderKeys.loadSenderKey(carol, groupId(1))).toEqual(Uint8Array.of(7, 7))
    expect(await s.senderKeys.loadSenderKey(carol, groupId(2))).toBeUndefined()
    expect(await s.senderKeys.loadSenderKey(address(3, 2), groupId(1))).toBeUndefined()
    await s.senderKeys.storeSenderKey(carol, groupId(1), Uint8Array.of(8))
    expect(await s.senderKeys.loadSenderKey(carol, groupId(1))).toEqual(Uint8Array.of(8))
    await s.senderKeys.deleteSenderKey(carol, groupId(1))
    expect(await s.senderKeys.loadSenderKey(carol, groupId(1))).toBeUndefined()
  })
})

describe('crypto views refuse malformed arguments', () => {
  it('with InvalidRequestError, before touching the store', async () => {
    const store = await openClientStore(memoryDb())
    const unit = store.unit()
    const c = unit.crypto
    const badAccount = { accountKey: new Uint8Array(31), deviceId: 1 }
    await expect(c.sessions.loadSession(badAccount)).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(
      c.sessions.storeSession({ accountKey: accountKey(1), deviceId: -1 }, Uint8Array.of(1)),
    ).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(c.identities.saveIdentity(address(1), new Uint8Array(0))).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
    await expect(c.preKeys.loadSignedPreKey(2 ** 32)).rejects.toBeInstanceOf(InvalidRequestError)
    await expect(c.preKeys.markLastResortUse(1, 1, new Uint8Array(31))).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
    await expect(c.senderKeys.loadSenderKey(address(1), new Uint8Array(15))).rejects.toBeInstanceOf(
      InvalidRequestError,
    )
    await unit.commit()
    expect(await store.isEmpty()).toBe(true)
    await store.close()
  })

  it('key pairs read back print no secret bytes', async () => {
    const store = await openClientStore(memoryDb())
    const unit = store.unit()
    await unit.crypto.preKeys.storeSignedPreKey(1, pair(0x41))
    const loaded = await unit.crypto.preKeys.loadSignedPreKey(1)
    const printed = [String(loaded), JSON.stringify(loaded), inspect(loaded, { depth: 5 })].join('\n')
    expect(printed).not.toContain('66, 66')
    expect(printed).not.toContain(Buffer.from(pair(0x41).secretKey).toString('hex').slice(0, 16))
    expect(printed).toContain('redacted')
    unit.discard()
    await store.close()
  })
})
