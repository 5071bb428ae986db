/**
 * The baseline side of the crypto benchmark: @signalapp/libsignal-client (Rust, native) with
 * in-memory stores written the way libsignal's own Node tests write them (sessions and sender keys
 * kept serialized, as a persistent store would; Ferry's in-memory stores keep bytes too).
 * Pre-key and identity generation happen in `prepare` (untimed), as on Ferry's side.
 */
import { randomUUID } from 'node:crypto'
import {
  CiphertextMessageType,
  type Direction,
  groupDecrypt,
  groupEncrypt,
  IdentityChange,
  IdentityKeyPair,
  IdentityKeyStore,
  KEMKeyPair,
  KEMPublicKey,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyBundle,
  PreKeyRecord,
  PreKeySignalMessage,
  PreKeyStore,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  processPreKeyBundle,
  processSenderKeyDistributionMessage,
  SenderKeyDistributionMessage,
  SenderKeyRecord,
  SenderKeyStore,
  SessionRecord,
  SessionStore,
  SignalMessage,
  SignedPreKeyRecord,
  SignedPreKeyStore,
  signalDecrypt,
  signalDecryptPreKey,
  signalEncrypt,
} from '@signalapp/libsignal-client'
import { assertSame, type Scenarios } from './scenarios.js'

const key = (address: ProtocolAddress) => `${address.name()}.${address.deviceId()}`

class MemorySessionStore extends SessionStore {
  readonly #records = new Map<string, Uint8Array<ArrayBuffer>>()

  async saveSession(address: ProtocolAddress, record: SessionRecord): Promise<void> {
    this.#records.set(key(address), record.serialize())
  }

  async getSession(address: ProtocolAddress): Promise<SessionRecord | null> {
    const bytes = this.#records.get(key(address))
    return bytes === undefined ? null : SessionRecord.deserialize(bytes)
  }

  async getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
    return addresses.map((address) => {
      const bytes = this.#records.get(key(address))
      if (bytes === undefined) {
        throw new Error('benchmark: no session for an address')
      }
      return SessionRecord.deserialize(bytes)
    })
  }
}

/** Trust on first use, as Ferry's in-memory identity store. */
class MemoryIdentityStore extends IdentityKeyStore {
  readonly #identity: IdentityKeyPair
  readonly #registrationId: number
  readonly #known = new Map<string, PublicKey>()

  constructor(identity: IdentityKeyPair, registrationId: number) {
    super()
    this.#identity = identity
    this.#registrationId = registrationId
  }

  async getIdentityKey(): Promise<PrivateKey> {
    return this.#identity.privateKey
  }

  async getLocalRegistrationId(): Promise<number> {
    return this.#registrationId
  }

  async saveIdentity(address: ProtocolAddress, identity: PublicKey): Promise<IdentityChange> {
    const known = this.#known.get(key(address))
    this.#known.set(key(address), identity)
    return known === undefined || known.equals(identity)
      ? IdentityChange.NewOrUnchanged
      : IdentityChange.ReplacedExisting
  }

  async isTrustedIdentity(
    address: ProtocolAddress,
    identity: PublicKey,
    _direction: Direction,
  ): Promise<boolean> {
    const known = this.#known.get(key(address))
    return known === undefined || known.equals(identity)
  }

  async getIdentity(address: ProtocolAddress): Promise<PublicKey | null> {
    return this.#known.get(key(address)) ?? null
  }
}

class MemoryPreKeyStore extends PreKeyStore {
  readonly #keys = new Map<number, PreKeyRecord>()

  async savePreKey(id: number, record: PreKeyRecord): Promise<void> {
    this.#keys.set(id, record)
  }

  async getPreKey(id: number): Promise<PreKeyRecord> {
    const record = this.#keys.get(id)
    if (record === undefined) {
      throw new Error('benchmark: no such pre-key')
    }
    return record
  }

  async removePreKey(id: number): Promise<void> {
    this.#keys.delete(id)
  }
}

class MemorySignedPreKeyStore extends SignedPreKeyStore {
  readonly #keys = new Map<number, SignedPreKeyRecord>()

  async saveSignedPreKey(id: number, record: SignedPreKeyRecord): Promise<void> {
    this.#keys.set(id, record)
  }

  async getSignedPreKey(id: number): Promise<SignedPreKeyRecord> {
    const record = this.#keys.get(id)
    if (record === undefined) {
      throw new Error('benchmark: no such signed pre-key')
    }
    return record
  }
}

/** One-time Kyber pre-keys are deleted on use; last-resort ones refuse a repeated base key. */
class MemoryKyberPreKeyStore extends KyberPreKeyStore {
  readonly #keys = new Map<number, { record: KyberPreKeyRecord; lastResort: boolean }>()
  readonly #lastResortUses = new Set<string>()

  async saveKyberPreKey(id: number, record: KyberPreKeyRecord, lastResort = false): Promise<void> {
    this.#keys.set(id, { record, lastResort })
  }

  async getKyberPreKey(id: number): Promise<KyberPreKeyRecord> {
    const entry = this.#keys.get(id)
    if (entry === undefined) {
      throw new Error('benchmark: no such Kyber pre-key')
    }
    return entry.record
  }

  async markKyberPreKeyUsed(id: number, signedPreKeyId: number, baseKey: PublicKey): Promise<void> {
    const entry = this.#keys.get(id)
    if (entry?.lastResort === false) {
      this.#keys.delete(id)
      return
    }
    const use = `${id}.${signedPreKeyId}.${Buffer.from(baseKey.serialize()).toString('hex')}`
    if (this.#lastResortUses.has(use)) {
      throw new Error('benchmark: replayed initial message for a last-resort Kyber pre-key')
    }
    this.#lastResortUses.add(use)
  }
}

class MemorySenderKeyStore extends SenderKeyStore {
  readonly #records = new Map<string, Uint8Array<ArrayBuffer>>()

  async saveSenderKey(
    sender: ProtocolAddress,
    distributionId: string,
    record: SenderKeyRecord,
  ): Promise<void> {
    this.#records.set(`${key(sender)}/${distributionId}`, record.serialize())
  }

  async getSenderKey(sender: ProtocolAddress, distributionId: string): Promise<SenderKeyRecord | null> {
    const bytes = this.#records.get(`${key(sender)}/${distributionId}`)
    return bytes === undefined ? null : SenderKeyRecord.deserialize(bytes)
  }
}

const SIGNED_PRE_KEY_ID = 1
const FIRST_ONE_TIME_ID = 100

interface Device {
  readonly address: ProtocolAddress
  readonly identity: IdentityKeyPair
  readonly registrationId: number
  readonly sessions: MemorySessionStore
  readonly identities: MemoryIdentityStore
  readonly preKeys: MemoryPreKeyStore
  readonly signedPreKeys: MemorySignedPreKeyStore
  readonly kyberPreKeys: MemoryKyberPreKeyStore
  readonly signedPreKey: SignedPreKeyRecord
  nextPreKeyId: number
}

let registrationIds = 1

async function makeDevice(): Promise<Device> {
  const identity = IdentityKeyPair.generate()
  const registrationId = registrationIds++
  const signedPrivate = PrivateKey.generate()
  const signedPublic = signedPrivate.getPublicKey()
  const signedPreKey = SignedPreKeyRecord.new(
    SIGNED_PRE_KEY_ID,
    Date.now(),
    signedPublic,
    signedPrivate,
    identity.privateKey.sign(signedPublic.serialize()),
  )
  const signedPreKeys = new MemorySignedPreKeyStore()
  await signedPreKeys.saveSignedPreKey(SIGNED_PRE_KEY_ID, signedPreKey)
  return {
    address: ProtocolAddress.new(randomUUID(), 1),
    identity,
    registrationId,
    sessions: new MemorySessionStore(),
    identities: new MemoryIdentityStore(identity, registrationId),
    preKeys: new MemoryPreKeyStore(),
    signedPreKeys,
    kyberPreKeys: new MemoryKyberPreKeyStore(),
    signedPreKey,
    nextPreKeyId: FIRST_ONE_TIME_ID,
  }
}

/** What a server hands out for one claim, as bytes: the receiver parses it in the timed part. */
interface ClaimedBundle {
  readonly registrationId: number
  readonly deviceId: number
  readonly preKeyId: number
  readonly preKey: Uint8Array<ArrayBuffer>
  readonly signedPreKeyId: number
  readonly signedPreKey: Uint8Array<ArrayBuffer>
  readonly signedPreKeySignature: Uint8Array<ArrayBuffer>
  readonly identityKey: Uint8Array<ArrayBuffer>
  readonly kyberPreKeyId: number
  readonly kyberPreKey: Uint8Array<ArrayBuffer>
  readonly kyberPreKeySignature: Uint8Array<ArrayBuffer>
}

/** A fresh one-time EC pre-key and a one-time Kyber pre-key (signed), stored; their bundle's bytes. */
async function publishBundle(device: Device): Promise<ClaimedBundle> {
  const id = device.nextPreKeyId++
  const preKey = PrivateKey.generate()
  await device.preKeys.savePreKey(id, PreKeyRecord.new(id, preKey.getPublicKey(), preKey))
  const kem = KEMKeyPair.generate()
  const kemPublic = kem.getPublicKey().serialize()
  const kemSignature = device.identity.privateKey.sign(kemPublic)
  await device.kyberPreKeys.saveKyberPreKey(id, KyberPreKeyRecord.new(id, Date.now(), kem, kemSignature))
  return {
    registrationId: device.registrationId,
    deviceId: device.address.deviceId(),
    preKeyId: id,
    preKey: preKey.getPublicKey().serialize(),
    signedPreKeyId: device.signedPreKey.id(),
    signedPreKey: device.signedPreKey.publicKey().serialize(),
    signedPreKeySignature: device.signedPreKey.signature(),
    identityKey: device.identity.publicKey.serialize(),
    kyberPreKeyId: id,
    kyberPreKey: kemPublic,
    kyberPreKeySignature: kemSignature,
  }
}

async function encrypt(from: Device, to: Device, plaintext: Uint8Array<ArrayBuffer>) {
  const message = await signalEncrypt(plaintext, to.address, from.address, from.sessions, from.identities)
  return { type: message.type(), bytes: message.serialize() }
}

async function decrypt(
  to: Device,
  from: Device,
  message: { type: number; bytes: Uint8Array<ArrayBuffer> },
): Promise<Uint8Array> {
  return message.type === CiphertextMessageType.PreKey
    ? signalDecryptPreKey(
        PreKeySignalMessage.deserialize(message.bytes),
        from.address,
        to.address,
        to.sessions,
        to.identities,
        to.preKeys,
        to.signedPreKeys,
        to.kyberPreKeys,
      )
    : signalDecrypt(
        SignalMessage.deserialize(message.bytes),
        from.address,
        to.address,
        to.sessions,
        to.identities,
      )
}

/** The timed part of a session set-up: bundle parsing and checks, PQXDH, first message both ways. */
async function setUpSession(
  initiator: Device,
  responder: Device,
  claimed: ClaimedBundle,
  plaintext: Uint8Array<ArrayBuffer>,
): Promise<void> {
  const bundle = PreKeyBundle.new(
    claimed.registrationId,
    claimed.deviceId,
    claimed.preKeyId,
    PublicKey.deserialize(claimed.preKey),
    claimed.signedPreKeyId,
    PublicKey.deserialize(claimed.signedPreKey),
    claimed.signedPreKeySignature,
    PublicKey.deserialize(claimed.identityKey),
    claimed.kyberPreKeyId,
    KEMPublicKey.deserialize(claimed.kyberPreKey),
    claimed.kyberPreKeySignature,
  )
  await processPreKeyBundle(
    bundle,
    responder.address,
    initiator.address,
    initiator.sessions,
    initiator.identities,
  )
  const message = await encrypt(initiator, responder, plaintext)
  if (message.type !== CiphertextMessageType.PreKey) {
    throw new Error('benchmark: the first message of a session is not a PreKeySignalMessage')
  }
  assertSame(await decrypt(responder, initiator, message), plaintext)
}

async function answeredPair(plaintext: Uint8Array<ArrayBuffer>): Promise<[Device, Device]> {
  const alice = await makeDevice()
  const bob = await makeDevice()
  await setUpSession(alice, bob, await publishBundle(bob), plaintext)
  assertSame(await decrypt(alice, bob, await encrypt(bob, alice, plaintext)), plaintext)
  return [alice, bob]
}

export function libsignalScenarios(): Scenarios {
  return {
    async pingPong(plaintext) {
      const [alice, bob] = await answeredPair(plaintext)
      return async (count) => async () => {
        let last: Uint8Array = plaintext
        for (let i = 0; i < count; i++) {
          const [from, to] = i % 2 === 0 ? [alice, bob] : [bob, alice]
          last = await decrypt(to, from, await encrypt(from, to, plaintext))
        }
        assertSame(last, plaintext)
      }
    },

    async burst(plaintext) {
      const [alice, bob] = await answeredPair(plaintext)
      return async (count) => async () => {
        const messages = []
        for (let i = 0; i < count; i++) {
          messages.push(await encrypt(alice, bob, plaintext))
        }
        let last: Uint8Array = plaintext
        for (const message of messages) {
          last = await decrypt(bob, alice, message)
        }
        assertSame(last, plaintext)
      }
    },

    async sessionSetup(plaintext) {
      const responder = await makeDevice()
      return async (count) => {
        const work: { initiator: Device; bundle: ClaimedBundle }[] = []
        for (let i = 0; i < count; i++) {
          work.push({ initiator: await makeDevice(), bundle: await publishBundle(responder) })
        }
        return async () => {
          for (const { initiator, bundle } of work) {
            await setUpSession(initiator, responder, bundle, plaintext)
          }
        }
      }
    },

    async group(plaintext, members) {
      const sender = ProtocolAddress.new(randomUUID(), 1)
      const senderStore = new MemorySenderKeyStore()
      const distributionId = randomUUID()
      const distribution = (
        await SenderKeyDistributionMessage.create(sender, distributionId, senderStore)
      ).serialize()
      const memberStores: MemorySenderKeyStore[] = []
      for (let i = 0; i < members; i++) {
        const store = new MemorySenderKeyStore()
        await processSenderKeyDistributionMessage(
          sender,
          SenderKeyDistributionMessage.deserialize(distribution),
          store,
        )
        memberStores.push(store)
      }
      return async (count) => async () => {
        let last: Uint8Array = plaintext
        for (let i = 0; i < count; i++) {
          const message = (await groupEncrypt(sender, distributionId, senderStore, plaintext)).serialize()
          for (const store of memberStores) {
            last = await groupDecrypt(sender, store, message)
          }
        }
        assertSame(last, plaintext)
      }
    },
  }
}
