/**
 * Proof of mailbox ownership, and the relay challenges that make proofs single-use. Owns the mailbox
 * ID derivation (SHA-256 of the mailbox public key and the relay's PeerId, so one device's mailboxes on
 * two relays cannot be linked), the exact bytes a client signs, and the nonce book a server keeps per
 * connection. Keys are libp2p Ed25519 keys; a mailbox key is used for nothing else.
 *
 * Signed payload (`challengePayload`), every variable-length part prefixed with its u32 length (a
 * pre-key upload body, one of the parts, runs past 64 KiB):
 *   context || len(relay PeerId) relay PeerId || parts... || len(client PeerId) client PeerId
 * For a mailbox fetch the parts are the mailbox ID (32 bytes) and the relay nonce (32 bytes), so a
 * signature answers one nonce, from one relay, for one mailbox, to one client connection's peer.
 */

import { KEY_BYTES, NONCE_BYTES } from '@ferry/wire'
import { publicKeyFromRaw } from '@libp2p/crypto/keys'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import { InvalidKeyError } from '../errors.js'

const encoder = new TextEncoder()

/** Domain separation of mailbox-fetch signatures. */
export const MAILBOX_AUTH_CONTEXT = encoder.encode('ferry/mailbox-auth/v1\0')
/** Domain separation of pre-key upload signatures. */
export const PREKEY_UPLOAD_CONTEXT = encoder.encode('ferry/prekey-upload/v1\0')

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0
  for (const part of parts) {
    length += part.byteLength
  }
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array[] {
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, bytes.byteLength)
  return [length, bytes]
}

/** Raw 32-byte Ed25519 public key of a mailbox key, refusing any other key type. */
export function mailboxPublicKey(key: PrivateKey): Uint8Array {
  if (key.type !== 'Ed25519') {
    throw new InvalidKeyError(`a mailbox key must be Ed25519, not ${key.type}`)
  }
  return key.publicKey.raw
}

/** The mailbox ID of a mailbox public key (raw Ed25519, 32 bytes) on one relay. */
export async function mailboxIdFor(publicKey: Uint8Array, relay: PeerId): Promise<Uint8Array> {
  if (publicKey.byteLength !== KEY_BYTES) {
    throw new InvalidKeyError(`a mailbox public key has ${KEY_BYTES} bytes`)
  }
  const input = concat([publicKey, relay.toMultihash().bytes])
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', input))
}

/** The bytes signed to answer a relay challenge (see the module comment). */
export function challengePayload(
  context: Uint8Array,
  relay: PeerId,
  parts: Uint8Array[],
  client: PeerId,
): Uint8Array {
  return concat([
    context,
    ...lengthPrefixed(relay.toMultihash().bytes),
    ...parts.flatMap(lengthPrefixed),
    ...lengthPrefixed(client.toMultihash().bytes),
  ])
}

/** The bytes a device signs to open a fetch session on `mailboxId`. */
export function mailboxAuthPayload(
  relay: PeerId,
  mailboxId: Uint8Array,
  nonce: Uint8Array,
  client: PeerId,
): Uint8Array {
  return challengePayload(MAILBOX_AUTH_CONTEXT, relay, [mailboxId, nonce], client)
}

/** Verifies an Ed25519 signature by a raw public key; false (never a throw) for any malformed input. */
export async function verifyEd25519(
  publicKey: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (publicKey.byteLength !== KEY_BYTES) {
    return false
  }
  try {
    const key = publicKeyFromRaw(publicKey)
    if (key.type !== 'Ed25519') {
      return false
    }
    return await key.verify(data, signature)
  } catch {
    return false
  }
}

export interface ChallengeBookInit {
  ttlMs: number
  maxPerConnection: number
  now: () => number
  randomBytes: (length: number) => Uint8Array
}

interface Issued {
  scope: string
  expiresAt: number
}

function hex(bytes: Uint8Array): string {
  let out = ''
  for (const byte of bytes) {
    out += byte.toString(16).padStart(2, '0')
  }
  return out
}

/**
 * Nonces issued per connection, each for one scope (a mailbox ID, or a purpose). A nonce is consumed
 * by its first use, whatever the outcome, and is valid only on the connection it was issued to.
 */
export class ChallengeBook {
  readonly #init: ChallengeBookInit
  readonly #byConnection = new Map<string, Map<string, Issued>>()

  constructor(init: ChallengeBookInit) {
    this.#init = init
  }

  /** Issues a fresh nonce for `scope` on `connectionId`. The oldest outstanding one may be dropped. */
  issue(connectionId: string, scope: Uint8Array): Uint8Array {
    const nonce = this.#init.randomBytes(NONCE_BYTES)
    let issued = this.#byConnection.get(connectionId)
    if (issued === undefined) {
      issued = new Map()
      this.#byConnection.set(connectionId, issued)
    }
    while (issued.size >= this.#init.maxPerConnection) {
      const oldest = issued.keys().next()
      if (oldest.done === true) {
        break
      }
      issued.delete(oldest.value)
    }
    issued.set(hex(nonce), { scope: hex(scope), expiresAt: this.#init.now() + this.#init.ttlMs })
    return nonce
  }

  /**
   * Consumes `nonce` on `connectionId`: true when it was issued there, for `scope`, and has not
   * expired. A nonce is removed by any attempt, so a second use always fails.
   */
  take(connectionId: string, nonce: Uint8Array, scope: Uint8Array): boolean {
    const issued = this.#byConnection.get(connectionId)
    if (issued === undefined) {
      return false
    }
    const key = hex(nonce)
    const entry = issued.get(key)
    if (entry === undefined) {
      return false
    }
    issued.delete(key)
    if (issued.size === 0) {
      this.#byConnection.delete(connectionId)
    }
    return entry.scope === hex(scope) && this.#init.now() < entry.expiresAt
  }

  /** Drops every nonce of a closed connection. */
  forget(connectionId: string): void {
    this.#byConnection.delete(connectionId)
  }

  /** Connections with outstanding nonces. */
  get connections(): number {
    return this.#byConnection.size
  }
}
