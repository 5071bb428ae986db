/**
 * The Double Ratchet (Signal's specification) over one session state: the root chain, the sending
 * chain, the receiving chains, and the keys kept for skipped messages.
 *
 * Owns: KDF_RK, KDF_CK, the DH ratchet step, per-message encryption with AES-256-GCM (the framed
 * header exactly as sent is part of the associated data, with both identity keys), skipped-key
 * bookkeeping and its bounds.
 * Must not know: pre-keys, stores, sessions of other devices, or how a state is archived. Decryption
 * works on a scratch copy and changes the caller's state only when the message decrypts.
 *
 * A state owns its arrays: every array that comes from outside (a caller's keys, a received message)
 * is copied before a state keeps it, and arrays are replaced, never written into. Session records are
 * cached between operations (session-record-cache.ts), so a caller reusing its buffers must not be
 * able to change a state.
 *
 * Message keys: KDF_CK gives a 32-byte message key used directly as the AES-256-GCM key (it is a PRF
 * output used once, for one purpose). Every message carries a fresh random 96-bit nonce in front of
 * its ciphertext: if a device is restored from an old backup and re-derives a message key it has used
 * before, the nonce still differs, so GCM's key/nonce uniqueness holds even then.
 */
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, RatchetHeader, RatchetMessage } from '@ferry/wire'
import { concat, constantTimeEqual, utf8 } from './bytes.js'
import { MAX_FORWARD_JUMP, MAX_RECEIVING_CHAINS, MAX_SKIPPED_KEYS } from './constants.js'
import { CryptoError, DuplicateMessageError, InvalidMessageError, MessageTooFarAheadError } from './errors.js'
import type { ChainState, SessionState } from './proto/session-state.js'
import type { CryptoProvider } from './provider/types.js'
import { assertX25519PublicKey } from './records/keys.js'

const ROOT_INFO = utf8('ferry/ratchet/v1/root')
const AD_CONTEXT = utf8('ferry/ratchet/v1/ad')
const MESSAGE_KEY_SEED = new Uint8Array([0x01])
const CHAIN_KEY_SEED = new Uint8Array([0x02])

/** Counters are uint32 on the wire; a chain never reaches this in practice, but must not wrap. */
const MAX_CHAIN_INDEX = 0xffff_ffff

/** KDF_RK: HKDF with the root key as salt and the DH output as input; 64 bytes split in two. */
export async function kdfRoot(
  provider: CryptoProvider,
  rootKey: Uint8Array,
  dhOutput: Uint8Array,
): Promise<{ rootKey: Uint8Array; chainKey: Uint8Array }> {
  const out = await provider.hkdfSha256(dhOutput, rootKey, ROOT_INFO, 64)
  return { rootKey: out.slice(0, 32), chainKey: out.slice(32, 64) }
}

/** KDF_CK: the message key and the next chain key, each an HMAC of the chain key (as in Signal). */
export async function kdfChain(
  provider: CryptoProvider,
  chainKey: Uint8Array,
): Promise<{ messageKey: Uint8Array; nextChainKey: Uint8Array }> {
  const messageKey = await provider.hmacSha256(chainKey, MESSAGE_KEY_SEED)
  const nextChainKey = await provider.hmacSha256(chainKey, CHAIN_KEY_SEED)
  return { messageKey, nextChainKey }
}

function associatedData(
  senderIdentity: Uint8Array,
  receiverIdentity: Uint8Array,
  header: Uint8Array,
): Uint8Array {
  return concat(AD_CONTEXT, senderIdentity, receiverIdentity, header)
}

export interface InitiatorInit {
  /** SK from PQXDH. */
  sharedSecret: Uint8Array
  /** The responder's signed pre-key: its first ratchet public key. */
  remoteRatchetKey: Uint8Array
  localIdentityKey: Uint8Array
  remoteIdentityKey: Uint8Array
  baseKey: Uint8Array
  pendingPreKey: SessionState['pendingPreKey']
  now: number
}

/** The initiator's state (Alice): a sending chain at once, no receiving chain until Bob answers. */
export async function initInitiator(provider: CryptoProvider, init: InitiatorInit): Promise<SessionState> {
  const ratchet = await provider.x25519Keygen()
  const dh = await provider.x25519(ratchet.secretKey, init.remoteRatchetKey)
  const { rootKey, chainKey } = await kdfRoot(provider, init.sharedSecret, dh)
  const pending = init.pendingPreKey
  return {
    localIdentityKey: init.localIdentityKey.slice(),
    remoteIdentityKey: init.remoteIdentityKey.slice(),
    rootKey,
    sendingRatchetPublic: ratchet.publicKey,
    sendingRatchetSecret: ratchet.secretKey,
    sendingChain: { key: chainKey, index: 0 },
    previousCounter: 0,
    receivingChains: [],
    skippedKeys: [],
    pendingPreKey:
      pending === undefined
        ? undefined
        : { ...pending, baseKey: pending.baseKey.slice(), kemCiphertext: pending.kemCiphertext.slice() },
    baseKey: init.baseKey.slice(),
    createdAt: init.now,
  }
}

export interface ResponderInit {
  sharedSecret: Uint8Array
  /** The signed pre-key pair the initiator used: the responder's first ratchet key pair. */
  ratchetKeyPair: { publicKey: Uint8Array; secretKey: Uint8Array }
  localIdentityKey: Uint8Array
  remoteIdentityKey: Uint8Array
  baseKey: Uint8Array
  now: number
}

/**
 * The responder's state (Bob) before its first message is decrypted: the root key is SK and the
 * ratchet key pair is the signed pre-key; the first decrypt performs the first DH ratchet step.
 *
 * The signed pre-key pair is used as it is, not copied: a responder state only lives on once its first
 * message has decrypted, and that first decrypt is always a DH ratchet step, which replaces the pair
 * with a fresh one. (Not copying the secret keeps the provider's remembered private key for it.)
 */
export function initResponder(init: ResponderInit): SessionState {
  return {
    localIdentityKey: init.localIdentityKey.slice(),
    remoteIdentityKey: init.remoteIdentityKey.slice(),
    rootKey: init.sharedSecret,
    sendingRatchetPublic: init.ratchetKeyPair.publicKey,
    sendingRatchetSecret: init.ratchetKeyPair.secretKey,
    sendingChain: undefined,
    previousCounter: 0,
    receivingChains: [],
    skippedKeys: [],
    pendingPreKey: undefined,
    baseKey: init.baseKey.slice(),
    createdAt: init.now,
  }
}

/**
 * Encrypts one message and advances the sending chain of `state` (only once it has succeeded). Returns the framed
 * RatchetMessage.
 */
export async function ratchetEncrypt(
  provider: CryptoProvider,
  state: SessionState,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  // the sending half of the last DH ratchet step, if it is still owed (see sendingStep)
  const step = state.sendingChain === undefined ? await sendingStep(provider, state) : undefined
  const chain = step?.chain ?? state.sendingChain
  if (chain === undefined || chain.key.byteLength === 0) {
    throw new InvalidMessageError('session has no sending chain yet')
  }
  if (chain.index >= MAX_CHAIN_INDEX) {
    throw new CryptoError('sending chain exhausted: the session must be renewed')
  }
  const { messageKey, nextChainKey } = await kdfChain(provider, chain.key)
  const header = RatchetHeader.encode({
    ratchetKey: step?.publicKey ?? state.sendingRatchetPublic,
    counter: chain.index,
    previousCounter: state.previousCounter,
  })
  const nonce = provider.randomBytes(AEAD_NONCE_BYTES)
  const sealed = await provider.aesGcmEncrypt(
    messageKey,
    nonce,
    plaintext,
    associatedData(state.localIdentityKey, state.remoteIdentityKey, header),
  )
  if (step !== undefined) {
    applySendingStep(state, step)
  }
  state.sendingChain = { key: nextChainKey, index: chain.index + 1 }
  return RatchetMessage.encode({ header, ciphertext: concat(nonce, sealed) })
}

export interface RatchetDecryptResult {
  plaintext: Uint8Array
  /** Skipped-message keys evicted by this decrypt: those messages can no longer be read. */
  lost: number
}

/**
 * Decrypts a framed RatchetMessage with `state`, which changes only if the message decrypts.
 * Limits are checked before any key is derived. Throws DuplicateMessageError for a counter already
 * used on a known chain, MessageTooFarAheadError past MAX_FORWARD_JUMP, AuthenticationError when the
 * tag fails, and WireError subclasses for malformed input.
 */
export async function ratchetDecrypt(
  provider: CryptoProvider,
  state: SessionState,
  message: Uint8Array,
): Promise<RatchetDecryptResult> {
  // all work happens on a shallow copy; `state` changes only once the message has decrypted
  const next = scratchCopy(state)
  const result = await decryptInto(provider, next, message)
  Object.assign(state, next)
  return result
}

async function decryptInto(
  provider: CryptoProvider,
  state: SessionState,
  message: Uint8Array,
): Promise<RatchetDecryptResult> {
  const { header: headerBytes, ciphertext } = RatchetMessage.decode(message)
  const header = RatchetHeader.decode(headerBytes)
  if (ciphertext.byteLength < AEAD_NONCE_BYTES + AEAD_TAG_BYTES) {
    throw new InvalidMessageError('ratchet ciphertext shorter than its nonce and tag')
  }
  const ad = associatedData(state.remoteIdentityKey, state.localIdentityKey, headerBytes)
  const open = (messageKey: Uint8Array): Promise<Uint8Array> =>
    provider.aesGcmDecrypt(
      messageKey,
      ciphertext.subarray(0, AEAD_NONCE_BYTES),
      ciphertext.subarray(AEAD_NONCE_BYTES),
      ad,
    )

  // 1. a message that was skipped earlier
  const skippedAt = state.skippedKeys.findIndex(
    (k) => k.index === header.counter && constantTimeEqual(k.ratchetKey, header.ratchetKey),
  )
  if (skippedAt >= 0) {
    const plaintext = await open(state.skippedKeys[skippedAt]!.messageKey)
    state.skippedKeys.splice(skippedAt, 1)
    state.pendingPreKey = undefined
    return { plaintext, lost: 0 }
  }

  let lost = 0
  const known = state.receivingChains.find((c) => constantTimeEqual(c.ratchetKey, header.ratchetKey))
  // the state keeps its own copy of a new ratchet key, never a view into the caller's message
  let ratchetKey: Uint8Array
  let chain = known?.chain
  if (known !== undefined && chain !== undefined) {
    // 2. a known chain
    ratchetKey = known.ratchetKey
    if (header.counter < chain.index) {
      throw new DuplicateMessageError('message counter already used on this chain')
    }
    checkJump(header.counter - chain.index, 'message counter')
  } else {
    // 3. a new ratchet key: check every bound before deriving anything
    assertX25519PublicKey(header.ratchetKey, 'ratchet key')
    const previous = state.receivingChains[0]?.chain
    if (previous !== undefined && header.previousCounter > previous.index) {
      checkJump(header.previousCounter - previous.index, 'previous chain length')
    }
    checkJump(header.counter, 'message counter')
    // (skipTo is only awaited when there is something to skip: most messages skip nothing)
    if (previous !== undefined && header.previousCounter > previous.index) {
      lost += await skipTo(
        provider,
        state,
        state.receivingChains[0]!.ratchetKey,
        previous,
        header.previousCounter,
      )
    }
    ratchetKey = header.ratchetKey.slice()
    // a sending half still owed from the previous step is taken first, so that this step works on the
    // state an eager ratchet would hold (a well-behaved peer sends a new ratchet key only after reading
    // one of ours, so a message reaching this point with the half owed is one that will fail its tag)
    const owed = state.sendingChain === undefined ? await sendingStep(provider, state) : undefined
    if (owed !== undefined) {
      applySendingStep(state, owed)
    }
    chain = await dhRatchetStep(provider, state, ratchetKey)
  }

  if (header.counter > chain.index) {
    lost += await skipTo(provider, state, ratchetKey, chain, header.counter)
  }
  const { messageKey, nextChainKey } = await kdfChain(provider, chain.key)
  const plaintext = await open(messageKey)
  chain.key = nextChainKey
  chain.index = header.counter + 1
  state.pendingPreKey = undefined
  return { plaintext, lost }
}

/**
 * A copy deep enough for decryptInto: it replaces byte arrays and objects rather than writing into
 * them, except for the chain objects and the two arrays, which are copied here.
 */
function scratchCopy(state: SessionState): SessionState {
  return {
    ...state,
    sendingChain: state.sendingChain === undefined ? undefined : { ...state.sendingChain },
    receivingChains: state.receivingChains.map((c) => ({
      ratchetKey: c.ratchetKey,
      chain: c.chain === undefined ? undefined : { ...c.chain },
    })),
    skippedKeys: state.skippedKeys.slice(),
  }
}

function checkJump(jump: number, what: string): void {
  if (jump > MAX_FORWARD_JUMP) {
    throw new MessageTooFarAheadError(`${what} is ${jump} ahead; the limit is ${MAX_FORWARD_JUMP}`)
  }
}

/** Derives and keeps the keys of messages `chain.index .. until-1`; returns how many old keys were evicted. */
async function skipTo(
  provider: CryptoProvider,
  state: SessionState,
  ratchetKey: Uint8Array,
  chain: ChainState,
  until: number,
): Promise<number> {
  if (until <= chain.index) {
    return 0
  }
  for (let index = chain.index; index < until; index++) {
    const { messageKey, nextChainKey } = await kdfChain(provider, chain.key)
    state.skippedKeys.push({ ratchetKey, index, messageKey })
    chain.key = nextChainKey
  }
  chain.index = until
  const excess = state.skippedKeys.length - MAX_SKIPPED_KEYS
  if (excess > 0) {
    state.skippedKeys.splice(0, excess)
    return excess
  }
  return 0
}

/**
 * The DH ratchet step on receiving a new ratchet key, receiving half: the new receiving chain, which
 * it returns. The sending half (a fresh ratchet key pair and the next root key) is owed until this
 * side next sends (sendingStep): a device that only reads messages pays no key generation and one DH
 * less per step, and its state holds the root key and the peer's public ratchet key meanwhile, no
 * sending chain key. The messages on the wire are those of the eager step the specification writes
 * out: the owed half runs before the first encryption, and before any later receiving step.
 */
async function dhRatchetStep(
  provider: CryptoProvider,
  state: SessionState,
  remoteRatchetKey: Uint8Array,
): Promise<ChainState> {
  state.previousCounter = state.sendingChain?.index ?? 0
  const receiving = await kdfRoot(
    provider,
    state.rootKey,
    await provider.x25519(state.sendingRatchetSecret, remoteRatchetKey),
  )
  const chain: ChainState = { key: receiving.chainKey, index: 0 }
  state.receivingChains = [{ ratchetKey: remoteRatchetKey, chain }, ...state.receivingChains].slice(
    0,
    MAX_RECEIVING_CHAINS,
  )
  state.rootKey = receiving.rootKey
  // the used ratchet key pair is dropped (it is replaced, never wiped: a responder's first pair is
  // the signed pre-key, which the pre-key store still holds)
  state.sendingRatchetPublic = NO_KEY
  state.sendingRatchetSecret = NO_KEY
  state.sendingChain = undefined
  return chain
}

interface SendingStep {
  readonly rootKey: Uint8Array
  readonly publicKey: Uint8Array
  readonly secretKey: Uint8Array
  readonly chain: ChainState
}

const NO_KEY = new Uint8Array(0)

/**
 * The owed sending half of the last DH ratchet step, computed without changing `state`; undefined
 * when nothing is owed (a responder that has not received yet has no step to finish).
 */
async function sendingStep(provider: CryptoProvider, state: SessionState): Promise<SendingStep | undefined> {
  const remote = state.receivingChains[0]
  if (remote === undefined) {
    return undefined
  }
  const next = await provider.x25519Keygen()
  const sending = await kdfRoot(
    provider,
    state.rootKey,
    await provider.x25519(next.secretKey, remote.ratchetKey),
  )
  return {
    rootKey: sending.rootKey,
    publicKey: next.publicKey,
    secretKey: next.secretKey,
    chain: { key: sending.chainKey, index: 0 },
  }
}

function applySendingStep(state: SessionState, step: SendingStep): void {
  state.rootKey = step.rootKey
  state.sendingRatchetPublic = step.publicKey
  state.sendingRatchetSecret = step.secretKey
  state.sendingChain = step.chain
}
