/**
 * A sender and N member devices with real keys, as the group benchmark needs them (all untimed): the
 * sender's state lives in a client store (@ferry/storage over memory-level, as in the messenger), the
 * members' in @ferry/crypto's in-memory stores. Every pairwise session is answered (the member has
 * replied once), as it is in a group that has been talking for a while.
 */
import {
  AccountKeyPair,
  buildPreKeyBundle,
  type CryptoContext,
  createLocalDevice,
  createSenderKeyDistribution,
  generateKemPreKey,
  generateSignedPreKey,
  inMemoryStores,
  type LocalDevice,
  processSenderKeyDistribution,
  SessionCipher,
  verifyPreKeyBundle,
} from '@ferry/crypto'
import { nodeProvider } from '@ferry/crypto/provider/node'
import { type ClientStore, openClientStore } from '@ferry/storage'
import { Content, pad } from '@ferry/wire'
import { MemoryLevel } from 'memory-level'

export const context: CryptoContext = { provider: nodeProvider, now: () => Date.now() }

export interface Member {
  readonly local: LocalDevice
  readonly stores: ReturnType<typeof inMemoryStores>
  readonly cipher: SessionCipher
}

export interface Sender {
  readonly local: LocalDevice
  readonly store: ClientStore
  readonly groupId: Uint8Array
  readonly envelopeKey: { readonly keyId: number; readonly key: Uint8Array }
}

export interface Fixture {
  readonly sender: Sender
  readonly members: readonly Member[]
  close(): Promise<void>
}

/** A padded Content as the messenger encrypts it: a text, with the group ID for group messages. */
export function content(text: string, groupId?: Uint8Array): Uint8Array {
  return pad(
    Content.encode({
      messageId: context.provider.randomBytes(16),
      sentAt: Date.now(),
      text: { body: text, ...(groupId === undefined ? {} : { groupId }) },
    }),
  )
}

async function device(deviceId: number): Promise<{ local: LocalDevice; account: AccountKeyPair }> {
  const account = await AccountKeyPair.generate(context.provider)
  const local = await createLocalDevice(context, account, {
    deviceId,
    peerId: context.provider.randomBytes(38),
  })
  return { local, account }
}

async function member(): Promise<Member & { bundle: Uint8Array; account: AccountKeyPair }> {
  const { local, account } = await device(1)
  const stores = inMemoryStores()
  const signed = await generateSignedPreKey(context, local.signingKeyPair, 1)
  await stores.preKeys.storeSignedPreKey(signed.id, signed.keyPair)
  const kem = await generateKemPreKey(context, local.signingKeyPair, 1, { lastResort: true })
  await stores.preKeys.storeKemPreKey(kem.id, kem.keyPair, true)
  const bundle = buildPreKeyBundle({
    certificate: local.certificate,
    signedPreKey: signed.record,
    kemPreKey: kem.record,
  })
  return { local, stores, cipher: new SessionCipher({ context, stores, local }), bundle, account }
}

/** The sender, `count` members with answered sessions, and the sender's sender key handed to them. */
export async function fixture(count: number): Promise<Fixture> {
  const db = new MemoryLevel()
  const store = await openClientStore(db as never)
  const { local } = await device(1)
  const groupId = context.provider.randomBytes(16)
  const sender: Sender = {
    local,
    store,
    groupId,
    envelopeKey: { keyId: 0x1234_5678, key: context.provider.randomBytes(32) },
  }
  const members: Member[] = []
  const hello = content('hello')
  for (let i = 0; i < count; i++) {
    const m = await member()
    const unit = store.unit()
    const cipher = new SessionCipher({ context, stores: unit.crypto, local })
    await cipher.initiate(
      await verifyPreKeyBundle(context, m.bundle, { accountKey: m.account.publicKey, deviceId: 1 }),
    )
    const first = await cipher.encrypt(m.local.address, hello)
    await m.cipher.decrypt(local.address, first)
    const reply = await m.cipher.encrypt(local.address, hello)
    await cipher.decrypt(m.local.address, reply)
    await unit.commit()
    members.push(m)
  }
  // the group's state on the sender: its record and its sender key, handed to every member
  const unit = store.unit()
  await unit.groups.put({
    groupId,
    name: 'bench',
    revision: 1,
    members: [
      { accountKey: local.address.accountKey, admin: true },
      ...members.map((m) => ({ accountKey: m.local.address.accountKey, admin: false })),
    ],
    keys: [sender.envelopeKey],
    createdAt: Date.now(),
    left: false,
    distributedTo: members.map((m) => m.local.address),
  })
  const distribution = await createSenderKeyDistribution(
    context,
    unit.crypto.senderKeys,
    local.address,
    groupId,
  )
  await unit.commit()
  for (const m of members) {
    await processSenderKeyDistribution(context, m.stores.senderKeys, local.address, distribution)
  }
  return {
    sender,
    members,
    async close() {
      await store.close()
    },
  }
}
