/**
 * @packageDocumentation
 *
 * Ferry's end-to-end crypto: account and device keys, signed records, pre-keys, PQXDH, the Double
 * Ratchet with Sesame-style session management, sender keys for groups, sealed envelopes and safety
 * numbers, over one provider interface (node:crypto, WebCrypto or @noble/*).
 *
 * @example
 * ```ts
 * import { AccountKeyPair, buildPreKeyBundle, createLocalDevice, generateKemPreKey, generateSignedPreKey,
 *   inMemoryStores, openEnvelope, SessionCipher, sealEnvelope, verifyPreKeyBundle } from '@ferry/crypto'
 * import { nodeProvider } from '@ferry/crypto/provider/node'
 * import { pad, unpad } from '@ferry/wire'
 *
 * const ctx = { provider: nodeProvider, now: Date.now }
 * const peerId = () => ctx.provider.randomBytes(38) // a libp2p PeerId in a real device
 *
 * // Bob: an account, a device, and the signed pre-keys a relay hands out
 * const bobAccount = await AccountKeyPair.generate(ctx.provider)
 * const bob = await createLocalDevice(ctx, bobAccount, { deviceId: 1, peerId: peerId() })
 * const bobStores = inMemoryStores()
 * const signedPreKey = await generateSignedPreKey(ctx, bob.signingKeyPair, 1)
 * const kemPreKey = await generateKemPreKey(ctx, bob.signingKeyPair, 2, { lastResort: true })
 * await bobStores.preKeys.storeSignedPreKey(signedPreKey.id, signedPreKey.keyPair)
 * await bobStores.preKeys.storeKemPreKey(kemPreKey.id, kemPreKey.keyPair, true)
 * const bundle = buildPreKeyBundle({
 *   certificate: bob.certificate,
 *   signedPreKey: signedPreKey.record,
 *   kemPreKey: kemPreKey.record,
 * })
 *
 * // Alice checks the bundle, sets up a session (PQXDH), encrypts and seals
 * const aliceAccount = await AccountKeyPair.generate(ctx.provider)
 * const alice = await createLocalDevice(ctx, aliceAccount, { deviceId: 1, peerId: peerId() })
 * const aliceCipher = new SessionCipher({ context: ctx, stores: inMemoryStores(), local: alice })
 * const verified = await verifyPreKeyBundle(ctx, bundle, { accountKey: bobAccount.publicKey, deviceId: 1 })
 * await aliceCipher.initiate(verified)
 * const message = await aliceCipher.encrypt(bob.address, pad(new TextEncoder().encode('hello, Bob')))
 * const envelope = await sealEnvelope(ctx, {
 *   sender: alice,
 *   recipientIdentityKey: verified.identityKey,
 *   type: message.type,
 *   message: message.body,
 * })
 *
 * // Bob opens the envelope (only now learning who sent it) and decrypts
 * const opened = await openEnvelope(ctx, { recipient: bob, envelope })
 * if (opened.type === 'SENDER_KEY') throw new Error('a group message: see groupDecrypt')
 * const bobCipher = new SessionCipher({ context: ctx, stores: bobStores, local: bob })
 * const from = { accountKey: opened.sender.accountKey, deviceId: opened.sender.deviceId }
 * const { plaintext } = await bobCipher.decrypt(
 *   from,
 *   { type: opened.type, body: opened.message },
 *   { identityKey: opened.sender.identityKey },
 * )
 * new TextDecoder().decode(unpad(plaintext)) // 'hello, Bob'
 * ```
 */
export * from './bytes.js'
export * from './errors.js'
export * from './group-envelope.js'
export { KeyedMutex } from './lock.js'
export { getDefaultProvider } from './provider/index.js'
export type { CryptoProvider, KemEncapsulation, KeyPair } from './provider/types.js'
export * from './records/index.js'
export * from './sealed.js'
export { Secret } from './secret.js'
export * from './sender-keys.js'
export * from './session-cipher.js'
export { SessionRecordCache, type SessionRecordCacheInit } from './session-record-cache.js'
export * from './stores.js'
export * from './types.js'
