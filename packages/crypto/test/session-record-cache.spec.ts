/**
 * The decoded-record cache on its own (exact-bytes matching, ownership by `take`, bounds, redaction)
 * and inside SessionCipher: a failed operation never leaves its record behind, a store that holds other
 * bytes (rolled back, a discarded unit of work) is noticed, ciphers made per unit of work share it, and
 * no array a caller holds can change a cached record.
 */
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { MAX_CACHED_SESSION_RECORDS } from '../src/constants.js'
import { CryptoInputError } from '../src/errors.js'
import { KeyedMutex } from '../src/lock.js'
import { nodeProvider } from '../src/provider/node.js'
import { SessionCipher } from '../src/session-cipher.js'
import { decodeSessionRecord, type SessionRecord } from '../src/session-record.js'
import { SessionRecordCache } from '../src/session-record-cache.js'
import { InMemorySessionStore, type SessionStore } from '../src/stores.js'
import { addressKey } from '../src/types.js'
import { makeDevice, read, type TestDevice, text } from './helpers/session-fixtures.js'

const provider = nodeProvider

function record(): SessionRecord {
  return { current: undefined, archived: [] }
}

describe('SessionRecordCache', () => {
  it('serves a record only for exactly the bytes it was stored as, and hands it out once', () => {
    const cache = new SessionRecordCache()
    const r = record()
    const bytes = new Uint8Array([1, 2, 3])
    cache.put('a', r, bytes)
    expect(cache.peek('a', new Uint8Array([1, 2, 3]))).toBe(r)
    expect(cache.take('a', new Uint8Array([1, 2, 3]))).toBe(r)
    // taken: the caller owns it until it is put back
    expect(cache.take('a', new Uint8Array([1, 2, 3]))).toBeUndefined()
    cache.put('a', r, bytes)
    expect(cache.take('a', new Uint8Array([1, 2, 4]))).toBeUndefined()
    // other bytes in the store: the entry is gone for good
    expect(cache.size).toBe(0)
    cache.put('a', r, bytes)
    expect(cache.take('a', undefined)).toBeUndefined()
    expect(cache.size).toBe(0)
    cache.put('a', r, bytes)
    expect(cache.take('b', bytes)).toBeUndefined()
  })

  it('keeps its own copy of the bytes: changing the array given to put changes nothing', () => {
    const cache = new SessionRecordCache()
    const r = record()
    const bytes = new Uint8Array([1, 2, 3])
    cache.put('a', r, bytes)
    bytes[0] = 9
    expect(cache.peek('a', bytes)).toBeUndefined()
    cache.put('a', r, new Uint8Array([1, 2, 3]))
    expect(cache.peek('a', new Uint8Array([1, 2, 3]))).toBe(r)
  })

  it('holds at most its capacity, least recently used dropped first; capacity 0 holds nothing', () => {
    const cache = new SessionRecordCache({ capacity: 2 })
    const bytes = new Uint8Array([7])
    cache.put('a', record(), bytes)
    cache.put('b', record(), bytes)
    // 'a' is used again (taken and put back), so 'b' is now the oldest
    const a = cache.take('a', bytes)!
    cache.put('a', a, bytes)
    cache.put('c', record(), bytes)
    expect(cache.size).toBe(2)
    expect(cache.peek('b', bytes)).toBeUndefined()
    expect(cache.peek('a', bytes)).toBe(a)
    const none = new SessionRecordCache({ capacity: 0 })
    none.put('a', record(), bytes)
    expect(none.size).toBe(0)
    expect(new SessionRecordCache()).toHaveProperty('size', 0)
    expect(MAX_CACHED_SESSION_RECORDS).toBeGreaterThan(0)
  })

  it('refuses a capacity that is not a non-negative integer', () => {
    for (const capacity of [-1, 1.5, Number.NaN]) {
      expect(() => new SessionRecordCache({ capacity })).toThrow(CryptoInputError)
    }
  })

  it('prints no record content', () => {
    const cache = new SessionRecordCache()
    cache.put('a', record(), new Uint8Array([1]))
    for (const printed of [String(cache), JSON.stringify(cache), inspect(cache)]) {
      expect(printed).toContain('SessionRecordCache [1 records, redacted]')
    }
  })
})

/** Alice and Bob with an answered session, Bob's cipher over `bobCache`. */
async function answered(bobCache?: SessionRecordCache): Promise<{ alice: TestDevice; bob: TestDevice }> {
  const alice = await makeDevice(provider)
  const bob = await makeDevice(provider, bobCache === undefined ? {} : { sessionCache: bobCache })
  await alice.cipher.initiate(await bob.bundle())
  await bob.cipher.decrypt(alice.local.address, await alice.cipher.encrypt(bob.local.address, text('a0')))
  await alice.cipher.decrypt(bob.local.address, await bob.cipher.encrypt(alice.local.address, text('b0')))
  return { alice, bob }
}

/** A session store that fails the next `storeSession` once when `failNext` is set. */
class FlakySessionStore extends InMemorySessionStore {
  failNext = false

  override async storeSession(...args: Parameters<SessionStore['storeSession']>): Promise<void> {
    if (this.failNext) {
      this.failNext = false
      throw new Error('disk full')
    }
    return super.storeSession(...args)
  }
}

/** A view of a store whose writes stay in the view (a unit of work that may be discarded). */
function overlay(base: SessionStore): SessionStore {
  const written = new Map<string, Uint8Array | undefined>()
  return {
    async loadSession(address) {
      const key = addressKey(address)
      return written.has(key) ? written.get(key)?.slice() : base.loadSession(address)
    },
    async storeSession(address, bytes) {
      written.set(addressKey(address), bytes.slice())
    },
    async deleteSession(address) {
      written.set(addressKey(address), undefined)
    },
  }
}

/** The counter in the header of a framed RatchetMessage. */
async function counterOf(body: Uint8Array): Promise<number> {
  const { RatchetHeader, RatchetMessage } = await import('@ferry/wire')
  return RatchetHeader.decode(RatchetMessage.decode(body).header).counter
}

describe('SessionCipher with a record cache', () => {
  it('a decrypt whose store write fails leaves no changed record behind: the message decrypts afterwards', async () => {
    const alice = await makeDevice(provider)
    const bob = await makeDevice(provider)
    const flaky = new FlakySessionStore()
    const cache = new SessionRecordCache()
    const bobCipher = new SessionCipher({
      context: bob.context,
      stores: { ...bob.stores, sessions: flaky },
      local: bob.local,
      sessionCache: cache,
    })
    await alice.cipher.initiate(await bob.bundle())
    await bobCipher.decrypt(alice.local.address, await alice.cipher.encrypt(bob.local.address, text('a0')))
    const reply = await bobCipher.encrypt(alice.local.address, text('b0'))
    await alice.cipher.decrypt(bob.local.address, reply)
    for (const dh of [true, false]) {
      // a new ratchet key (a DH step), then a message on the same chain
      const message = await alice.cipher.encrypt(bob.local.address, text(`m ${dh}`))
      flaky.failNext = true
      await expect(bobCipher.decrypt(alice.local.address, message)).rejects.toThrow('disk full')
      expect(cache.size).toBe(0)
      expect(read((await bobCipher.decrypt(alice.local.address, message)).plaintext)).toBe(`m ${dh}`)
      expect(cache.size).toBe(1)
    }
    // an encrypt whose write fails does not advance the stored or cached chain either
    const before = await counterOf((await bobCipher.encrypt(alice.local.address, text('x'))).body)
    flaky.failNext = true
    await expect(bobCipher.encrypt(alice.local.address, text('lost'))).rejects.toThrow('disk full')
    expect(await counterOf((await bobCipher.encrypt(alice.local.address, text('y'))).body)).toBe(before + 1)
  })

  it('a unit of work that was discarded is noticed: the next cipher works from what the store holds', async () => {
    const { alice, bob } = await answered()
    const cache = new SessionRecordCache()
    const mutex = new KeyedMutex()
    const base = alice.stores.sessions
    const cipher = (sessions: SessionStore) =>
      new SessionCipher({
        context: alice.context,
        stores: { ...alice.stores, sessions },
        local: alice.local,
        sessionCache: cache,
        mutex,
      })
    // warm the cache from the durable store
    const first = await cipher(base).encrypt(bob.local.address, text('kept'))
    expect(read((await bob.cipher.decrypt(alice.local.address, first)).plaintext)).toBe('kept')
    // a unit encrypts (the cache now holds its record), then is discarded
    const discarded = await cipher(overlay(base)).encrypt(bob.local.address, text('discarded'))
    expect(cache.size).toBe(1)
    // the next unit sees the durable bytes, not the discarded ones: it reuses the discarded counter
    const next = await cipher(overlay(base)).encrypt(bob.local.address, text('next'))
    expect(await counterOf(next.body)).toBe(await counterOf(discarded.body))
    expect(read((await bob.cipher.decrypt(alice.local.address, next)).plaintext)).toBe('next')
  })

  it('ciphers made per operation share records through an explicit cache', async () => {
    const { alice, bob } = await answered()
    let hits = 0
    class CountingCache extends SessionRecordCache {
      override take(key: string, stored: Uint8Array | undefined): SessionRecord | undefined {
        const found = super.take(key, stored)
        hits += found === undefined ? 0 : 1
        return found
      }
    }
    const cache = new CountingCache()
    const mutex = new KeyedMutex()
    const perOperation = () =>
      new SessionCipher({
        context: bob.context,
        stores: bob.stores,
        local: bob.local,
        sessionCache: cache,
        mutex,
      })
    for (let i = 0; i < 4; i++) {
      const message = await alice.cipher.encrypt(bob.local.address, text(`a${i}`))
      expect(read((await perOperation().decrypt(alice.local.address, message)).plaintext)).toBe(`a${i}`)
      const reply = await perOperation().encrypt(alice.local.address, text(`b${i}`))
      expect(read((await alice.cipher.decrypt(bob.local.address, reply)).plaintext)).toBe(`b${i}`)
    }
    // every operation but the first found the record the previous one stored
    expect(hits).toBe(7)
  })

  it('arrays the caller holds (messages, bundles, returned keys) can change without touching a session', async () => {
    const alice = await makeDevice(provider)
    const bob = await makeDevice(provider)
    const bundle = await bob.bundle()
    await alice.cipher.initiate(bundle)
    // the caller wipes the bundle it passed in
    bundle.identityKey.fill(0)
    bundle.signedPreKey.publicKey.fill(0)
    const first = await alice.cipher.encrypt(bob.local.address, text('first'))
    expect(read((await bob.cipher.decrypt(alice.local.address, first)).plaintext)).toBe('first')
    first.body.fill(0) // a reused receive buffer: the PreKeyMessage's identity and base key were in it
    for (let i = 0; i < 3; i++) {
      // a new ratchet key, then a second message on its chain, each body wiped once decrypted
      const reply = await bob.cipher.encrypt(alice.local.address, text(`b${i}`))
      expect(read((await alice.cipher.decrypt(bob.local.address, reply)).plaintext)).toBe(`b${i}`)
      reply.body.fill(0)
      const again = await bob.cipher.encrypt(alice.local.address, text(`b${i}'`))
      const late = await bob.cipher.encrypt(alice.local.address, text(`b${i}''`))
      expect(read((await alice.cipher.decrypt(bob.local.address, late)).plaintext)).toBe(`b${i}''`)
      late.body.fill(0) // the skipped key for `again` was kept under this message's ratchet key
      expect(read((await alice.cipher.decrypt(bob.local.address, again)).plaintext)).toBe(`b${i}'`)
      const message = await alice.cipher.encrypt(bob.local.address, text(`a${i}`))
      expect(read((await bob.cipher.decrypt(alice.local.address, message)).plaintext)).toBe(`a${i}`)
      message.body.fill(0)
    }
    const identity = await alice.cipher.remoteIdentityKey(bob.local.address)
    identity!.fill(0)
    expect(await alice.cipher.remoteIdentityKey(bob.local.address)).toEqual(
      bob.local.identityKeyPair.publicKey,
    )
    const last = await alice.cipher.encrypt(bob.local.address, text('last'))
    expect(read((await bob.cipher.decrypt(alice.local.address, last)).plaintext)).toBe('last')
  })

  it('the cached record equals a decode of the stored bytes after every operation', async () => {
    const cache = new SessionRecordCache()
    const { alice, bob } = await answered(cache)
    const key = addressKey(alice.local.address)
    const check = async () => {
      const stored = await bob.stores.sessions.loadSession(alice.local.address)
      expect(cache.peek(key, stored)).toEqual(decodeSessionRecord(stored))
    }
    await check()
    for (let i = 0; i < 3; i++) {
      const held = await alice.cipher.encrypt(bob.local.address, text(`held ${i}`))
      const m = await alice.cipher.encrypt(bob.local.address, text(`m ${i}`))
      await bob.cipher.decrypt(alice.local.address, m)
      await check()
      await alice.cipher.decrypt(
        bob.local.address,
        await bob.cipher.encrypt(alice.local.address, text(`r ${i}`)),
      )
      await check()
      await bob.cipher.decrypt(alice.local.address, held)
      await check()
    }
    await bob.cipher.archiveSession(alice.local.address)
    await check()
  })
})
