/**
 * Ferry's side of the crypto benchmark, over @ferry/crypto's public API only: devices with real keys
 * and in-memory stores, pre-key bundles as a relay would hand them out, and the four scenarios.
 * Pre-key and device generation happen in `prepare` (untimed); what a round times is returned by it.
 */
import {
  AccountKeyPair,
  buildPreKeyBundle,
  type CryptoContext,
  type CryptoProvider,
  createLocalDevice,
  createSenderKeyDistribution,
  type GeneratedPreKey,
  generateKemPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  groupDecrypt,
  groupEncrypt,
  inMemoryStores,
  type LocalDevice,
  processSenderKeyDistribution,
  type SenderKeyStore,
  SessionCipher,
  verifyPreKeyBundle,
} from '@ferry/crypto'
import { assertSame, type Scenarios } from './scenarios.js'

const SIGNED_PRE_KEY_ID = 1
const LAST_RESORT_KEM_ID = 1
/** One-time X25519 and ML-KEM pre-keys share IDs from here on (the last-resort key has ID 1). */
const FIRST_ONE_TIME_ID = 100

interface Device {
  readonly context: CryptoContext
  readonly account: AccountKeyPair
  readonly local: LocalDevice
  readonly stores: ReturnType<typeof inMemoryStores>
  readonly cipher: SessionCipher
  readonly signedPreKey: GeneratedPreKey
  nextPreKeyId: number
}

async function makeDevice(provider: CryptoProvider, deviceId = 1): Promise<Device> {
  const context: CryptoContext = { provider, now: () => Date.now() }
  const account = await AccountKeyPair.generate(provider)
  const local = await createLocalDevice(context, account, { deviceId, peerId: provider.randomBytes(38) })
  const stores = inMemoryStores()
  const signedPreKey = await generateSignedPreKey(context, local.signingKeyPair, SIGNED_PRE_KEY_ID)
  await stores.preKeys.storeSignedPreKey(signedPreKey.id, signedPreKey.keyPair)
  const lastResort = await generateKemPreKey(context, local.signingKeyPair, LAST_RESORT_KEM_ID, {
    lastResort: true,
  })
  await stores.preKeys.storeKemPreKey(lastResort.id, lastResort.keyPair, true)
  const cipher = new SessionCipher({ context, stores, local })
  return { context, account, local, stores, cipher, signedPreKey, nextPreKeyId: FIRST_ONE_TIME_ID }
}

/**
 * Generates and stores a fresh one-time X25519 pre-key and a one-time ML-KEM pre-key (signed), and
 * returns the bundle bytes a relay would hand out for them: the full PQXDH case.
 */
async function publishBundle(device: Device): Promise<Uint8Array> {
  const id = device.nextPreKeyId++
  const { context, local, stores } = device
  const [oneTime] = await generateOneTimePreKeys(context, id, 1)
  await stores.preKeys.storeOneTimePreKey(oneTime!.id, oneTime!.keyPair)
  const kem = await generateKemPreKey(context, local.signingKeyPair, id, { lastResort: false })
  await stores.preKeys.storeKemPreKey(kem.id, kem.keyPair, false)
  return buildPreKeyBundle({
    certificate: local.certificate,
    signedPreKey: device.signedPreKey.record,
    kemPreKey: kem.record,
    oneTimePreKey: { id: oneTime!.id, publicKey: oneTime!.keyPair.publicKey },
  })
}

/** The timed part of a session set-up: claim-bundle verification, PQXDH, first message both ways. */
async function setUpSession(
  initiator: Device,
  responder: Device,
  bundle: Uint8Array,
  plaintext: Uint8Array,
): Promise<void> {
  const verified = await verifyPreKeyBundle(initiator.context, bundle, {
    accountKey: responder.account.publicKey,
    deviceId: responder.local.address.deviceId,
  })
  await initiator.cipher.initiate(verified)
  const message = await initiator.cipher.encrypt(responder.local.address, plaintext)
  if (message.type !== 'PRE_KEY') {
    throw new Error('benchmark: the first message of a session is not a PreKeyMessage')
  }
  assertSame((await responder.cipher.decrypt(initiator.local.address, message)).plaintext, plaintext)
}

/** Alice and Bob with an answered session (both have sent and received): no PreKeyMessages left. */
async function answeredPair(provider: CryptoProvider, plaintext: Uint8Array): Promise<[Device, Device]> {
  const alice = await makeDevice(provider)
  const bob = await makeDevice(provider)
  await setUpSession(alice, bob, await publishBundle(bob), plaintext)
  const reply = await bob.cipher.encrypt(alice.local.address, plaintext)
  assertSame((await alice.cipher.decrypt(bob.local.address, reply)).plaintext, plaintext)
  return [alice, bob]
}

export function ferryScenarios(provider: CryptoProvider): Scenarios {
  return {
    async pingPong(plaintext) {
      const [alice, bob] = await answeredPair(provider, plaintext)
      return async (count) => async () => {
        let last: Uint8Array = plaintext
        for (let i = 0; i < count; i++) {
          const [from, to] = i % 2 === 0 ? [alice, bob] : [bob, alice]
          const message = await from.cipher.encrypt(to.local.address, plaintext)
          last = (await to.cipher.decrypt(from.local.address, message)).plaintext
        }
        assertSame(last, plaintext)
      }
    },

    async burst(plaintext) {
      const [alice, bob] = await answeredPair(provider, plaintext)
      return async (count) => async () => {
        const messages = []
        for (let i = 0; i < count; i++) {
          messages.push(await alice.cipher.encrypt(bob.local.address, plaintext))
        }
        let last: Uint8Array = plaintext
        for (const message of messages) {
          last = (await bob.cipher.decrypt(alice.local.address, message)).plaintext
        }
        assertSame(last, plaintext)
      }
    },

    async sessionSetup(plaintext) {
      const responder = await makeDevice(provider)
      return async (count) => {
        const work: { initiator: Device; bundle: Uint8Array }[] = []
        for (let i = 0; i < count; i++) {
          work.push({ initiator: await makeDevice(provider), bundle: await publishBundle(responder) })
        }
        return async () => {
          for (const { initiator, bundle } of work) {
            await setUpSession(initiator, responder, bundle, plaintext)
          }
        }
      }
    },

    async group(plaintext, members) {
      const context: CryptoContext = { provider, now: () => Date.now() }
      const senderAccount = await AccountKeyPair.generate(provider)
      const sender = { accountKey: senderAccount.publicKey, deviceId: 1 }
      const senderStore = inMemoryStores().senderKeys
      const distributionId = provider.randomBytes(16)
      const distribution = await createSenderKeyDistribution(context, senderStore, sender, distributionId)
      const memberStores: SenderKeyStore[] = []
      for (let i = 0; i < members; i++) {
        const store = inMemoryStores().senderKeys
        await processSenderKeyDistribution(context, store, sender, distribution)
        memberStores.push(store)
      }
      return async (count) => async () => {
        let last: Uint8Array = plaintext
        for (let i = 0; i < count; i++) {
          const message = await groupEncrypt(context, senderStore, sender, distributionId, plaintext)
          for (const store of memberStores) {
            last = await groupDecrypt(context, store, sender, message)
          }
        }
        assertSame(last, plaintext)
      }
    },
  }
}
