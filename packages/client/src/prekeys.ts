/**
 * Keeps this device's pre-keys on its relays: a signed X25519 pre-key and a signed last-resort
 * ML-KEM key (always there, rotated after SIGNED_PRE_KEY_MAX_AGE_MS), and batches of one-time X25519
 * and ML-KEM pre-keys, topped up when a relay holds fewer than PRE_KEY_LOW_WATERMARK. Each relay gets
 * its own one-time keys, so no key can be handed out twice. Private halves are committed before the
 * public halves are uploaded.
 */
import {
  type CryptoContext,
  generateKemPreKey,
  generateOneTimePreKeys,
  generateSignedPreKey,
  type LocalDevice,
  PreKeyKind,
  signPreKey,
} from '@ferry/crypto'
import type { AccountMailbox, AccountRecord, ClientStore } from '@ferry/storage'
import type { PreKeyCounts } from '@ferry/transport'
import { multiaddr } from '@multiformats/multiaddr'
import { PRE_KEY_BATCH, PRE_KEY_LOW_WATERMARK, SIGNED_PRE_KEY_MAX_AGE_MS } from './constants.js'
import type { Log } from './log.js'
import type { Network } from './network.js'
import type { StateQueue } from './state-queue.js'

/**
 * The last-resort ML-KEM key shares the ML-KEM ID space with one-time keys, which count up from 1;
 * last-resort IDs sit above this offset, tied to the signed pre-key they are rotated with.
 */
const LAST_RESORT_ID_OFFSET = 0x8000_0000

export interface PreKeyKeeperInit {
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly network: () => Network | undefined
  readonly local: () => LocalDevice
  readonly log: Log
}

export class PreKeyKeeper {
  readonly #init: PreKeyKeeperInit

  constructor(init: PreKeyKeeperInit) {
    this.#init = init
  }

  /** Rotates the signed keys when due, then brings every relay up to date. Errors per relay are logged. */
  async maintain(options: { signal?: AbortSignal } = {}): Promise<void> {
    const account = await this.#ensureSignedKeys()
    await Promise.all(
      account.mailboxes.map(async (mailbox) => {
        try {
          await this.#maintainRelay(mailbox, options)
        } catch (err) {
          this.#init.log('pre-key upload to a relay failed: %s', (err as Error).message)
        }
      }),
    )
  }

  /** A signed pre-key and a last-resort ML-KEM key, made (or rotated) and committed when needed. */
  async #ensureSignedKeys(): Promise<AccountRecord> {
    const { context } = this.#init
    const { value } = await this.#init.queue.run(async (unit) => {
      const account = await unit.account.get()
      if (account === undefined) {
        throw new Error('no account')
      }
      const { preKeys } = account
      const age = context.now() - preKeys.signedPreKeyCreatedAt
      if (preKeys.signedPreKeyId !== 0 && age < SIGNED_PRE_KEY_MAX_AGE_MS) {
        return account
      }
      const signing = this.#init.local().signingKeyPair
      const id = preKeys.signedPreKeyId + 1
      const createdAt = context.now()
      const at = { provider: context.provider, now: () => createdAt }
      const signed = await generateSignedPreKey(at, signing, id)
      const lastResort = await generateKemPreKey(at, signing, LAST_RESORT_ID_OFFSET + id, {
        lastResort: true,
      })
      await unit.crypto.preKeys.storeSignedPreKey(id, signed.keyPair)
      await unit.crypto.preKeys.storeKemPreKey(lastResort.id, lastResort.keyPair, true)
      const updated: AccountRecord = {
        ...account,
        preKeys: { ...preKeys, signedPreKeyId: id, signedPreKeyCreatedAt: createdAt },
      }
      await unit.account.put(updated)
      return updated
    })
    return value
  }

  async #maintainRelay(mailbox: AccountMailbox, options: { signal?: AbortSignal }): Promise<void> {
    const network = this.#init.network()
    if (network === undefined) {
      return
    }
    const relay = mailbox.relayAddrs.map((a) => multiaddr(a))
    let counts: PreKeyCounts = await this.#upload(relay, [], [], options)
    if (counts.oneTime >= PRE_KEY_LOW_WATERMARK && counts.oneTimeKem >= PRE_KEY_LOW_WATERMARK) {
      return
    }
    const batch = await this.#newBatch()
    counts = await this.#upload(relay, batch.oneTime, batch.oneTimeKem, options)
    this.#init.log(
      'relay now holds %d one-time and %d one-time ML-KEM pre-keys',
      counts.oneTime,
      counts.oneTimeKem,
    )
  }

  /** Fresh one-time X25519 and ML-KEM pre-keys, their private halves committed. */
  async #newBatch(): Promise<{
    oneTime: Array<{ id: number; publicKey: Uint8Array }>
    oneTimeKem: Uint8Array[]
  }> {
    const { context } = this.#init
    const { value } = await this.#init.queue.run(async (unit) => {
      const account = await unit.account.get()
      if (account === undefined) {
        throw new Error('no account')
      }
      const signing = this.#init.local().signingKeyPair
      const { nextOneTimeId, nextKemId } = account.preKeys
      const oneTime = await generateOneTimePreKeys(context, nextOneTimeId, PRE_KEY_BATCH)
      const oneTimeKem: Uint8Array[] = []
      for (const key of oneTime) {
        await unit.crypto.preKeys.storeOneTimePreKey(key.id, key.keyPair)
      }
      for (let i = 0; i < PRE_KEY_BATCH; i++) {
        const kem = await generateKemPreKey(context, signing, nextKemId + i, { lastResort: false })
        await unit.crypto.preKeys.storeKemPreKey(kem.id, kem.keyPair, false)
        oneTimeKem.push(kem.record)
      }
      await unit.account.put({
        ...account,
        preKeys: {
          ...account.preKeys,
          nextOneTimeId: nextOneTimeId + PRE_KEY_BATCH,
          nextKemId: nextKemId + PRE_KEY_BATCH,
        },
      })
      return {
        oneTime: oneTime.map((k) => ({ id: k.id, publicKey: k.keyPair.publicKey })),
        oneTimeKem,
      }
    })
    return value
  }

  async #upload(
    relay: ReturnType<typeof multiaddr>[],
    oneTimePreKeys: Array<{ id: number; publicKey: Uint8Array }>,
    oneTimeKemPreKeys: Uint8Array[],
    options: { signal?: AbortSignal },
  ): Promise<PreKeyCounts> {
    const network = this.#init.network()
    if (network === undefined) {
      throw new Error('not started')
    }
    const records = await this.#signedRecords()
    const local = this.#init.local()
    return network.preKeys.upload(
      relay,
      {
        certificate: local.certificate,
        signedPreKey: records.signedPreKey,
        kemLastResort: records.kemLastResort,
        oneTimePreKeys,
        oneTimeKemPreKeys,
      },
      (payload) => this.#init.context.provider.ed25519Sign(local.signingKeyPair.secretKey, payload),
      options,
    )
  }

  /** The signed records of the current signed pre-key and last-resort key, re-created (deterministic). */
  async #signedRecords(): Promise<{ signedPreKey: Uint8Array; kemLastResort: Uint8Array }> {
    const account = await this.#init.store.account.get()
    if (account === undefined) {
      throw new Error('no account')
    }
    const { signedPreKeyId: id, signedPreKeyCreatedAt: createdAt } = account.preKeys
    const unit = this.#init.store.unit({ durable: true })
    try {
      const signed = await unit.crypto.preKeys.loadSignedPreKey(id)
      const kem = await unit.crypto.preKeys.loadKemPreKey(LAST_RESORT_ID_OFFSET + id)
      if (signed === undefined || kem === undefined) {
        throw new Error('the current signed pre-keys are missing from the store')
      }
      const at = { provider: this.#init.context.provider, now: () => createdAt }
      const signing = this.#init.local().signingKeyPair
      return {
        signedPreKey: await signPreKey(at, signing, PreKeyKind.SignedX25519, id, signed.publicKey),
        kemLastResort: await signPreKey(
          at,
          signing,
          PreKeyKind.KemLastResort,
          LAST_RESORT_ID_OFFSET + id,
          kem.keyPair.publicKey,
        ),
      }
    } finally {
      unit.discard()
    }
  }
}
