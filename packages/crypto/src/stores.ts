/**
 * The stores the crypto layers need, as small async interfaces, with in-memory implementations.
 * Persistent implementations live in @ferry/storage. Records cross these interfaces as bytes (each a
 * versioned stored format defined by the layer that owns it), so a store never shares mutable state
 * with a caller and a failed operation cannot have changed what is stored.
 */
import { toHex as hex, constantTimeEqual as sameBytes } from './bytes.js'
import type { KeyPair } from './provider/types.js'
import type { DeviceAddress } from './types.js'
import { addressKey } from './types.js'

/** What the identity store says about an identity key presented for an address. */
export type IdentityChange = 'new' | 'unchanged' | 'changed'

export interface IdentityStore {
  /** The identity key last accepted for this device, if any. */
  getIdentity(address: DeviceAddress): Promise<Uint8Array | undefined>
  /**
   * Records `identityKey` for `address` (trust on first use). Returns 'changed' without saving when a
   * different key is already recorded: the caller raises UntrustedIdentityError until the user accepts.
   */
  saveIdentity(address: DeviceAddress, identityKey: Uint8Array): Promise<IdentityChange>
  /** Replaces the recorded key after the user accepted a change. */
  approveIdentity(address: DeviceAddress, identityKey: Uint8Array): Promise<void>
}

export interface SessionStore {
  loadSession(address: DeviceAddress): Promise<Uint8Array | undefined>
  storeSession(address: DeviceAddress, record: Uint8Array): Promise<void>
  deleteSession(address: DeviceAddress): Promise<void>
}

export interface PreKeyStore {
  loadSignedPreKey(id: number): Promise<KeyPair | undefined>
  storeSignedPreKey(id: number, keyPair: KeyPair): Promise<void>
  loadKemPreKey(id: number): Promise<{ keyPair: KeyPair; lastResort: boolean } | undefined>
  storeKemPreKey(id: number, keyPair: KeyPair, lastResort: boolean): Promise<void>
  /** Deletes a one-time KEM pre-key; last-resort keys are only replaced, never consumed. */
  removeKemPreKey(id: number): Promise<void>
  loadOneTimePreKey(id: number): Promise<KeyPair | undefined>
  storeOneTimePreKey(id: number, keyPair: KeyPair): Promise<void>
  removeOneTimePreKey(id: number): Promise<void>
  /**
   * Records that a session was set up with a last-resort KEM key and this base key. Returns false when
   * the pair was seen before: a replayed initial message.
   */
  markLastResortUse(kemPreKeyId: number, signedPreKeyId: number, baseKey: Uint8Array): Promise<boolean>
}

export interface SenderKeyStore {
  loadSenderKey(sender: DeviceAddress, distributionId: Uint8Array): Promise<Uint8Array | undefined>
  storeSenderKey(sender: DeviceAddress, distributionId: Uint8Array, record: Uint8Array): Promise<void>
  deleteSenderKey(sender: DeviceAddress, distributionId: Uint8Array): Promise<void>
}

export interface CryptoStores {
  readonly identities: IdentityStore
  readonly sessions: SessionStore
  readonly preKeys: PreKeyStore
  readonly senderKeys: SenderKeyStore
}

// ------------------------------------------------------------------------------ in memory

export class InMemoryIdentityStore implements IdentityStore {
  readonly #keys = new Map<string, Uint8Array>()

  async getIdentity(address: DeviceAddress): Promise<Uint8Array | undefined> {
    return this.#keys.get(addressKey(address))?.slice()
  }

  async saveIdentity(address: DeviceAddress, identityKey: Uint8Array): Promise<IdentityChange> {
    const known = this.#keys.get(addressKey(address))
    if (known === undefined) {
      this.#keys.set(addressKey(address), identityKey.slice())
      return 'new'
    }
    return sameBytes(known, identityKey) ? 'unchanged' : 'changed'
  }

  async approveIdentity(address: DeviceAddress, identityKey: Uint8Array): Promise<void> {
    this.#keys.set(addressKey(address), identityKey.slice())
  }
}

export class InMemorySessionStore implements SessionStore {
  readonly #records = new Map<string, Uint8Array>()

  async loadSession(address: DeviceAddress): Promise<Uint8Array | undefined> {
    return this.#records.get(addressKey(address))?.slice()
  }

  async storeSession(address: DeviceAddress, record: Uint8Array): Promise<void> {
    this.#records.set(addressKey(address), record.slice())
  }

  async deleteSession(address: DeviceAddress): Promise<void> {
    this.#records.delete(addressKey(address))
  }

  /** A copy of every record, for tests that roll a device back to an older state. */
  snapshot(): Map<string, Uint8Array> {
    return new Map([...this.#records].map(([k, v]) => [k, v.slice()]))
  }

  restore(snapshot: Map<string, Uint8Array>): void {
    this.#records.clear()
    for (const [k, v] of snapshot) {
      this.#records.set(k, v.slice())
    }
  }
}

export class InMemoryPreKeyStore implements PreKeyStore {
  readonly #signed = new Map<number, KeyPair>()
  readonly #kem = new Map<number, { keyPair: KeyPair; lastResort: boolean }>()
  readonly #oneTime = new Map<number, KeyPair>()
  readonly #lastResortUses = new Set<string>()

  async loadSignedPreKey(id: number): Promise<KeyPair | undefined> {
    return this.#signed.get(id)
  }

  async storeSignedPreKey(id: number, keyPair: KeyPair): Promise<void> {
    this.#signed.set(id, keyPair)
  }

  async loadKemPreKey(id: number): Promise<{ keyPair: KeyPair; lastResort: boolean } | undefined> {
    return this.#kem.get(id)
  }

  async storeKemPreKey(id: number, keyPair: KeyPair, lastResort: boolean): Promise<void> {
    this.#kem.set(id, { keyPair, lastResort })
  }

  async removeKemPreKey(id: number): Promise<void> {
    if (this.#kem.get(id)?.lastResort === false) {
      this.#kem.delete(id)
    }
  }

  async loadOneTimePreKey(id: number): Promise<KeyPair | undefined> {
    return this.#oneTime.get(id)
  }

  async storeOneTimePreKey(id: number, keyPair: KeyPair): Promise<void> {
    this.#oneTime.set(id, keyPair)
  }

  async removeOneTimePreKey(id: number): Promise<void> {
    this.#oneTime.delete(id)
  }

  async markLastResortUse(
    kemPreKeyId: number,
    signedPreKeyId: number,
    baseKey: Uint8Array,
  ): Promise<boolean> {
    const key = `${kemPreKeyId}.${signedPreKeyId}.${hex(baseKey)}`
    if (this.#lastResortUses.has(key)) {
      return false
    }
    this.#lastResortUses.add(key)
    return true
  }

  /** How many one-time pre-keys are left (tests check consumption). */
  get oneTimePreKeyCount(): number {
    return this.#oneTime.size
  }

  get oneTimeKemPreKeyCount(): number {
    return [...this.#kem.values()].filter((k) => !k.lastResort).length
  }
}

export class InMemorySenderKeyStore implements SenderKeyStore {
  readonly #records = new Map<string, Uint8Array>()

  async loadSenderKey(sender: DeviceAddress, distributionId: Uint8Array): Promise<Uint8Array | undefined> {
    return this.#records.get(`${addressKey(sender)}/${hex(distributionId)}`)?.slice()
  }

  async storeSenderKey(sender: DeviceAddress, distributionId: Uint8Array, record: Uint8Array): Promise<void> {
    this.#records.set(`${addressKey(sender)}/${hex(distributionId)}`, record.slice())
  }

  async deleteSenderKey(sender: DeviceAddress, distributionId: Uint8Array): Promise<void> {
    this.#records.delete(`${addressKey(sender)}/${hex(distributionId)}`)
  }
}

export function inMemoryStores(): CryptoStores & {
  identities: InMemoryIdentityStore
  sessions: InMemorySessionStore
  preKeys: InMemoryPreKeyStore
  senderKeys: InMemorySenderKeyStore
} {
  return {
    identities: new InMemoryIdentityStore(),
    sessions: new InMemorySessionStore(),
    preKeys: new InMemoryPreKeyStore(),
    senderKeys: new InMemorySenderKeyStore(),
  }
}
