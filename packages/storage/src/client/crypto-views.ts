/**
 * The four crypto stores of @ferry/crypto (identities with trust on first use, sessions, pre-keys,
 * sender keys) over a unit of work: reads see the unit's own writes, writes land in its batch.
 * Behaviour matches the in-memory stores of packages/crypto/src/stores.ts; records are copied in and
 * out, and key pairs come back as redacting objects.
 */
import { equalBytes } from '../binary.js'
import type { ClientKeys } from './keys.js'
import {
  decodeIdentityKey,
  decodeKemPreKey,
  decodeKeyPair,
  decodeOpaque,
  encodeIdentityKey,
  encodeKemPreKey,
  encodeKeyPair,
  encodeOpaque,
  MARKER,
} from './records-crypto.js'
import type { StoredKeyPair } from './redacted.js'
import type { Sink, Source } from './source.js'
import type {
  CryptoStoreViews,
  DeviceAddress,
  IdentityChange,
  IdentityStoreView,
  KeyPair,
  PreKeyStoreView,
  SenderKeyStoreView,
  SessionStoreView,
} from './types.js'

type Store = Source & Sink

export class IdentityView implements IdentityStoreView {
  constructor(
    private readonly keys: ClientKeys,
    private readonly store: Store,
  ) {}

  async getIdentity(address: DeviceAddress): Promise<Uint8Array | undefined> {
    const stored = await this.store.get(this.keys.identity(address))
    return stored === undefined ? undefined : decodeIdentityKey(stored)
  }

  async saveIdentity(address: DeviceAddress, identityKey: Uint8Array): Promise<IdentityChange> {
    const key = this.keys.identity(address)
    const value = encodeIdentityKey(identityKey)
    const stored = await this.store.get(key)
    if (stored === undefined) {
      this.store.put(key, value)
      return 'new'
    }
    return equalBytes(decodeIdentityKey(stored), identityKey) ? 'unchanged' : 'changed'
  }

  async approveIdentity(address: DeviceAddress, identityKey: Uint8Array): Promise<void> {
    this.store.put(this.keys.identity(address), encodeIdentityKey(identityKey))
  }
}

export class SessionView implements SessionStoreView {
  constructor(
    private readonly keys: ClientKeys,
    private readonly store: Store,
  ) {}

  async loadSession(address: DeviceAddress): Promise<Uint8Array | undefined> {
    const stored = await this.store.get(this.keys.session(address))
    return stored === undefined ? undefined : decodeOpaque(stored, 'session')
  }

  async storeSession(address: DeviceAddress, record: Uint8Array): Promise<void> {
    this.store.put(this.keys.session(address), encodeOpaque(record, 'a session record'))
  }

  async deleteSession(address: DeviceAddress): Promise<void> {
    this.store.del(this.keys.session(address))
  }
}

export class PreKeyView implements PreKeyStoreView {
  constructor(
    private readonly keys: ClientKeys,
    private readonly store: Store,
  ) {}

  async #pair(key: Uint8Array, what: string): Promise<StoredKeyPair | undefined> {
    const stored = await this.store.get(key)
    return stored === undefined ? undefined : decodeKeyPair(stored, what)
  }

  async loadSignedPreKey(id: number): Promise<StoredKeyPair | undefined> {
    return this.#pair(this.keys.signedPreKey(id), 'signed pre-key')
  }

  async storeSignedPreKey(id: number, keyPair: KeyPair): Promise<void> {
    this.store.put(this.keys.signedPreKey(id), encodeKeyPair(keyPair))
  }

  async loadKemPreKey(id: number): Promise<{ keyPair: StoredKeyPair; lastResort: boolean } | undefined> {
    const stored = await this.store.get(this.keys.kemPreKey(id))
    return stored === undefined ? undefined : decodeKemPreKey(stored)
  }

  async storeKemPreKey(id: number, keyPair: KeyPair, lastResort: boolean): Promise<void> {
    this.store.put(this.keys.kemPreKey(id), encodeKemPreKey(keyPair, lastResort))
  }

  async removeKemPreKey(id: number): Promise<void> {
    const key = this.keys.kemPreKey(id)
    const stored = await this.store.get(key)
    if (stored !== undefined && !decodeKemPreKey(stored).lastResort) {
      this.store.del(key)
    }
  }

  async loadOneTimePreKey(id: number): Promise<StoredKeyPair | undefined> {
    return this.#pair(this.keys.oneTimePreKey(id), 'one-time pre-key')
  }

  async storeOneTimePreKey(id: number, keyPair: KeyPair): Promise<void> {
    this.store.put(this.keys.oneTimePreKey(id), encodeKeyPair(keyPair))
  }

  async removeOneTimePreKey(id: number): Promise<void> {
    this.store.del(this.keys.oneTimePreKey(id))
  }

  async markLastResortUse(
    kemPreKeyId: number,
    signedPreKeyId: number,
    baseKey: Uint8Array,
  ): Promise<boolean> {
    const key = this.keys.lastResortUse(kemPreKeyId, signedPreKeyId, baseKey)
    if ((await this.store.get(key)) !== undefined) {
      return false
    }
    this.store.put(key, MARKER)
    return true
  }
}

export class SenderKeyView implements SenderKeyStoreView {
  constructor(
    private readonly keys: ClientKeys,
    private readonly store: Store,
  ) {}

  async loadSenderKey(sender: DeviceAddress, distributionId: Uint8Array): Promise<Uint8Array | undefined> {
    const stored = await this.store.get(this.keys.senderKey(sender, distributionId))
    return stored === undefined ? undefined : decodeOpaque(stored, 'sender key')
  }

  async storeSenderKey(sender: DeviceAddress, distributionId: Uint8Array, record: Uint8Array): Promise<void> {
    this.store.put(this.keys.senderKey(sender, distributionId), encodeOpaque(record, 'a sender-key record'))
  }

  async deleteSenderKey(sender: DeviceAddress, distributionId: Uint8Array): Promise<void> {
    this.store.del(this.keys.senderKey(sender, distributionId))
  }
}

export function cryptoViews(keys: ClientKeys, store: Store): CryptoStoreViews {
  return {
    identities: new IdentityView(keys, store),
    sessions: new SessionView(keys, store),
    preKeys: new PreKeyView(keys, store),
    senderKeys: new SenderKeyView(keys, store),
  }
}
