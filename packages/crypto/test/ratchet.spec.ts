import { RatchetHeader, RatchetMessage } from '@ferry/wire'
import { describe, expect, it } from 'vitest'
import { nodeProvider } from '../src/provider/node.js'
import { SessionCipher, type SessionMessage } from '../src/session-cipher.js'
import { decodeSessionRecord } from '../src/session-record.js'
import { pair, read, type TestDevice, text } from './helpers/session-fixtures.js'
import { spyProvider } from './helpers/spy-provider.js'

const provider = nodeProvider

/** A cipher over Bob's stores and keys whose provider counts its calls. */
function watched(device: TestDevice): { cipher: SessionCipher; spy: ReturnType<typeof spyProvider> } {
  const spy = spyProvider(provider)
  const cipher = new SessionCipher({
    context: { provider: spy.provider, now: Date.now },
    stores: device.stores,
    local: device.local,
  })
  return { cipher, spy }
}

async function storedState(device: TestDevice, remote: TestDevice) {
  const current = decodeSessionRecord(await device.stores.sessions.loadSession(remote.local.address)).current
  if (current === undefined) {
    throw new Error('no current session')
  }
  return current
}

/** The same message with its header's ratchet key replaced (the tag no longer verifies). */
function withRatchetKey(message: SessionMessage, ratchetKey: Uint8Array): SessionMessage {
  const outer = RatchetMessage.decode(message.body)
  const header = RatchetHeader.decode(outer.header)
  return {
    type: 'RATCHET',
    body: RatchetMessage.encode({ ...outer, header: RatchetHeader.encode({ ...header, ratchetKey }) }),
  }
}

describe('Double Ratchet: the sending half of a DH step is taken at the next send', () => {
  it('a device that only reads makes one DH and no key pair per new ratchet key, and stores no sending key', async () => {
    const { alice, bob } = await pair(provider)
    const bobSide = watched(bob)

    // Bob's first message from Alice: PQXDH as responder (4 DHs with the one-time key) plus the
    // receiving half of the first step
    await bobSide.cipher.decrypt(
      alice.local.address,
      await alice.cipher.encrypt(bob.local.address, text('a0')),
    )
    expect(bobSide.spy.count('x25519Keygen')).toBe(0)
    expect(bobSide.spy.count('x25519')).toBe(5)
    let state = await storedState(bob, alice)
    expect(state.sendingChain).toBeUndefined()
    expect(state.sendingRatchetSecret.byteLength).toBe(0)
    expect(state.receivingChains).toHaveLength(1)

    // Bob answers: the owed half (a key pair and one DH), then encrypts
    bobSide.spy.reset()
    const reply = await bobSide.cipher.encrypt(alice.local.address, text('b0'))
    expect(bobSide.spy.count('x25519Keygen')).toBe(1)
    expect(bobSide.spy.count('x25519')).toBe(1)
    expect(read((await alice.cipher.decrypt(bob.local.address, reply)).plaintext)).toBe('b0')
    state = await storedState(bob, alice)
    expect(state.sendingChain?.index).toBe(1)
    expect(state.sendingRatchetSecret.byteLength).toBe(32)

    // a second message on the same sending chain owes nothing
    bobSide.spy.reset()
    const again = await bobSide.cipher.encrypt(alice.local.address, text('b1'))
    expect(bobSide.spy.count('x25519Keygen') + bobSide.spy.count('x25519')).toBe(0)
    expect(read((await alice.cipher.decrypt(bob.local.address, again)).plaintext)).toBe('b1')

    // Alice's next message carries a new ratchet key: Bob reads it with one DH, sends nothing yet
    bobSide.spy.reset()
    const next = await alice.cipher.encrypt(bob.local.address, text('a1'))
    expect(read((await bobSide.cipher.decrypt(alice.local.address, next)).plaintext)).toBe('a1')
    expect(bobSide.spy.count('x25519Keygen')).toBe(0)
    expect(bobSide.spy.count('x25519')).toBe(1)
    state = await storedState(bob, alice)
    expect(state.sendingChain).toBeUndefined()
    // the header of Bob's next message names how many he sent on his previous chain
    const third = await bobSide.cipher.encrypt(alice.local.address, text('b2'))
    const header = RatchetHeader.decode(RatchetMessage.decode(third.body).header)
    expect(header.previousCounter).toBe(2)
    expect(header.counter).toBe(0)
    expect(read((await alice.cipher.decrypt(bob.local.address, third)).plaintext)).toBe('b2')
  })

  it('a message with an unknown ratchet key while the half is owed changes nothing; the next send still works', async () => {
    const { alice, bob } = await pair(provider)
    await bob.cipher.decrypt(alice.local.address, await alice.cipher.encrypt(bob.local.address, text('a0')))
    await alice.cipher.decrypt(bob.local.address, await bob.cipher.encrypt(alice.local.address, text('b0')))
    // a new ratchet key from Alice: Bob now owes the sending half
    await bob.cipher.decrypt(alice.local.address, await alice.cipher.encrypt(bob.local.address, text('a1')))
    expect((await storedState(bob, alice)).sendingChain).toBeUndefined()
    const stored = await bob.stores.sessions.loadSession(alice.local.address)
    const genuine = await alice.cipher.encrypt(bob.local.address, text('a2'))
    const stranger = await provider.x25519Keygen()
    await expect(
      bob.cipher.decrypt(alice.local.address, withRatchetKey(genuine, stranger.publicKey)),
    ).rejects.toThrow()
    expect(await bob.stores.sessions.loadSession(alice.local.address)).toEqual(stored)

    expect(read((await bob.cipher.decrypt(alice.local.address, genuine)).plaintext)).toBe('a2')
    const reply = await bob.cipher.encrypt(alice.local.address, text('b0'))
    expect(read((await alice.cipher.decrypt(bob.local.address, reply)).plaintext)).toBe('b0')
  })
})
