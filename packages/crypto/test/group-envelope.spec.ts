import { WireError } from '@ferry/wire'
import { describe, expect, it } from 'vitest'
import { groupEnvelopeHeader, openGroupEnvelope, sealGroupEnvelope } from '../src/group-envelope.js'
import { AccountKeyPair, CryptoError, createLocalDevice } from '../src/index.js'
import { nodeProvider } from '../src/provider/node.js'

const ctx = { provider: nodeProvider, now: Date.now }

async function setup() {
  const account = await AccountKeyPair.generate(nodeProvider)
  const sender = await createLocalDevice(ctx, account, { deviceId: 1, peerId: nodeProvider.randomBytes(38) })
  const key = nodeProvider.randomBytes(32)
  const envelopeId = nodeProvider.randomBytes(16)
  const groupId = nodeProvider.randomBytes(16)
  const message = nodeProvider.randomBytes(200) // stands for a framed SenderKeyMessage
  const envelope = await sealGroupEnvelope(ctx, { sender, key, keyId: 7, envelopeId, groupId, message })
  return { account, sender, key, envelopeId, groupId, message, envelope }
}

describe('group envelopes', () => {
  it('round-trips and names the sender only inside', async () => {
    const { sender, key, envelopeId, groupId, message, envelope } = await setup()
    expect(groupEnvelopeHeader(envelope)).toEqual({ keyId: 7, envelopeId })
    const opened = await openGroupEnvelope(ctx, envelope, (id) => (id === 7 ? key : undefined))
    expect(opened.sender.deviceId).toBe(1)
    expect(opened.groupId).toEqual(groupId)
    expect(opened.message).toEqual(message)
    const hex = Buffer.from(envelope).toString('hex')
    expect(hex).not.toContain(Buffer.from(sender.address.accountKey).toString('hex'))
    expect(hex).not.toContain(Buffer.from(sender.identityKeyPair.publicKey).toString('hex'))
    expect(hex).not.toContain(Buffer.from(groupId).toString('hex'))
  })

  it('has one size whatever the group: nothing per member', async () => {
    const a = await setup()
    const b = await setup()
    expect(a.envelope.byteLength).toBe(b.envelope.byteLength)
  })

  it('refuses an unknown key, a wrong key and every flipped bit with typed errors', async () => {
    const { key, envelope } = await setup()
    await expect(openGroupEnvelope(ctx, envelope, () => undefined)).rejects.toThrow(CryptoError)
    await expect(openGroupEnvelope(ctx, envelope, () => nodeProvider.randomBytes(32))).rejects.toThrow(
      CryptoError,
    )
    for (let bit = 0; bit < envelope.byteLength * 8; bit += 3) {
      const flipped = envelope.slice()
      flipped[bit >> 3]! ^= 1 << (bit & 7)
      const outcome = await openGroupEnvelope(ctx, flipped, () => key).then(
        () => 'opened',
        (err: unknown) => (err instanceof CryptoError || err instanceof WireError ? 'refused' : String(err)),
      )
      expect(outcome, `bit ${bit}`).toBe('refused')
    }
  })
})
