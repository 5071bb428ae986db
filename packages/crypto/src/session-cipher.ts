/**
 * Pairwise sessions with remote devices: set-up from a verified pre-key bundle (PQXDH), encryption,
 * and decryption of PreKeyMessages and RatchetMessages, with Sesame's rules for several sessions per
 * device (a session that decrypts becomes current; archived sessions still read in-flight messages;
 * simultaneous initiation converges).
 *
 * Owns: the state machine around the ratchet, trust checks of identity keys, one-time pre-key
 * consumption, and transactional use of the stores (every operation loads a record, works on it, and
 * writes only on success: a failed decrypt changes nothing and consumes no pre-key). A decoded record
 * comes from the SessionRecordCache when the store still holds exactly the bytes it was saved as; an
 * operation that fails never returns its record to the cache, so a half-changed record is never reused.
 * Must not know: transport, sealing, message content, or how stores persist.
 */
import { PreKeyMessage, WireError } from '@ferry/wire'
import { constantTimeEqual } from './bytes.js'
import {
  CryptoError,
  DuplicateMessageError,
  InvalidMessageError,
  MessageTooFarAheadError,
  NoSessionError,
  UntrustedIdentityError,
} from './errors.js'
import { initiatorAgreement, responderAgreement } from './handshake.js'
import { KeyedMutex } from './lock.js'
import type { SessionState } from './proto/session-state.js'
import { initInitiator, initResponder, ratchetDecrypt, ratchetEncrypt } from './ratchet.js'
import {
  archiveCurrent,
  decodeSessionRecord,
  encodeSessionRecord,
  promote,
  type SessionRecord,
} from './session-record.js'
import { SessionRecordCache } from './session-record-cache.js'
import type { CryptoStores } from './stores.js'
import {
  addressKey,
  type CryptoContext,
  type DeviceAddress,
  type LocalDevice,
  type VerifiedPreKeyBundle,
} from './types.js'

export type SessionMessageType = 'PRE_KEY' | 'RATCHET'

export interface SessionMessage {
  readonly type: SessionMessageType
  /** A framed PreKeyMessage or RatchetMessage. */
  readonly body: Uint8Array
}

export interface SessionDecryptResult {
  readonly plaintext: Uint8Array
  /** Messages whose skipped keys were evicted by this decrypt (they can no longer be read). */
  readonly lost: number
  /** True when this message set up a new session (a PreKeyMessage that was not seen before). */
  readonly newSession: boolean
}

export interface SessionDecryptOptions {
  /**
   * The identity key the sender proved elsewhere (the sealed envelope's sender certificate). The
   * message must belong to a session with exactly this key.
   */
  readonly identityKey?: Uint8Array
}

export interface SessionCipherInit {
  readonly context: CryptoContext
  readonly stores: Pick<CryptoStores, 'identities' | 'sessions' | 'preKeys'>
  readonly local: LocalDevice
  /**
   * The mutex that serialises work per remote device. Default: one shared by every cipher over the
   * same `stores.sessions` object. Pass one explicitly when each operation gets its own store view
   * (a unit of work that commits session state and messages together).
   */
  readonly mutex?: KeyedMutex
  /**
   * Decoded session records kept between operations (see session-record-cache.ts). Default: one
   * shared by every cipher over the same `stores.sessions` object. Pass one explicitly, like `mutex`,
   * when each operation gets its own store view: a cipher made per unit of work then still finds the
   * record the previous unit stored (a record is used only while the store returns exactly the bytes it
   * was saved as, so a discarded unit or a rolled-back store is always noticed).
   */
  readonly sessionCache?: SessionRecordCache
}

/** One mutex per session store, so every cipher over the same store serialises per remote device. */
const locks = new WeakMap<object, KeyedMutex>()
/** One record cache per session store, by default. */
const caches = new WeakMap<object, SessionRecordCache>()
/** Lock key under which pre-key consumption is serialised (taken after a device's own lock). */
const PRE_KEY_LOCK = 'pre-keys'

export class SessionCipher {
  readonly #context: CryptoContext
  readonly #stores: SessionCipherInit['stores']
  readonly #local: LocalDevice
  readonly #mutex: KeyedMutex
  readonly #cache: SessionRecordCache

  constructor(init: SessionCipherInit) {
    this.#context = init.context
    this.#stores = init.stores
    this.#local = init.local
    let mutex = init.mutex ?? locks.get(init.stores.sessions)
    if (mutex === undefined) {
      mutex = new KeyedMutex()
      locks.set(init.stores.sessions, mutex)
    }
    this.#mutex = mutex
    let cache = init.sessionCache ?? caches.get(init.stores.sessions)
    if (cache === undefined) {
      cache = new SessionRecordCache()
      caches.set(init.stores.sessions, cache)
    }
    this.#cache = cache
  }

  /** Starts a new session with the device of `bundle` (PQXDH as initiator); it becomes current. */
  async initiate(bundle: VerifiedPreKeyBundle): Promise<void> {
    const key = addressKey(bundle.address)
    await this.#mutex.run(key, async () => {
      await this.#checkTrusted(bundle.address, bundle.identityKey)
      const { provider } = this.#context
      const agreement = await initiatorAgreement(provider, this.#local.identityKeyPair, bundle)
      const state = await initInitiator(provider, {
        sharedSecret: agreement.sharedSecret,
        remoteRatchetKey: bundle.signedPreKey.publicKey,
        localIdentityKey: this.#local.identityKeyPair.publicKey,
        remoteIdentityKey: bundle.identityKey,
        baseKey: agreement.baseKeyPair.publicKey,
        pendingPreKey: {
          signedPreKeyId: bundle.signedPreKey.id,
          oneTimePreKeyId: bundle.oneTimePreKey?.id,
          kemPreKeyId: bundle.kemPreKey.id,
          baseKey: agreement.baseKeyPair.publicKey,
          kemCiphertext: agreement.kemCiphertext,
        },
        now: this.#context.now(),
      })
      const record = await this.#take(bundle.address, key)
      promote(record, state)
      await this.#save(bundle.address, key, record)
      await this.#stores.identities.saveIdentity(bundle.address, bundle.identityKey)
    })
  }

  /** Encrypts with the current session. Throws NoSessionError when there is none. */
  async encrypt(remote: DeviceAddress, plaintext: Uint8Array): Promise<SessionMessage> {
    const key = addressKey(remote)
    return this.#mutex.run(key, async () => {
      const record = await this.#take(remote, key)
      if (record.current === undefined) {
        throw new NoSessionError('no session with this device')
      }
      await this.#checkTrusted(remote, record.current.remoteIdentityKey)
      // this operation owns the record: if encryption fails it is dropped, nothing is stored
      const state = record.current
      const message = await ratchetEncrypt(this.#context.provider, state, plaintext)
      const pending = state.pendingPreKey
      const result: SessionMessage =
        pending === undefined
          ? { type: 'RATCHET', body: message }
          : {
              type: 'PRE_KEY',
              body: PreKeyMessage.encode({
                identityKey: this.#local.identityKeyPair.publicKey,
                baseKey: pending.baseKey,
                signedPreKeyId: pending.signedPreKeyId,
                oneTimePreKeyId: pending.oneTimePreKeyId,
                kemPreKeyId: pending.kemPreKeyId,
                kemCiphertext: pending.kemCiphertext,
                message,
              }),
            }
      await this.#save(remote, key, record)
      return result
    })
  }

  /**
   * Decrypts a message from `remote`. Throws DuplicateMessageError for a message already decrypted
   * (state unchanged), UntrustedIdentityError for a changed identity key, NoSessionError /
   * InvalidMessageError when no session can read it, MessageTooFarAheadError past the jump limit,
   * and WireError subclasses for malformed bytes. On any error nothing is stored.
   */
  async decrypt(
    remote: DeviceAddress,
    message: SessionMessage,
    options: SessionDecryptOptions = {},
  ): Promise<SessionDecryptResult> {
    const key = addressKey(remote)
    return this.#mutex.run(key, async () =>
      message.type === 'PRE_KEY'
        ? this.#decryptPreKey(remote, key, message.body, options)
        : this.#decryptRatchet(remote, key, message.body, options),
    )
  }

  async hasSession(remote: DeviceAddress): Promise<boolean> {
    return (await this.#peek(remote)).current !== undefined
  }

  /** The remote identity key of the current session, if any (a copy). */
  async remoteIdentityKey(remote: DeviceAddress): Promise<Uint8Array | undefined> {
    return (await this.#peek(remote)).current?.remoteIdentityKey.slice()
  }

  /**
   * Archives the current session (a session reset): nothing new is encrypted with it, but in-flight
   * messages still decrypt. The next `initiate` starts afresh.
   */
  async archiveSession(remote: DeviceAddress): Promise<void> {
    const key = addressKey(remote)
    await this.#mutex.run(key, async () => {
      const record = await this.#take(remote, key)
      archiveCurrent(record)
      await this.#save(remote, key, record)
    })
  }

  /** Forgets every session with the device (it was removed from its account). */
  async deleteSession(remote: DeviceAddress): Promise<void> {
    const key = addressKey(remote)
    await this.#mutex.run(key, async () => {
      this.#cache.delete(key)
      await this.#stores.sessions.deleteSession(remote)
    })
  }

  async #decryptRatchet(
    remote: DeviceAddress,
    key: string,
    body: Uint8Array,
    options: SessionDecryptOptions,
  ): Promise<SessionDecryptResult> {
    return this.#decryptExisting(
      remote,
      key,
      await this.#take(remote, key),
      (state) =>
        options.identityKey === undefined || constantTimeEqual(state.remoteIdentityKey, options.identityKey),
      body,
    )
  }

  async #decryptPreKey(
    remote: DeviceAddress,
    key: string,
    body: Uint8Array,
    options: SessionDecryptOptions,
  ): Promise<SessionDecryptResult> {
    const message = PreKeyMessage.decode(body)
    if (options.identityKey !== undefined && !constantTimeEqual(message.identityKey, options.identityKey)) {
      throw new InvalidMessageError('the pre-key message names another identity than its sender certificate')
    }
    await this.#checkTrusted(remote, message.identityKey)
    const record = await this.#take(remote, key)

    // a repeat of the initial message of a session that already exists: decrypt within that session
    const ofThisSession = (state: SessionState): boolean =>
      constantTimeEqual(state.baseKey, message.baseKey) &&
      constantTimeEqual(state.remoteIdentityKey, message.identityKey)
    if (candidatesOf(record).some(({ state }) => ofThisSession(state))) {
      return this.#decryptExisting(remote, key, record, ofThisSession, message.message)
    }

    return this.#mutex.run(PRE_KEY_LOCK, async () => {
      const { preKeys } = this.#stores
      const signedPreKey = await preKeys.loadSignedPreKey(message.signedPreKeyId)
      const kemPreKey = await preKeys.loadKemPreKey(message.kemPreKeyId)
      const oneTimePreKey =
        message.oneTimePreKeyId === undefined
          ? undefined
          : await preKeys.loadOneTimePreKey(message.oneTimePreKeyId)
      if (signedPreKey === undefined || kemPreKey === undefined) {
        throw new InvalidMessageError('the pre-key message names a pre-key this device does not have')
      }
      if (message.oneTimePreKeyId !== undefined && oneTimePreKey === undefined) {
        throw new InvalidMessageError('the one-time pre-key was already used or never existed')
      }
      const { provider } = this.#context
      const sharedSecret = await responderAgreement(
        provider,
        {
          identityKeyPair: this.#local.identityKeyPair,
          signedPreKeyPair: signedPreKey,
          oneTimePreKeyPair: oneTimePreKey,
          kemSecretKey: kemPreKey.keyPair.secretKey,
        },
        message.identityKey,
        message.baseKey,
        message.kemCiphertext,
      )
      const state = initResponder({
        sharedSecret,
        ratchetKeyPair: signedPreKey,
        localIdentityKey: this.#local.identityKeyPair.publicKey,
        remoteIdentityKey: message.identityKey,
        baseKey: message.baseKey,
        now: this.#context.now(),
      })
      const { plaintext, lost } = await ratchetDecrypt(provider, state, message.message)
      if (
        kemPreKey.lastResort &&
        !(await preKeys.markLastResortUse(message.kemPreKeyId, message.signedPreKeyId, message.baseKey))
      ) {
        throw new DuplicateMessageError('a replayed initial message for the last-resort pre-key')
      }
      promote(record, state)
      await this.#save(remote, key, record)
      await this.#stores.identities.saveIdentity(remote, message.identityKey)
      if (message.oneTimePreKeyId !== undefined) {
        await preKeys.removeOneTimePreKey(message.oneTimePreKeyId)
      }
      if (!kemPreKey.lastResort) {
        await preKeys.removeKemPreKey(message.kemPreKeyId)
      }
      return { plaintext, lost, newSession: true }
    })
  }

  /**
   * Tries the existing states of `record` that `select` accepts, current first (a failed attempt
   * leaves its state untouched); the first that decrypts is adopted and stored.
   */
  async #decryptExisting(
    remote: DeviceAddress,
    key: string,
    record: SessionRecord,
    select: (state: SessionState) => boolean,
    body: Uint8Array,
  ): Promise<SessionDecryptResult> {
    const candidates = candidatesOf(record).filter(({ state }) => select(state))
    if (candidates.length === 0) {
      throw new NoSessionError('no session with this device can read the message')
    }
    let tooFar: MessageTooFarAheadError | undefined
    let failure: unknown
    for (const { state, archivedIndex } of candidates) {
      let result: { plaintext: Uint8Array; lost: number }
      try {
        result = await ratchetDecrypt(this.#context.provider, state, body)
      } catch (err) {
        // malformed bytes and duplicates are the same for every state; bugs are not to be masked
        if (
          err instanceof DuplicateMessageError ||
          err instanceof WireError ||
          !(err instanceof CryptoError)
        ) {
          throw err
        }
        if (err instanceof MessageTooFarAheadError) {
          tooFar ??= err
        } else {
          failure ??= err
        }
        continue
      }
      await this.#checkTrusted(remote, state.remoteIdentityKey)
      adopt(record, state, archivedIndex)
      await this.#save(remote, key, record)
      return { ...result, newSession: false }
    }
    if (tooFar !== undefined) {
      throw tooFar
    }
    throw new InvalidMessageError('no session with this device could decrypt the message', { cause: failure })
  }

  async #checkTrusted(remote: DeviceAddress, identityKey: Uint8Array): Promise<void> {
    const known = await this.#stores.identities.getIdentity(remote)
    if (known !== undefined && !constantTimeEqual(known, identityKey)) {
      throw new UntrustedIdentityError('the identity key of this device has changed', identityKey)
    }
  }

  /**
   * The record of `remote`, owned by the calling operation until `#save` returns it to the cache: the
   * cached one when the store still holds the bytes it was saved as, else a decode of a private copy
   * of what the store returned (the record's arrays must not change underneath it while it is cached).
   */
  async #take(remote: DeviceAddress, key: string): Promise<SessionRecord> {
    const stored = await this.#stores.sessions.loadSession(remote)
    return this.#cache.take(key, stored) ?? decodeSessionRecord(stored?.slice())
  }

  /** The record of `remote` for reading only: nothing read from it may be changed or handed out. */
  async #peek(remote: DeviceAddress): Promise<SessionRecord> {
    const stored = await this.#stores.sessions.loadSession(remote)
    return this.#cache.peek(addressKey(remote), stored) ?? decodeSessionRecord(stored)
  }

  async #save(remote: DeviceAddress, key: string, record: SessionRecord): Promise<void> {
    const bytes = encodeSessionRecord(record)
    await this.#stores.sessions.storeSession(remote, bytes)
    this.#cache.put(key, record, bytes)
  }
}

interface Candidate {
  state: SessionState
  /** undefined for the current state, else its index in the archive. */
  archivedIndex: number | undefined
}

function candidatesOf(record: SessionRecord): Candidate[] {
  const out: Candidate[] = []
  if (record.current !== undefined) {
    out.push({ state: record.current, archivedIndex: undefined })
  }
  record.archived.forEach((state, archivedIndex) => {
    out.push({ state, archivedIndex })
  })
  return out
}

/** The state that decrypted becomes (or stays) current. */
function adopt(record: SessionRecord, state: SessionState, archivedIndex: number | undefined): void {
  if (archivedIndex === undefined) {
    record.current = state
  } else {
    promote(record, state, archivedIndex)
  }
}
