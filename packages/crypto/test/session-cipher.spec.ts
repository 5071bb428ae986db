import { PreKeyMessage, RatchetHeader, RatchetMessage, WireError } from '@ferry/wire'
import { describe, expect, it } from 'vitest'
import { MAX_FORWARD_JUMP, MAX_SKIPPED_KEYS } from '../src/constants.js'
import {
  CryptoError,
  DuplicateMessageError,
  InvalidMessageError,
  MessageTooFarAheadError,
  UntrustedIdentityError,
} from '../src/errors.js'
import { nodeProvider } from '../src/provider/node.js'
import type { SessionMessage } from '../src/session-cipher.js'
import { makeDevice, pair, read, type TestDevice, text } from './helpers/session-fixtures.js'
import { spyProvider } from './helpers/spy-provider.js'

const provider = nodeProvider

/** Alice and Bob with an answered session (both sides have sent and received). */
async function established(): Promise<{ alice: TestDevice; bob: TestDevice }> {
  const { alice, bob } = await pair(provider)
  await bob.cipher.decrypt(alice.local.address, await alice.cipher.encrypt(bob.local.address, text('a0')))
  await alice.cipher.decrypt(bob.local.address, await bob.cipher.encrypt(alice.local.address, text('b0')))
  return { alice, bob }
}

function withCounter(message: SessionMessage, counter: number): SessionMessage {
  const outer = RatchetMessage.decode(message.body)
  const header = RatchetHeader.decode(outer.header)
  return {
    type: 'RATCHET',
    body: RatchetMessage.encode({ ...outer, header: RatchetHeader.encode({ ...header, counter }) }),
  }
}

function isTyped(err: unknown): boolean {
  return err instanceof CryptoError || err instanceof WireError
}

describe('session cipher', () => {
  it('sets up a session with PQXDH and exchanges messages both ways', async () => {
    const { alice, bob } = await pair(provider)
    const first = await alice.cipher.encrypt(bob.local.address, text('hello bob'))
    expect(first.type).toBe('PRE_KEY')
    const got = await bob.cipher.decrypt(alice.local.address, first)
    expect(read(got.plaintext)).toBe('hello bob')
    expect(got.newSession).toBe(true)

    const reply = await bob.cipher.encrypt(alice.local.address, text('hi alice'))
    expect(reply.type).toBe('RATCHET')
    expect(read((await alice.cipher.decrypt(bob.local.address, reply)).plaintext)).toBe('hi alice')

    const next = await alice.cipher.encrypt(bob.local.address, text('again'))
    expect(next.type).toBe('RATCHET')
    expect(read((await bob.cipher.decrypt(alice.local.address, next)).plaintext)).toBe('again')
  })

  it('rejects a replayed message as a duplicate and leaves the session unchanged (FAULTS 1)', async () => {
    const { alice, bob } = await established()
    const message = await alice.cipher.encrypt(bob.local.address, text('once'))
    await bob.cipher.decrypt(alice.local.address, message)
    const before = bob.stores.sessions.snapshot()
    await expect(bob.cipher.decrypt(alice.local.address, message)).rejects.toThrow(DuplicateMessageError)
    expect(bob.stores.sessions.snapshot()).toEqual(before)
    // the session still works
    const later = await alice.cipher.encrypt(bob.local.address, text('later'))
    expect(read((await bob.cipher.decrypt(alice.local.address, later)).plaintext)).toBe('later')
  })

  it('rejects every single-bit flip of a message (header, body, tag) without changing state; the original still decrypts (FAULTS 2)', async () => {
    const { alice, bob } = await established()
    const message = await alice.cipher.encrypt(bob.local.address, text('flip every bit of me'))
    const before = bob.stores.sessions.snapshot()
    for (let bit = 0; bit < message.body.byteLength * 8; bit++) {
      const body = message.body.slice()
      body[bit >> 3]! ^= 1 << (bit & 7)
      const outcome = await bob.cipher.decrypt(alice.local.address, { type: message.type, body }).then(
        () => 'decrypted',
        (err: unknown) => (isTyped(err) ? 'rejected' : `untyped ${String(err)}`),
      )
      expect(outcome, `bit ${bit}`).toBe('rejected')
    }
    expect(bob.stores.sessions.snapshot()).toEqual(before)
    expect(read((await bob.cipher.decrypt(alice.local.address, message)).plaintext)).toBe(
      'flip every bit of me',
    )
  })

  it('rejects bit flips of a PreKeyMessage without consuming a pre-key; the original still sets up the session (FAULTS 2)', async () => {
    const { alice, bob } = await pair(provider)
    const message = await alice.cipher.encrypt(bob.local.address, text('first'))
    const oneTime = bob.stores.preKeys.oneTimePreKeyCount
    const oneTimeKem = bob.stores.preKeys.oneTimeKemPreKeyCount
    // every bit outside the 1088-byte KEM ciphertext, and every 61st bit inside it (each flip costs a
    // whole PQXDH on Bob's side; a flipped KEM ciphertext only ever changes the decapsulated secret)
    const kem = PreKeyMessage.decode(message.body).kemCiphertext
    const kemStart = kem.byteOffset - message.body.byteOffset
    expect(message.body.subarray(kemStart, kemStart + kem.byteLength)).toEqual(kem)
    for (let bit = 0; bit < message.body.byteLength * 8; bit++) {
      const inKem = bit >= kemStart * 8 && bit < (kemStart + kem.byteLength) * 8
      if (inKem && bit % 61 !== 0) {
        continue
      }
      const body = message.body.slice()
      body[bit >> 3]! ^= 1 << (bit & 7)
      const outcome = await bob.cipher.decrypt(alice.local.address, { type: 'PRE_KEY', body }).then(
        () => 'decrypted',
        (err: unknown) => (isTyped(err) ? 'rejected' : `untyped ${String(err)}`),
      )
      expect(outcome, `bit ${bit}`).toBe('rejected')
    }
    expect(bob.stores.preKeys.oneTimePreKeyCount).toBe(oneTime)
    expect(bob.stores.preKeys.oneTimeKemPreKeyCount).toBe(oneTimeKem)
    expect(await bob.cipher.hasSession(alice.local.address)).toBe(false)
    expect(read((await bob.cipher.decrypt(alice.local.address, message)).plaintext)).toBe('first')
  })

  it('rejects a counter jump over the limit before deriving any key (FAULTS 4)', async () => {
    const { alice, bob } = await established()
    const spy = spyProvider(provider)
    const spied = await makeDevice(spy.provider)
    void spied
    const message = await alice.cipher.encrypt(bob.local.address, text('x'))
    const header = RatchetHeader.decode(RatchetMessage.decode(message.body).header)
    const far = withCounter(message, header.counter + MAX_FORWARD_JUMP + 1)
    // Bob's cipher over a spying provider, sharing Bob's stores and keys
    const { SessionCipher } = await import('../src/session-cipher.js')
    const watched = new SessionCipher({
      context: { provider: spy.provider, now: Date.now },
      stores: bob.stores,
      local: bob.local,
    })
    spy.reset()
    await expect(watched.decrypt(alice.local.address, far)).rejects.toThrow(MessageTooFarAheadError)
    expect(spy.count('hmacSha256')).toBe(0)
    expect(spy.count('hkdfSha256')).toBe(0)
    expect(spy.count('x25519')).toBe(0)
    expect(spy.count('aesGcmDecrypt')).toBe(0)
    // a jump exactly at the limit is accepted as far as the keys go (the tag then fails: header changed)
    const atLimit = withCounter(message, header.counter + MAX_FORWARD_JUMP)
    await expect(watched.decrypt(alice.local.address, atLimit)).rejects.toThrow(InvalidMessageError)
    // and the real message still decrypts
    expect(read((await bob.cipher.decrypt(alice.local.address, message)).plaintext)).toBe('x')
  })

  it('keeps skipped keys bounded and reports the oldest as lost (FAULTS 5)', async () => {
    const { alice, bob } = await established()
    const held: SessionMessage[] = []
    const total = MAX_SKIPPED_KEYS + 200
    for (let i = 0; i < total; i++) {
      held.push(await alice.cipher.encrypt(bob.local.address, text(`m${i}`)))
    }
    const last = await alice.cipher.encrypt(bob.local.address, text('last'))
    const result = await bob.cipher.decrypt(alice.local.address, last)
    expect(read(result.plaintext)).toBe('last')
    expect(result.lost).toBe(200)
    // the 200 oldest are gone; the rest still decrypt, each exactly once
    for (let i = 0; i < 200; i++) {
      await expect(bob.cipher.decrypt(alice.local.address, held[i]!)).rejects.toThrow(DuplicateMessageError)
    }
    for (let i = 200; i < total; i += 97) {
      expect(read((await bob.cipher.decrypt(alice.local.address, held[i]!)).plaintext)).toBe(`m${i}`)
      await expect(bob.cipher.decrypt(alice.local.address, held[i]!)).rejects.toThrow(DuplicateMessageError)
    }
  })

  it('consumes a one-time pre-key exactly once and only after a successful decrypt (FAULTS 7)', async () => {
    const alice = await makeDevice(provider)
    const bob = await makeDevice(provider)
    const bundle = await bob.bundle()
    await alice.cipher.initiate(bundle)
    const message = await alice.cipher.encrypt(bob.local.address, text('hi'))
    const before = bob.stores.preKeys.oneTimePreKeyCount
    const tampered = message.body.slice()
    tampered[tampered.byteLength - 1]! ^= 1
    await expect(
      bob.cipher.decrypt(alice.local.address, { type: 'PRE_KEY', body: tampered }),
    ).rejects.toThrow()
    expect(bob.stores.preKeys.oneTimePreKeyCount).toBe(before)
    expect(await bob.stores.preKeys.loadOneTimePreKey(bundle.oneTimePreKey!.id)).toBeDefined()

    await bob.cipher.decrypt(alice.local.address, message)
    expect(bob.stores.preKeys.oneTimePreKeyCount).toBe(before - 1)
    expect(await bob.stores.preKeys.loadOneTimePreKey(bundle.oneTimePreKey!.id)).toBeUndefined()
    expect(await bob.stores.preKeys.loadKemPreKey(bundle.kemPreKey.id)).toBeUndefined()

    // a second initiator handed the same one-time key (a relay that hands it out twice) is refused
    const carol = await makeDevice(provider)
    await carol.cipher.initiate(bundle)
    const fromCarol = await carol.cipher.encrypt(bob.local.address, text('me too'))
    await expect(bob.cipher.decrypt(carol.local.address, fromCarol)).rejects.toThrow(InvalidMessageError)
    expect(await bob.cipher.hasSession(carol.local.address)).toBe(false)
  })

  it('rejects a PreKeyMessage replayed against the last-resort pre-key (FAULTS 7)', async () => {
    const alice = await makeDevice(provider)
    const bob = await makeDevice(provider)
    await alice.cipher.initiate(await bob.bundle({ oneTime: false, oneTimeKem: false }))
    const message = await alice.cipher.encrypt(bob.local.address, text('only once'))
    await bob.cipher.decrypt(alice.local.address, message)
    // while the session exists, a repeat is a duplicate within it
    await expect(bob.cipher.decrypt(alice.local.address, message)).rejects.toThrow(DuplicateMessageError)
    // after the session is gone, the replay must not set up a new one
    await bob.cipher.deleteSession(alice.local.address)
    await expect(bob.cipher.decrypt(alice.local.address, message)).rejects.toThrow(DuplicateMessageError)
    expect(await bob.cipher.hasSession(alice.local.address)).toBe(false)
  })

  it('raises an explicit untrusted-identity error when a known contact changes identity key (FAULTS 8)', async () => {
    const { alice, bob } = await established()
    // Bob's device number 1 comes back with new keys (reinstalled, or an impostor)
    const impostor = await makeDevice(provider, { account: bob.account, deviceId: 1 })
    await expect(alice.cipher.initiate(await impostor.bundle())).rejects.toThrow(UntrustedIdentityError)
    // and a message from the new key is refused too
    await impostor.cipher.initiate(await alice.bundle())
    const fromImpostor = await impostor.cipher.encrypt(alice.local.address, text('trust me'))
    const err = await alice.cipher.decrypt(bob.local.address, fromImpostor).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UntrustedIdentityError)
    expect((err as UntrustedIdentityError).identityKey).toEqual(impostor.local.identityKeyPair.publicKey)
    // sending pauses until the user approves the new key; then a fresh session works
    await alice.stores.identities.approveIdentity(bob.local.address, impostor.local.identityKeyPair.publicKey)
    await expect(alice.cipher.encrypt(bob.local.address, text('paused'))).rejects.toThrow(
      UntrustedIdentityError,
    )
    await alice.cipher.initiate(await impostor.bundle())
    const resumed = await alice.cipher.encrypt(bob.local.address, text('resumed'))
    expect(read((await impostor.cipher.decrypt(alice.local.address, resumed)).plaintext)).toBe('resumed')
  })

  it('recovers from a store rolled back to an older snapshot through a session reset; both sides converge (FAULTS 9)', async () => {
    const { alice, bob } = await established()
    const snapshot = bob.stores.sessions.snapshot()
    const beforeRollback = await bob.cipher.encrypt(alice.local.address, text('b0 again'))
    await alice.cipher.decrypt(bob.local.address, beforeRollback)
    // the conversation moves on (several DH ratchet steps)
    for (let i = 0; i < 3; i++) {
      await bob.cipher.decrypt(
        alice.local.address,
        await alice.cipher.encrypt(bob.local.address, text(`a${i}`)),
      )
      await alice.cipher.decrypt(
        bob.local.address,
        await bob.cipher.encrypt(alice.local.address, text(`b${i}`)),
      )
    }
    // Bob's device is restored from the old backup
    bob.stores.sessions.restore(snapshot)
    const lostOnBob = await alice.cipher.encrypt(bob.local.address, text('after rollback'))
    await expect(bob.cipher.decrypt(alice.local.address, lostOnBob)).rejects.toThrow(InvalidMessageError)
    // what Bob sends from the stale state re-uses counters Alice has seen: refused, never mis-decrypted
    // (here: the counter Bob used for 'b0 again' before the rollback is used once more)
    const stale = await bob.cipher.encrypt(alice.local.address, text('stale'))
    await expect(alice.cipher.decrypt(bob.local.address, stale)).rejects.toThrow(DuplicateMessageError)
    // Bob resets: a new session from a fresh bundle of Alice's
    await bob.cipher.archiveSession(alice.local.address)
    await bob.cipher.initiate(await alice.bundle())
    const reset = await bob.cipher.encrypt(alice.local.address, text('reset'))
    expect(reset.type).toBe('PRE_KEY')
    expect(read((await alice.cipher.decrypt(bob.local.address, reset)).plaintext)).toBe('reset')
    // Alice now answers on the new session and both converge
    for (let i = 0; i < 3; i++) {
      const a = await alice.cipher.encrypt(bob.local.address, text(`resend ${i}`))
      expect(read((await bob.cipher.decrypt(alice.local.address, a)).plaintext)).toBe(`resend ${i}`)
      const b = await bob.cipher.encrypt(alice.local.address, text(`ok ${i}`))
      expect(b.type).toBe('RATCHET')
      expect(read((await alice.cipher.decrypt(bob.local.address, b)).plaintext)).toBe(`ok ${i}`)
    }
  })

  it('converges after simultaneous initiation, with messages lost on the way (FAULTS 10)', async () => {
    const alice = await makeDevice(provider)
    const bob = await makeDevice(provider)
    await alice.cipher.initiate(await bob.bundle())
    await bob.cipher.initiate(await alice.bundle())
    const a1 = await alice.cipher.encrypt(bob.local.address, text('a1'))
    const b1 = await bob.cipher.encrypt(alice.local.address, text('b1'))
    const a2 = await alice.cipher.encrypt(bob.local.address, text('a2')) // lost
    void a2
    const b2 = await bob.cipher.encrypt(alice.local.address, text('b2'))
    expect(read((await bob.cipher.decrypt(alice.local.address, a1)).plaintext)).toBe('a1')
    expect(read((await alice.cipher.decrypt(bob.local.address, b1)).plaintext)).toBe('b1')
    expect(read((await alice.cipher.decrypt(bob.local.address, b2)).plaintext)).toBe('b2')
    // they keep talking; every message decrypts, and both end on the same session
    for (let i = 0; i < 4; i++) {
      const a = await alice.cipher.encrypt(bob.local.address, text(`a${i + 3}`))
      expect(read((await bob.cipher.decrypt(alice.local.address, a)).plaintext)).toBe(`a${i + 3}`)
      const b = await bob.cipher.encrypt(alice.local.address, text(`b${i + 3}`))
      expect(read((await alice.cipher.decrypt(bob.local.address, b)).plaintext)).toBe(`b${i + 3}`)
    }
    const aliceSide = await alice.cipher.remoteIdentityKey(bob.local.address)
    expect(aliceSide).toEqual(bob.local.identityKeyPair.publicKey)
    const final = await alice.cipher.encrypt(bob.local.address, text('final'))
    expect(final.type).toBe('RATCHET')
    const back = await bob.cipher.encrypt(alice.local.address, text('final back'))
    expect(back.type).toBe('RATCHET')
    expect(read((await alice.cipher.decrypt(bob.local.address, back)).plaintext)).toBe('final back')
  })

  it('never reuses a counter under concurrent encrypt and decrypt on one session (FAULTS 12)', async () => {
    const { alice, bob } = await established()
    const incoming = await Promise.all(
      Array.from({ length: 20 }, (_, i) => bob.cipher.encrypt(alice.local.address, text(`b${i}`))),
    )
    const work: Promise<unknown>[] = []
    for (let i = 0; i < 100; i++) {
      work.push(alice.cipher.encrypt(bob.local.address, text(`a${i}`)))
      if (i < incoming.length) {
        work.push(alice.cipher.decrypt(bob.local.address, incoming[i]!))
      }
    }
    const results = await Promise.all(work)
    const sent = results.filter((r): r is SessionMessage => (r as SessionMessage).body !== undefined)
    expect(sent).toHaveLength(100)
    const keys = sent.map((m) => {
      const h = RatchetHeader.decode(RatchetMessage.decode(m.body).header)
      return `${Buffer.from(h.ratchetKey).toString('hex')}:${h.counter}`
    })
    expect(new Set(keys).size).toBe(100)
    const seen = new Set<string>()
    for (const m of sent) {
      const plain = read((await bob.cipher.decrypt(alice.local.address, m)).plaintext)
      expect(seen.has(plain)).toBe(false)
      seen.add(plain)
    }
    expect(seen.size).toBe(100)
  })
})
