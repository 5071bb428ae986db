/**
 * Pairwise sessions with remote devices: set-up from a verified pre-key bundle (PQXDH), encryption,
 * and decryption of PreKeyMessages and RatchetMessages, with Sesame's rules for several sessions per
 * device (a session that decrypts becomes current; archived sessions still read in-flight messages;
 * simultaneous initiation converges).
 *
 * Owns: the state machine around the ratchet, trust checks of identity keys, one-time pre-key
 * consumption, and transactional use of the stores (every operation loads a record, works on copies,
 * and writes only on success: a failed decrypt changes nothing and consumes no pre-key).
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
}

/** One mutex per session store, so every cipher over the same store serialises per remote device. */
const locks = new WeakMap<object, KeyedMutex>()
/** Lock key under which pre-key consumption is serialised (taken after a device's own lock). */
const PRE_KEY_LOCK = 'pre-keys'

export class SessionCipher {
  readonly #context: CryptoContext
  readonly #stores: SessionCipherInit['stores']
  readonly #local: LocalDevice
  readonly #mutex: KeyedMutex

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
  }

  /** Starts a new session with the device of `bundle` (PQXDH as initiator); it becomes current. */
  async initiate(bundle: VerifiedPreKeyBundle): Promise<void> {
    await this.#mutex.run(addressKey(bundle.address), async () => {
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
      const record = await this.#load(bundle.address)
      promote(record, state)
      await this.#save(bundle.address, record)
      await this.#stores.identities.saveIdentity(bundle.address, bundle.identityKey)
    })
  }

  /** Encrypts with the current session. Throws NoSessionError when there is none. */
  async encrypt(remote: DeviceAddress, plaintext: Uint8Array): Promise<SessionMessage> {
    return this.#mutex.run(addressKey(remote), async () => {
      const record = await this.#load(remote)
      if (record.current === undefined) {
        throw new NoSessionError('no session with this device')
      }
      await this.#checkTrusted(remote, record.current.remoteIdentityKey)
      // the record is a fresh decode: if encryption fails it is dropped, nothing is stored
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
      await this.#save(remote, record)
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
    return this.#mutex.run(addressKey(remote), async () =>
      message.type === 'PRE_KEY'
        ? this.#decryptPreKey(remote, message.body, options)
        : this.#decryptRatchet(remote, message.body, options),
    )
  }

  async hasSession(remote: DeviceAddress): Promise<boolean> {
    return (await this.#load(remote)).current !== undefined
  }

  /** The remote identity key of the current session, if any. */
  async remoteIdentityKey(remote: DeviceAddress): Promise<Uint8Array | undefined> {
    return (await this.#load(remote)).current?.remoteIdentityKey
  }

  /**
   * Archives the current session (a session reset): nothing new is encrypted with it, but in-flight
   * messages still decrypt. The next `initiate` starts afresh.
   */
  async archiveSession(remote: DeviceAddress): Promise<void> {
    await this.#mutex.run(addressKey(remote), async () => {
      const record = await this.#load(remote)
      archiveCurrent(record)
      await this.#save(remote, record)
    })
  }

  /** Forgets every session with the device (it was removed from its account). */
  async deleteSession(remote: DeviceAddress): Promise<void> {
    await this.#mutex.run(addressKey(remote), () => this.#stores.sessions.deleteSession(remote))
  }

  async #decryptRatchet(
    remote: DeviceAddress,
    body: Uint8Array,
    options: SessionDecryptOptions,
  ): Promise<SessionDecryptResult> {
    return this.#decryptExisting(
      remote,
      (state) =>
        options.identityKey === undefined || constantTimeEqual(state.remoteIdentityKey, options.identityKey),
      body,
    )
  }

  async #decryptPreKey(
    remote: DeviceAddress,
    body: Uint8Array,
    options: SessionDecryptOptions,
  ): Promise<SessionDecryptResult> {
    const message = PreKeyMessage.decode(body)
    if (options.identityKey !== undefined && !constantTimeEqual(message.identityKey, options.identityKey)) {
      throw new InvalidMessageError('the pre-key message names another identity than its sender certificate')
    }
    await this.#checkTrusted(remote, message.identityKey)
    const record = await this.#load(remote)

    // a repeat of the initial message of a session that already exists: decrypt within that session
    const ofThisSession = (state: SessionState): boolean =>
      constantTimeEqual(state.baseKey, message.baseKey) &&
      constantTimeEqual(state.remoteIdentityKey, message.identityKey)
    if (candidatesOf(record).some(({ state }) => ofThisSession(state))) {
      return this.#decryptExisting(remote, ofThisSession, message.message)
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
      await this.#save(remote, record)
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
   * Tries the existing states that `select` accepts, current first (a failed attempt leaves its state
   * untouched); the first that decrypts is adopted and stored.
   */
  async #decryptExisting(
    remote: DeviceAddress,
    select: (state: SessionState) => boolean,
    body: Uint8Array,
  ): Promise<SessionDecryptResult> {
    const record = await this.#load(remote)
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
      await this.#save(remote, record)
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

  async #load(remote: DeviceAddress): Promise<SessionRecord> {
    return decodeSessionRecord(await this.#stores.sessions.loadSession(remote))
  }

  async #save(remote: DeviceAddress, record: SessionRecord): Promise<void> {
    await this.#stores.sessions.storeSession(remote, encodeSessionRecord(record))
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
