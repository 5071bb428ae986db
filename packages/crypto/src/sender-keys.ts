/**
 * Sender keys for groups (Signal's sender-key design, with Ed25519 signatures): each member device
 * holds, per group distribution ID, a sending chain and signing key of its own, hands the chain's
 * current key to the other members once over the pairwise sessions (a SenderKeyDistribution), and
 * then encrypts each group message once for everyone (a SenderKeyMessage).
 *
 * Owns: creating, distributing and rotating sending chains; encrypting and decrypting group
 * messages; the stored sender-key records (through `SenderKeyStore`). It does not know the
 * pairwise sessions that carry distributions, nor group membership: the caller rotates when a member
 * leaves and sends the new distribution to the remaining members.
 *
 * Every operation on one (sender device, distribution ID) runs under a lock, loads the record, works
 * on a copy and stores it only when the whole operation succeeded.
 *
 * @example
 * ```ts
 * const distribution = await createSenderKeyDistribution(ctx, aliceStore, alice, distributionId)
 * // ... sent to Bob over the pairwise session; on Bob's device:
 * await processSenderKeyDistribution(ctx, bobStore, alice, distribution)
 * const message = await groupEncrypt(ctx, aliceStore, alice, distributionId, paddedPlaintext)
 * const plaintext = await groupDecrypt(ctx, bobStore, alice, message)
 * ```
 */
import {
  ID_BYTES,
  KEY_BYTES,
  MAX_CONTENT_BYTES,
  SenderKeyDistribution,
  SenderKeyMessage,
  SenderKeyMessageBody,
} from '@ferry/wire'
import { concat, constantTimeEqual, toHex, u32be, utf8 } from './bytes.js'
import { MAX_SENDER_KEY_ITERATION } from './constants.js'
import {
  CryptoInputError,
  DuplicateMessageError,
  InvalidMessageError,
  InvalidRecordError,
  InvalidSignatureError,
  NoSenderKeyError,
} from './errors.js'
import { KeyedMutex } from './lock.js'
import { Secret } from './secret.js'
import {
  addState,
  decodeSenderKeyRecord,
  deriveMessageKeys,
  emptySenderKeyRecord,
  encodeSenderKeyRecord,
  messageKeySeed,
  nextChainKey,
  type SenderChainState,
  type SenderKeyRecord,
  sendingState,
  stateForChain,
  takeMessageKeySeed,
} from './sender-key-state.js'
import type { SenderKeyStore } from './stores.js'
import type { CryptoContext, DeviceAddress } from './types.js'
import { addressKey } from './types.js'

/** Context string of every sender-key message signature (domain separation from other signatures). */
const SIGNATURE_CONTEXT = utf8('ferry/sender-key-message/v1')
/** Prefix of the AEAD associated data of every group message. */
const AAD_CONTEXT = utf8('ferry/sender-key/v1/aad')

/** Chain IDs are at least 2^28: the largest protobuf varint width for a uint32 (5 bytes). */
const CHAIN_ID_FLOOR = 0x1000_0000

/** One lock table per store: two stores never share state, so they never need to wait for each other. */
const locks = new WeakMap<SenderKeyStore, KeyedMutex>()

function withLock<T>(
  store: SenderKeyStore,
  sender: DeviceAddress,
  distributionId: Uint8Array,
  operation: () => Promise<T>,
): Promise<T> {
  let mutex = locks.get(store)
  if (mutex === undefined) {
    mutex = new KeyedMutex()
    locks.set(store, mutex)
  }
  return mutex.run(`${addressKey(sender)}/${toHex(distributionId)}`, operation)
}

/**
 * This device's distribution for its own sending chain under `distributionId`, creating the chain
 * (random chain ID, fresh chain key and signing key) when none exists. The distribution carries the
 * chain's current iteration: whoever receives it reads messages from that point on, not before.
 */
export async function createSenderKeyDistribution(
  ctx: CryptoContext,
  store: SenderKeyStore,
  sender: DeviceAddress,
  distributionId: Uint8Array,
): Promise<Uint8Array> {
  checkAddress(sender)
  checkDistributionId(distributionId)
  return withLock(store, sender, distributionId, async () => {
    const record = await loadRecord(store, sender, distributionId)
    let state = sendingState(record)
    if (state === undefined) {
      state = await newSendingState(ctx, record)
      addState(record, state)
      await store.storeSenderKey(sender, distributionId, encodeSenderKeyRecord(record))
    }
    return distributionOf(distributionId, state)
  })
}

/**
 * Replaces this device's sending chain under `distributionId` with a new one (new chain ID, chain key
 * and signing key) and returns its distribution, for the members that remain after one left. The old
 * sending chain is dropped: nothing more is encrypted with it, and a removed member holding it reads
 * nothing sent from now on.
 */
export async function rotateSenderKey(
  ctx: CryptoContext,
  store: SenderKeyStore,
  sender: DeviceAddress,
  distributionId: Uint8Array,
): Promise<Uint8Array> {
  checkAddress(sender)
  checkDistributionId(distributionId)
  return withLock(store, sender, distributionId, async () => {
    const record = await loadRecord(store, sender, distributionId)
    record.states = record.states.filter((s) => s.signingSecretKey === undefined)
    const state = await newSendingState(ctx, record)
    addState(record, state)
    await store.storeSenderKey(sender, distributionId, encodeSenderKeyRecord(record))
    return distributionOf(distributionId, state)
  })
}

/**
 * Takes in a distribution received from `sender` (over a pairwise session, which authenticated the
 * sender). A new chain is added as the newest state (the oldest beyond MAX_SENDER_KEY_STATES is
 * dropped); a chain already held with the same signing key is left exactly as it is, so a duplicate
 * or an older distribution never rolls the chain back; a chain ID reused with a different signing key
 * replaces the old chain.
 */
export async function processSenderKeyDistribution(
  _ctx: CryptoContext,
  store: SenderKeyStore,
  sender: DeviceAddress,
  distribution: Uint8Array,
): Promise<void> {
  checkAddress(sender)
  const d = SenderKeyDistribution.decode(distribution)
  await withLock(store, sender, d.distributionId, async () => {
    const record = await loadRecord(store, sender, d.distributionId)
    if (sendingState(record) !== undefined) {
      throw new InvalidRecordError('sender-key distribution for a chain this device sends on')
    }
    const known = stateForChain(record, d.chainId)
    if (known !== undefined && constantTimeEqual(known.signingPublicKey, d.signingKey)) {
      return
    }
    addState(record, {
      chainId: d.chainId,
      iteration: d.iteration,
      chainKey: new Secret(d.chainKey.slice()),
      signingPublicKey: d.signingKey.slice(),
      skipped: [],
    })
    await store.storeSenderKey(sender, d.distributionId, encodeSenderKeyRecord(record))
  })
}

/**
 * Encrypts `plaintext` (already padded) once for every member holding this device's distribution.
 * Returns a framed SenderKeyMessage. Concurrent calls take distinct iterations.
 */
export async function groupEncrypt(
  ctx: CryptoContext,
  store: SenderKeyStore,
  sender: DeviceAddress,
  distributionId: Uint8Array,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  checkAddress(sender)
  checkDistributionId(distributionId)
  if (plaintext.byteLength > MAX_CONTENT_BYTES) {
    throw new CryptoInputError(
      `group plaintext of ${plaintext.byteLength} bytes exceeds ${MAX_CONTENT_BYTES}`,
    )
  }
  return withLock(store, sender, distributionId, async () => {
    const record = await loadRecord(store, sender, distributionId)
    const state = sendingState(record)
    if (state?.signingSecretKey === undefined) {
      throw new NoSenderKeyError('no sending chain for this distribution ID: create a distribution first')
    }
    if (state.iteration > MAX_SENDER_KEY_ITERATION) {
      throw new CryptoInputError('sending chain exhausted: rotate the sender key')
    }
    const { provider } = ctx
    const iteration = state.iteration
    const keys = await deriveMessageKeys(provider, await messageKeySeed(provider, state.chainKey))
    const ciphertext = await provider.aesGcmEncrypt(
      keys.key.bytes,
      keys.nonce,
      plaintext,
      associatedData(sender, distributionId, state.chainId, iteration),
    )
    const body = SenderKeyMessageBody.encode({
      distributionId,
      chainId: state.chainId,
      iteration,
      ciphertext,
    })
    const signature = await provider.ed25519Sign(
      state.signingSecretKey.bytes,
      concat(SIGNATURE_CONTEXT, body),
    )
    const message = SenderKeyMessage.encode({ body, signature })
    state.chainKey = await nextChainKey(provider, state.chainKey)
    state.iteration = iteration + 1
    await store.storeSenderKey(sender, distributionId, encodeSenderKeyRecord(record))
    return message
  })
}

/**
 * Decrypts a framed SenderKeyMessage from `sender`. Throws, leaving the stored record unchanged:
 * WireError subclasses for malformed bytes; NoSenderKeyError when no distribution for this sender,
 * distribution ID and chain is held (keep the message and retry once one arrives);
 * InvalidSignatureError; MessageTooFarAheadError (nothing derived); DuplicateMessageError for an
 * iteration already used (or whose key was dropped as too old, as libsignal also reports it);
 * AuthenticationError for a bad AEAD tag.
 */
export async function groupDecrypt(
  ctx: CryptoContext,
  store: SenderKeyStore,
  sender: DeviceAddress,
  message: Uint8Array,
): Promise<Uint8Array> {
  checkAddress(sender)
  const signed = SenderKeyMessage.decode(message)
  const body = SenderKeyMessageBody.decode(signed.body)
  return withLock(store, sender, body.distributionId, async () => {
    const stored = await store.loadSenderKey(sender, body.distributionId)
    if (stored === undefined) {
      throw new NoSenderKeyError('no sender key from this device for this distribution ID')
    }
    const record = decodeSenderKeyRecord(stored)
    const state = stateForChain(record, body.chainId)
    if (state === undefined) {
      throw new NoSenderKeyError('no sender key for this chain ID')
    }
    const { provider } = ctx
    const valid = await provider.ed25519Verify(
      state.signingPublicKey,
      concat(SIGNATURE_CONTEXT, signed.body),
      signed.signature,
    )
    if (!valid) {
      throw new InvalidSignatureError('sender-key message signature does not verify')
    }
    if (body.iteration > MAX_SENDER_KEY_ITERATION) {
      throw new InvalidMessageError('sender-key message iteration out of range')
    }
    const seed = await takeMessageKeySeed(provider, state, body.iteration)
    if (seed === undefined) {
      throw new DuplicateMessageError('sender-key message iteration already used')
    }
    const keys = await deriveMessageKeys(provider, seed)
    const plaintext = await provider.aesGcmDecrypt(
      keys.key.bytes,
      keys.nonce,
      body.ciphertext,
      associatedData(sender, body.distributionId, body.chainId, body.iteration),
    )
    await store.storeSenderKey(sender, body.distributionId, encodeSenderKeyRecord(record))
    return plaintext
  })
}

// ------------------------------------------------------------------------------ helpers

async function loadRecord(
  store: SenderKeyStore,
  sender: DeviceAddress,
  distributionId: Uint8Array,
): Promise<SenderKeyRecord> {
  const stored = await store.loadSenderKey(sender, distributionId)
  return stored === undefined ? emptySenderKeyRecord() : decodeSenderKeyRecord(stored)
}

async function newSendingState(ctx: CryptoContext, record: SenderKeyRecord): Promise<SenderChainState> {
  const { provider } = ctx
  let chainId: number
  do {
    // Top nibble forced non-zero: every chain ID is a 5-byte varint, so a message's length never
    // tells one sender's chain from another's.
    const random = provider.randomBytes(4)
    chainId = (new DataView(random.buffer, random.byteOffset, 4).getUint32(0) | CHAIN_ID_FLOOR) >>> 0
  } while (stateForChain(record, chainId) !== undefined)
  const signing = await provider.ed25519Keygen()
  return {
    chainId,
    iteration: 0,
    chainKey: new Secret(provider.randomBytes(KEY_BYTES)),
    signingPublicKey: signing.publicKey,
    signingSecretKey: new Secret(signing.secretKey),
    skipped: [],
  }
}

function distributionOf(distributionId: Uint8Array, state: SenderChainState): Uint8Array {
  return SenderKeyDistribution.encode({
    distributionId,
    chainId: state.chainId,
    iteration: state.iteration,
    chainKey: state.chainKey.bytes,
    signingKey: state.signingPublicKey,
  })
}

/** Binds the distribution ID, chain ID, iteration and sender device; every part has a fixed length. */
function associatedData(
  sender: DeviceAddress,
  distributionId: Uint8Array,
  chainId: number,
  iteration: number,
): Uint8Array {
  return concat(
    AAD_CONTEXT,
    distributionId,
    u32be(chainId),
    u32be(iteration),
    sender.accountKey,
    u32be(sender.deviceId),
  )
}

function checkAddress(sender: DeviceAddress): void {
  if (sender.accountKey.byteLength !== KEY_BYTES) {
    throw new CryptoInputError(`sender account key must be ${KEY_BYTES} bytes`)
  }
  if (!Number.isInteger(sender.deviceId) || sender.deviceId < 1 || sender.deviceId > 0xffff_ffff) {
    throw new CryptoInputError('sender device ID must be a positive uint32')
  }
}

function checkDistributionId(distributionId: Uint8Array): void {
  if (distributionId.byteLength !== ID_BYTES) {
    throw new CryptoInputError(`distribution ID must be ${ID_BYTES} bytes`)
  }
}
