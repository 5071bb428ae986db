import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { describe, expect, it } from 'vitest'
import {
  ChallengeBook,
  mailboxAuthPayload,
  mailboxIdFor,
  mailboxPublicKey,
  verifyEd25519,
} from '../src/mailbox/auth.js'
import { hex } from './fixtures/network.js'

describe('mailbox auth', () => {
  it('derives a mailbox ID per relay, so two relays cannot link one key', async () => {
    const key = await generateKeyPair('Ed25519')
    const relayA = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const relayB = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const a = await mailboxIdFor(key.publicKey.raw, relayA)
    expect(a).toHaveLength(32)
    expect(hex(a)).toBe(hex(await mailboxIdFor(key.publicKey.raw, relayA)))
    expect(hex(a)).not.toBe(hex(await mailboxIdFor(key.publicKey.raw, relayB)))
  })

  it('refuses a mailbox key that is not Ed25519', async () => {
    const key = await generateKeyPair('secp256k1')
    expect(() => mailboxPublicKey(key)).toThrow(expect.objectContaining({ name: 'InvalidKeyError' }))
  })

  it('binds a signature to the relay, the mailbox, the nonce and the client', async () => {
    const key = await generateKeyPair('Ed25519')
    const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const client = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const mailbox = await mailboxIdFor(key.publicKey.raw, relay)
    const nonce = new Uint8Array(32).fill(1)
    const signature = await key.sign(mailboxAuthPayload(relay, mailbox, nonce, client))
    const verify = async (payload: Uint8Array) => verifyEd25519(key.publicKey.raw, payload, signature)
    expect(await verify(mailboxAuthPayload(relay, mailbox, nonce, client))).toBe(true)
    expect(await verify(mailboxAuthPayload(other, mailbox, nonce, client))).toBe(false)
    expect(await verify(mailboxAuthPayload(relay, new Uint8Array(32), nonce, client))).toBe(false)
    expect(await verify(mailboxAuthPayload(relay, mailbox, new Uint8Array(32), client))).toBe(false)
    expect(await verify(mailboxAuthPayload(relay, mailbox, nonce, other))).toBe(false)
    expect(await verifyEd25519(new Uint8Array(5), new Uint8Array(1), signature)).toBe(false)
  })

  it('issues single-use nonces valid only on their connection, scope and lifetime', () => {
    let now = 0
    let counter = 0
    const book = new ChallengeBook({
      ttlMs: 100,
      maxPerConnection: 2,
      now: () => now,
      randomBytes: (length) => new Uint8Array(length).fill(++counter),
    })
    const scope = new Uint8Array([1])
    const nonce = book.issue('c1', scope)
    expect(book.take('c2', nonce, scope)).toBe(false) // another connection
    expect(book.take('c1', nonce, new Uint8Array([2]))).toBe(false) // another scope (and now spent)
    expect(book.take('c1', nonce, scope)).toBe(false) // spent
    const fresh = book.issue('c1', scope)
    expect(book.take('c1', fresh, scope)).toBe(true)
    expect(book.take('c1', fresh, scope)).toBe(false) // single use
    const late = book.issue('c1', scope)
    now += 100
    expect(book.take('c1', late, scope)).toBe(false) // expired
    const first = book.issue('c1', scope)
    book.issue('c1', scope)
    book.issue('c1', scope) // the oldest outstanding one is dropped
    expect(book.take('c1', first, scope)).toBe(false)
    book.forget('c1')
    expect(book.connections).toBe(0)
  })
})
