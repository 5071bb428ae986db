/**
 * Opening and the stored formats: account and contact records round-trip and the account prints no
 * secret; a store of a newer format, a locked directory and corrupt records are refused with typed
 * errors; an empty store is told apart from one that lost its account (FAULTS 38).
 */
import { inspect } from 'node:util'
import { ClassicLevel } from 'classic-level'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CLIENT_FORMAT_VERSION,
  CLIENT_SUBLEVEL,
  type ClientStore,
  InvalidRequestError,
  openClientStore,
  StoreCorruptError,
  StoreLockedError,
  StoreVersionError,
} from '../../src/index.js'
import { account, accountKey, contact, hex, id, memoryDb, message, tempDir } from './helpers.js'

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) {
    await step().catch(() => {})
  }
})

async function open(db = memoryDb()): Promise<ClientStore> {
  const store = await openClientStore(db)
  cleanup.push(() => store.close())
  return store
}

/** The raw client keyspace, to plant bytes the store did not write. */
const raw = (db: ReturnType<typeof memoryDb>) =>
  db.sublevel<Uint8Array, Uint8Array>(CLIENT_SUBLEVEL, { keyEncoding: 'view', valueEncoding: 'view' })

describe('account and contacts', () => {
  it('round-trips the account, with and without the optional parts', async () => {
    const store = await open()
    const full = account()
    let unit = store.unit()
    await unit.account.put(full)
    await unit.commit()
    const read = await store.account.get()
    expect(read?.accountKey).toEqual(full.accountKey)
    expect(read?.accountSecret).toEqual(full.accountSecret)
    expect(read?.identityKeyPair.secretKey).toEqual(full.identityKeyPair.secretKey)
    expect(read?.signingKeyPair.publicKey).toEqual(full.signingKeyPair.publicKey)
    expect(read?.peerPrivateKey).toEqual(full.peerPrivateKey)
    expect(read?.certificate).toEqual(full.certificate)
    expect(read?.mailboxes.map((m) => [m.relayAddrs, hex(m.mailboxKey), hex(m.mailboxId)])).toEqual(
      full.mailboxes.map((m) => [m.relayAddrs, hex(m.mailboxKey), hex(m.mailboxId)]),
    )
    expect(read?.deviceList).toEqual(full.deviceList)
    expect(read?.preKeys).toEqual(full.preKeys)

    const linked = {
      ...account(),
      accountSecret: undefined,
      deviceList: undefined,
      mailboxes: [],
      deviceId: 3,
    }
    unit = store.unit()
    await unit.account.put(linked)
    await unit.commit()
    const again = await store.account.get()
    expect(again?.accountSecret).toBeUndefined()
    expect(again?.deviceList).toBeUndefined()
    expect(again?.mailboxes).toEqual([])
    expect(again?.deviceId).toBe(3)
  })

  it('prints no secret of the account: not its key pairs, account secret, libp2p key or mailbox keys', async () => {
    const store = await open()
    const unit = store.unit()
    await unit.account.put(account())
    await unit.commit()
    const read = (await store.account.get())!
    const printed = [
      String(read),
      JSON.stringify(read),
      inspect(read, { depth: 10 }),
      JSON.stringify(read.mailboxes),
      inspect(read.mailboxes, { depth: 10 }),
      JSON.stringify(read.identityKeyPair),
      inspect(read.signingKeyPair),
    ].join('\n')
    for (const byte of [0x5a, 0x5b, 0x5c, 0x5d, 0x5e]) {
      expect(printed).not.toContain(`${byte}, ${byte}`)
      expect(printed).not.toContain(byte.toString(16).repeat(8))
      expect(printed).not.toContain(Buffer.from(new Uint8Array(8).fill(byte)).toString('base64').slice(0, 8))
    }
    expect(printed).toContain('redacted')
  })

  it('refuses malformed accounts', async () => {
    const store = await open()
    const unit = store.unit()
    for (const fields of [
      { accountKey: new Uint8Array(31) },
      { deviceId: -1 },
      { certificate: new Uint8Array(4097) },
      { preKeys: { nextOneTimeId: 2 ** 32, nextKemId: 0, signedPreKeyId: 0, signedPreKeyCreatedAt: 0 } },
      { identityKeyPair: { publicKey: new Uint8Array(32), secretKey: 'secret' as never } },
    ]) {
      await expect(unit.account.put(account(fields))).rejects.toBeInstanceOf(InvalidRequestError)
    }
    unit.discard()
  })

  it('lists, replaces and deletes contacts', async () => {
    const store = await open()
    let unit = store.unit()
    await unit.contacts.put(contact(3))
    await unit.contacts.put(contact(1, { name: undefined, verifiedAt: 77 }))
    await unit.contacts.put(
      contact(2, { deviceList: { signed: Uint8Array.of(1, 2), version: 9 }, relays: [], name: 'Zoë' }),
    )
    await unit.commit()
    const listed = await store.contacts.list()
    expect(listed.map((c) => hex(c.accountKey))).toEqual([1, 2, 3].map((n) => hex(accountKey(n))))
    expect(listed[0]).toEqual({
      accountKey: accountKey(1),
      addedAt: 3_000,
      relays: contact(1).relays,
      verifiedAt: 77,
    })
    expect(listed[1]?.deviceList).toEqual({ signed: Uint8Array.of(1, 2), version: 9 })
    expect(listed[1]?.name).toBe('Zoë')
    unit = store.unit()
    await unit.contacts.put(contact(3, { name: 'renamed' }))
    await unit.contacts.delete(accountKey(1))
    await unit.commit()
    expect((await store.contacts.list()).map((c) => c.name)).toEqual(['Zoë', 'renamed'])
    expect(await store.contacts.get(accountKey(1))).toBeUndefined()
  })
})

describe('opening', () => {
  it('FAULTS 38: reopens what it wrote, and tells an empty store from one that lost its account', async () => {
    const db = memoryDb()
    let store = await openClientStore(db)
    expect(await store.isEmpty()).toBe(true)
    const unit = store.unit()
    await unit.messages.put(message(1))
    await unit.commit()
    await store.close()
    store = await open(db)
    expect(await store.isEmpty()).toBe(false)
    // not empty, yet no account: the client must ask for a re-link, never make a new identity
    expect(await store.account.get()).toBeUndefined()
    expect((await store.messages.get(id(1)))?.text).toBe('message 1')
  })

  it('refuses a store written by a newer format, and closes the database', async () => {
    const db = memoryDb()
    await db.open()
    await raw(db).put(Uint8Array.of(0x76), Uint8Array.of(0, 0, 0, CLIENT_FORMAT_VERSION + 1))
    const err = await openClientStore(db).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreVersionError)
    expect((err as StoreVersionError).version).toBe(CLIENT_FORMAT_VERSION + 1)
    expect(db.status).toBe('closed')
  })

  it('reports a corrupt record as StoreCorruptError', async () => {
    const db = memoryDb()
    const store = await open(db)
    const unit = store.unit()
    await unit.account.put(account())
    await unit.messages.put(message(1))
    await unit.commit()
    const good = (await raw(db).get(Uint8Array.of(0x61)))!
    // the record is damaged behind the store's back; a store opened on the damaged data reads it from
    // disk (a running store would answer from its read cache, which only its own writes change)
    for (const bad of [
      good.subarray(0, good.byteLength - 1),
      Uint8Array.of(9, ...good.subarray(1)),
      Uint8Array.of(...good, 0),
    ]) {
      await raw(db).put(Uint8Array.of(0x61), bad)
      const reopened = await open(db)
      await expect(reopened.account.get()).rejects.toBeInstanceOf(StoreCorruptError)
    }
    void store
  })

  it('refuses a directory another handle holds with StoreLockedError', async () => {
    const dir = await tempDir()
    cleanup.push(dir.remove)
    const first = await open(new ClassicLevel(dir.path))
    await expect(openClientStore(new ClassicLevel(dir.path))).rejects.toBeInstanceOf(StoreLockedError)
    await first.close()
    const second = await open(new ClassicLevel(dir.path))
    expect(await second.isEmpty()).toBe(true)
  })
})

describe('point reads', () => {
  it('are answered by a database without synchronous reads too (browser-level has none)', async () => {
    const db = memoryDb()
    let syncTries = 0
    Object.defineProperty(db, 'getSync', {
      value: () => {
        syncTries++
        throw Object.assign(new Error('Database does not support getSync()'), { code: 'LEVEL_NOT_SUPPORTED' })
      },
      configurable: true,
      writable: true,
    })
    const store = await openClientStore(db)
    const unit = store.unit()
    await unit.messages.put(message(1))
    await unit.commit()
    const fresh = await openClientStore(db) // no read cache filled by the commit
    expect((await fresh.messages.get(id(1)))?.text).toBe('message 1')
    expect(await fresh.messages.get(id(2))).toBeUndefined()
    expect(syncTries).toBeGreaterThan(0)
    const tries = syncTries
    expect(await fresh.messages.get(id(3))).toBeUndefined()
    expect(syncTries).toBe(tries) // asked once per store, then read asynchronously
    await store.close()
  })
})
