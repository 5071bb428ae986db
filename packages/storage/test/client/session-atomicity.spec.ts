/**
 * @ferry/crypto's SessionCipher running on a unit's crypto views (FAULTS 1, 19, 37): the ratchet step
 * and the message it yields commit together or not at all, so a commit that fails loses nothing (the
 * redelivered ciphertext decrypts again), and after a committed decrypt and a restart the same
 * ciphertext is a duplicate while the next message still decrypts from the stored session.
 */
import {
  AccountKeyPair,
  buildPreKeyBundle,
  createLocalDevice,
  generateKemPreKey,
  generateSignedPreKey,
  inMemoryStores,
  KeyedMutex,
  SessionCipher,
  type SessionMessage,
  verifyPreKeyBundle,
} from '@ferry/crypto'
import { nodeProvider } from '@ferry/crypto/provider/node'
import { describe, expect, it } from 'vitest'
import { type ClientStore, openClientStore, StorageWriteError } from '../../src/index.js'
import { id, memoryDb, spyBatches } from './helpers.js'

const ctx = { provider: nodeProvider, now: Date.now }
const text = (b: Uint8Array) => new TextDecoder().decode(b)
const utf8 = (s: string) => new TextEncoder().encode(s)

describe('SessionCipher over a unit of work', () => {
  it('FAULTS 37, 19, 1: commits ratchet state and message together; a failed commit loses nothing; a restart keeps both', async () => {
    const bobAccount = await AccountKeyPair.generate(ctx.provider)
    const bob = await createLocalDevice(ctx, bobAccount, {
      deviceId: 1,
      peerId: ctx.provider.randomBytes(38),
    })
    const db = memoryDb()
    const spy = spyBatches(db)
    let store: ClientStore = await openClientStore(db)

    // Bob's pre-keys, committed like any other state
    const signedPreKey = await generateSignedPreKey(ctx, bob.signingKeyPair, 1)
    const kemPreKey = await generateKemPreKey(ctx, bob.signingKeyPair, 2, { lastResort: true })
    const setup = store.unit()
    await setup.crypto.preKeys.storeSignedPreKey(signedPreKey.id, signedPreKey.keyPair)
    await setup.crypto.preKeys.storeKemPreKey(kemPreKey.id, kemPreKey.keyPair, true)
    await setup.commit()

    const aliceAccount = await AccountKeyPair.generate(ctx.provider)
    const alice = await createLocalDevice(ctx, aliceAccount, {
      deviceId: 1,
      peerId: ctx.provider.randomBytes(38),
    })
    const aliceCipher = new SessionCipher({ context: ctx, stores: inMemoryStores(), local: alice })
    const bundle = buildPreKeyBundle({
      certificate: bob.certificate,
      signedPreKey: signedPreKey.record,
      kemPreKey: kemPreKey.record,
    })
    await aliceCipher.initiate(
      await verifyPreKeyBundle(ctx, bundle, { accountKey: bobAccount.publicKey, deviceId: 1 }),
    )
    const first = await aliceCipher.encrypt(bob.address, utf8('first'))
    const second = await aliceCipher.encrypt(bob.address, utf8('second'))

    const mutex = new KeyedMutex()
    /** One receive step as the client does it: decrypt, store the message, mark it seen, log an event. */
    const receive = async (message: SessionMessage, n: number) => {
      const unit = store.unit()
      try {
        const cipher = new SessionCipher({ context: ctx, stores: unit.crypto, local: bob, mutex })
        const { plaintext } = await cipher.decrypt(alice.address, message, {
          identityKey: alice.identityKeyPair.publicKey,
        })
        await unit.messages.put({
          messageId: id(n),
          conversation: aliceAccount.publicKey,
          direction: 'in',
          sender: alice.address,
          text: text(plaintext),
          sentAt: n,
          receivedAt: n,
          recipients: [],
        })
        await unit.inbox.markSeen(id(n), n)
        await unit.events.append('message', id(n))
        return await unit.commit()
      } finally {
        unit.discard()
      }
    }

    // the disk fails at commit: no session, no message, no event
    spy.failNext = 1
    await expect(receive(first, 1)).rejects.toBeInstanceOf(StorageWriteError)
    expect(await store.messages.get(id(1))).toBeUndefined()
    expect(await store.events.latest()).toBe(0)
    const probe = store.unit()
    expect(await probe.crypto.sessions.loadSession(alice.address)).toBeUndefined()
    probe.discard()

    // the relay redelivers (nothing was acked): it decrypts now and both land
    const committed = await receive(first, 1)
    expect(committed.events.map((e) => e.type)).toEqual(['message'])
    expect((await store.messages.get(id(1)))?.text).toBe('first')

    // restart
    await store.close()
    store = await openClientStore(db)
    expect((await store.messages.get(id(1)))?.text).toBe('first')
    expect(await store.inbox.seen(id(1))).toBe(true)

    // the same ciphertext again is a duplicate and changes nothing; the next one decrypts
    await expect(receive(first, 1)).rejects.toMatchObject({ name: 'DuplicateMessageError' })
    await receive(second, 2)
    expect((await store.messages.history(aliceAccount.publicKey, { limit: 10 })).map((m) => m.text)).toEqual([
      'first',
      'second',
    ])
    expect((await store.events.since(0, 10)).map((e) => e.cursor)).toEqual([2, 3])
    await store.close()
  })
})
