/**
 * Sender-key state: the stored record of the chains one device holds for one (sender device,
 * distribution ID), and the chain arithmetic (Signal's sender-key chain: message-key seed =
 * HMAC(chainKey, 0x01), next chain key = HMAC(chainKey, 0x02)). This module knows nothing of stores,
 * locking or wire messages; `sender-keys.ts` drives it.
 *
 * A record decoded from the store is a private working copy: callers mutate it and store it again only
 * when the whole operation succeeded.
 */
import { KEY_BYTES } from '@ferry/wire'
import { utf8 } from './bytes.js'
import {
  MAX_SENDER_KEY_FORWARD_JUMP,
  MAX_SENDER_KEY_SKIPPED,
  MAX_SENDER_KEY_STATES,
  SENDER_KEY_RECORD_VERSION,
} from './constants.js'
import { InvalidRecordError, MessageTooFarAheadError } from './errors.js'
import { StoredSenderKeyRecord } from './proto/sender-key-state.js'
import type { CryptoProvider } from './provider/types.js'
import { Secret } from './secret.js'

/** AES-256-GCM key and nonce of one group message, both from HKDF of the message-key seed. */
const MESSAGE_KEYS_INFO = utf8('ferry/sender-key/v1/message-keys')
const AES_KEY_BYTES = 32
const NONCE_BYTES = 12
const SEED_INPUT = Uint8Array.of(0x01)
const CHAIN_INPUT = Uint8Array.of(0x02)

export interface SkippedMessageKey {
  readonly iteration: number
  readonly seed: Secret
}

/** One chain: receiving (public signing key only) or this device's own sending chain. */
export interface SenderChainState {
  readonly chainId: number
  /** Iteration of `chainKey`: the next message key this chain yields. */
  iteration: number
  chainKey: Secret
  readonly signingPublicKey: Uint8Array
  /** Present only on the sender's own sending chain. */
  readonly signingSecretKey?: Secret
  /** Seeds of iterations skipped over, oldest first, at most MAX_SENDER_KEY_SKIPPED. */
  skipped: SkippedMessageKey[]
}

/** The chains held for one (sender device, distribution ID), newest first. */
export interface SenderKeyRecord {
  states: SenderChainState[]
}

export function emptySenderKeyRecord(): SenderKeyRecord {
  return { states: [] }
}

// ------------------------------------------------------------------------------ stored format

/** Decodes a stored record. Anything unreadable or inconsistent is an InvalidRecordError. */
export function decodeSenderKeyRecord(bytes: Uint8Array): SenderKeyRecord {
  let stored: StoredSenderKeyRecord
  try {
    stored = StoredSenderKeyRecord.decode(bytes, {
      limits: { states: MAX_SENDER_KEY_STATES, states$: { skipped: MAX_SENDER_KEY_SKIPPED } },
    })
  } catch {
    throw new InvalidRecordError('sender-key record: unreadable')
  }
  if (stored.version !== SENDER_KEY_RECORD_VERSION) {
    throw new InvalidRecordError(`sender-key record: unknown version ${stored.version}`)
  }
  const record: SenderKeyRecord = {
    states: stored.states.map((s) => ({
      chainId: s.chainId,
      iteration: s.iteration,
      chainKey: new Secret(s.chainKey),
      signingPublicKey: s.signingPublicKey,
      ...(s.signingSecretKey === undefined ? {} : { signingSecretKey: new Secret(s.signingSecretKey) }),
      skipped: s.skipped.map((k) => ({ iteration: k.iteration, seed: new Secret(k.seed) })),
    })),
  }
  checkRecord(record)
  return record
}

export function encodeSenderKeyRecord(record: SenderKeyRecord): Uint8Array {
  checkRecord(record)
  return StoredSenderKeyRecord.encode({
    version: SENDER_KEY_RECORD_VERSION,
    states: record.states.map((s) => ({
      chainId: s.chainId,
      iteration: s.iteration,
      chainKey: s.chainKey.bytes,
      signingPublicKey: s.signingPublicKey,
      ...(s.signingSecretKey === undefined ? {} : { signingSecretKey: s.signingSecretKey.bytes }),
      skipped: s.skipped.map((k) => ({ iteration: k.iteration, seed: k.seed.bytes })),
    })),
  })
}

/** The invariants every stored record keeps; a record breaking one was corrupted or forged. */
function checkRecord(record: SenderKeyRecord): void {
  const bad = (why: string): never => {
    throw new InvalidRecordError(`sender-key record: ${why}`)
  }
  if (record.states.length > MAX_SENDER_KEY_STATES) {
    bad('too many chain states')
  }
  const chainIds = new Set<number>()
  let sending = 0
  for (const s of record.states) {
    if (chainIds.has(s.chainId)) {
      bad('duplicate chain ID')
    }
    chainIds.add(s.chainId)
    if (!isUint32(s.chainId) || !isUint32(s.iteration)) {
      bad('chain ID or iteration out of range')
    }
    if (s.chainKey.byteLength !== KEY_BYTES || s.signingPublicKey.byteLength !== KEY_BYTES) {
      bad('wrong key length')
    }
    if (s.signingSecretKey !== undefined) {
      sending++
      if (s.signingSecretKey.byteLength !== KEY_BYTES || s.skipped.length > 0) {
        bad('malformed sending chain')
      }
    }
    if (s.skipped.length > MAX_SENDER_KEY_SKIPPED) {
      bad('too many skipped message keys')
    }
    let previous = -1
    for (const k of s.skipped) {
      if (!isUint32(k.iteration) || k.iteration <= previous || k.iteration >= s.iteration) {
        bad('skipped message keys out of order')
      }
      if (k.seed.byteLength !== KEY_BYTES) {
        bad('wrong seed length')
      }
      previous = k.iteration
    }
  }
  if (sending > 1) {
    bad('more than one sending chain')
  }
}

function isUint32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff
}

// ------------------------------------------------------------------------------ record helpers

/** This device's own sending chain in the record, if any. */
export function sendingState(record: SenderKeyRecord): SenderChainState | undefined {
  return record.states.find((s) => s.signingSecretKey !== undefined)
}

export function stateForChain(record: SenderKeyRecord, chainId: number): SenderChainState | undefined {
  return record.states.find((s) => s.chainId === chainId)
}

/** Puts `state` first (newest) and drops the oldest states past MAX_SENDER_KEY_STATES. */
export function addState(record: SenderKeyRecord, state: SenderChainState): void {
  record.states = [state, ...record.states.filter((s) => s.chainId !== state.chainId)].slice(
    0,
    MAX_SENDER_KEY_STATES,
  )
}

// ------------------------------------------------------------------------------ chain arithmetic

/** The AES-256-GCM key and nonce of one message, from its seed. */
export interface MessageKeys {
  readonly key: Secret
  readonly nonce: Uint8Array
}

export async function messageKeySeed(provider: CryptoProvider, chainKey: Secret): Promise<Secret> {
  return new Secret(await provider.hmacSha256(chainKey.bytes, SEED_INPUT))
}

export async function nextChainKey(provider: CryptoProvider, chainKey: Secret): Promise<Secret> {
  return new Secret(await provider.hmacSha256(chainKey.bytes, CHAIN_INPUT))
}

export async function deriveMessageKeys(provider: CryptoProvider, seed: Secret): Promise<MessageKeys> {
  const okm = await provider.hkdfSha256(
    seed.bytes,
    new Uint8Array(0),
    MESSAGE_KEYS_INFO,
    AES_KEY_BYTES + NONCE_BYTES,
  )
  return { key: new Secret(okm.slice(0, AES_KEY_BYTES)), nonce: okm.slice(AES_KEY_BYTES) }
}

/**
 * The seed of the message at `iteration` on a receiving chain, updating `state` (a working copy) as
 * if that message decrypted: a stored skipped seed is taken out, or the chain moves forward past
 * `iteration`, keeping the seeds it skips (at most MAX_SENDER_KEY_SKIPPED, oldest dropped first).
 *
 * Returns undefined when `iteration` is behind the chain and no seed is stored for it (used before,
 * or dropped as too old). Throws MessageTooFarAheadError, before deriving anything, when `iteration`
 * is more than MAX_SENDER_KEY_FORWARD_JUMP past the chain.
 */
export async function takeMessageKeySeed(
  provider: CryptoProvider,
  state: SenderChainState,
  iteration: number,
): Promise<Secret | undefined> {
  if (iteration < state.iteration) {
    const index = state.skipped.findIndex((k) => k.iteration === iteration)
    const found = state.skipped[index]
    if (found === undefined) {
      return undefined
    }
    state.skipped.splice(index, 1)
    return found.seed
  }
  if (iteration - state.iteration > MAX_SENDER_KEY_FORWARD_JUMP) {
    throw new MessageTooFarAheadError(
      `sender-key message is ${iteration - state.iteration} iterations ahead; the limit is ${MAX_SENDER_KEY_FORWARD_JUMP}`,
    )
  }
  // Seeds that would be dropped at once as the oldest are never derived.
  const keepFrom = iteration - MAX_SENDER_KEY_SKIPPED
  let chainKey = state.chainKey
  const skipped: SkippedMessageKey[] = []
  for (let i = state.iteration; i < iteration; i++) {
    if (i >= keepFrom) {
      skipped.push({ iteration: i, seed: await messageKeySeed(provider, chainKey) })
    }
    chainKey = await nextChainKey(provider, chainKey)
  }
  const seed = await messageKeySeed(provider, chainKey)
  state.chainKey = await nextChainKey(provider, chainKey)
  state.iteration = iteration + 1
  state.skipped = [...state.skipped, ...skipped].slice(-MAX_SENDER_KEY_SKIPPED)
  return seed
}
