/**
 * The node:crypto provider's remembered private KeyObjects: a secret-key array changed in place
 * (wiped, reused) is never served a stale key.
 */
import { describe, expect, it } from 'vitest'
import { nobleProvider } from '../../src/provider/noble.js'
import { nodeProvider } from '../../src/provider/node.js'
import { hex } from './fixtures.js'

describe('node provider: remembered private keys', () => {
  it('Ed25519: signing again after the array was overwritten uses the new key', async () => {
    const key = nodeProvider.randomBytes(32)
    const other = nodeProvider.randomBytes(32)
    const message = new Uint8Array(7)
    const first = await nodeProvider.ed25519Sign(key, message)
    expect(hex(first)).toBe(hex(await nobleProvider.ed25519Sign(key, message)))
    key.set(other)
    expect(hex(await nodeProvider.ed25519Sign(key, message))).toBe(
      hex(await nobleProvider.ed25519Sign(other, message)),
    )
    expect(hex(await nodeProvider.ed25519PublicKey(key))).toBe(
      hex(await nobleProvider.ed25519PublicKey(other)),
    )
  })

  it('X25519: a wiped array gives the result of the all-zero scalar, not of the old key', async () => {
    const key = nodeProvider.randomBytes(32)
    const peer = await nodeProvider.x25519Keygen()
    expect(hex(await nodeProvider.x25519(key, peer.publicKey))).toBe(
      hex(await nobleProvider.x25519(key, peer.publicKey)),
    )
    key.fill(0)
    expect(hex(await nodeProvider.x25519(key, peer.publicKey))).toBe(
      hex(await nobleProvider.x25519(new Uint8Array(32), peer.publicKey)),
    )
  })

  it('one array used as an X25519 key and as an Ed25519 seed gets the right key for each', async () => {
    const key = nodeProvider.randomBytes(32)
    expect(hex(await nodeProvider.x25519PublicKey(key))).toBe(hex(await nobleProvider.x25519PublicKey(key)))
    expect(hex(await nodeProvider.ed25519PublicKey(key))).toBe(hex(await nobleProvider.ed25519PublicKey(key)))
    expect(hex(await nodeProvider.x25519PublicKey(key))).toBe(hex(await nobleProvider.x25519PublicKey(key)))
  })

  it('a subarray view of a larger buffer works as a key', async () => {
    const backing = nodeProvider.randomBytes(100)
    const key = backing.subarray(17, 49)
    expect(hex(await nodeProvider.ed25519PublicKey(key))).toBe(
      hex(await nobleProvider.ed25519PublicKey(key.slice())),
    )
  })
})
