/**
 * Devices with real keys, real pre-keys and in-memory stores, for session-layer tests.
 */

import type { CryptoProvider } from '../../src/provider/types.js'
import { createLocalDevice } from '../../src/records/certificate.js'
import { AccountKeyPair } from '../../src/records/keys.js'
import {
  buildPreKeyBundle,
  generateKemPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  verifyPreKeyBundle,
} from '../../src/records/prekeys.js'
import { SessionCipher } from '../../src/session-cipher.js'
import type { SessionRecordCache } from '../../src/session-record-cache.js'
import { inMemoryStores } from '../../src/stores.js'
import type { CryptoContext, LocalDevice, VerifiedPreKeyBundle } from '../../src/types.js'

export const SIGNED_PRE_KEY_ID = 1
export const LAST_RESORT_KEM_ID = 1000

export interface TestDevice {
  readonly context: CryptoContext
  readonly account: AccountKeyPair
  readonly local: LocalDevice
  readonly stores: ReturnType<typeof inMemoryStores>
  readonly cipher: SessionCipher
  /** A verified bundle as a relay would hand it out; one-time keys are used up in order. */
  bundle(options?: { oneTime?: boolean; oneTimeKem?: boolean }): Promise<VerifiedPreKeyBundle>
}

export interface DeviceOptions {
  account?: AccountKeyPair
  deviceId?: number
  oneTimeKeys?: number
  now?: () => number
  /** The cipher's record cache (default: the one of its session store). */
  sessionCache?: SessionRecordCache
}

export async function makeDevice(provider: CryptoProvider, options: DeviceOptions = {}): Promise<TestDevice> {
  const context: CryptoContext = { provider, now: options.now ?? (() => Date.now()) }
  const account = options.account ?? (await AccountKeyPair.generate(provider))
  const local = await createLocalDevice(context, account, {
    deviceId: options.deviceId ?? 1,
    peerId: provider.randomBytes(38),
  })
  const stores = inMemoryStores()
  const signed = await generateSignedPreKey(context, local.signingKeyPair, SIGNED_PRE_KEY_ID)
  await stores.preKeys.storeSignedPreKey(signed.id, signed.keyPair)
  const lastResort = await generateKemPreKey(context, local.signingKeyPair, LAST_RESORT_KEM_ID, {
    lastResort: true,
  })
  await stores.preKeys.storeKemPreKey(lastResort.id, lastResort.keyPair, true)
  const count = options.oneTimeKeys ?? 3
  const oneTime = await generateOneTimePreKeys(context, 1, count)
  const oneTimeKem: Awaited<ReturnType<typeof generateKemPreKey>>[] = []
  for (const key of oneTime) {
    await stores.preKeys.storeOneTimePreKey(key.id, key.keyPair)
    const kem = await generateKemPreKey(context, local.signingKeyPair, key.id, { lastResort: false })
    await stores.preKeys.storeKemPreKey(kem.id, kem.keyPair, false)
    oneTimeKem.push(kem)
  }
  let next = 0
  const cipher = new SessionCipher({ context, stores, local, sessionCache: options.sessionCache })
  return {
    context,
    account,
    local,
    stores,
    cipher,
    async bundle({ oneTime: useOneTime = true, oneTimeKem: useOneTimeKem = true } = {}) {
      const index = next++
      const otk = useOneTime ? oneTime[index] : undefined
      const kem = useOneTimeKem ? (oneTimeKem[index] ?? lastResort) : lastResort
      const bytes = buildPreKeyBundle({
        certificate: local.certificate,
        signedPreKey: signed.record,
        kemPreKey: kem.record,
        oneTimePreKey: otk === undefined ? undefined : { id: otk.id, publicKey: otk.keyPair.publicKey },
      })
      return verifyPreKeyBundle(context, bytes, {
        accountKey: account.publicKey,
        deviceId: local.address.deviceId,
      })
    },
  }
}

/** Alice with a session to Bob (not yet answered: her messages are PreKeyMessages). */
export async function pair(provider: CryptoProvider): Promise<{ alice: TestDevice; bob: TestDevice }> {
  const alice = await makeDevice(provider)
  const bob = await makeDevice(provider)
  await alice.cipher.initiate(await bob.bundle())
  return { alice, bob }
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export const text = (s: string): Uint8Array => encoder.encode(s)
export const read = (b: Uint8Array): string => decoder.decode(b)
