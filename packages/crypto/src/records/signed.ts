/**
 * The envelope of every signed public record: a framed `Signed { body, signature }` whose Ed25519
 * signature covers the record kind's context string followed by `body` exactly as received. This
 * module signs and checks that envelope; it does not know what the bodies mean.
 */
import { Signed } from '@ferry/wire'
import { concat, utf8 } from '../bytes.js'
import { InvalidSignatureError } from '../errors.js'
import type { CryptoProvider } from '../provider/types.js'
import { SignatureContext } from './constants.js'
import { assertEd25519PublicKey } from './keys.js'

export { SignatureContext }

const CONTEXT_BYTES = new Map<string, Uint8Array>(
  Object.values(SignatureContext).map((context) => [context, utf8(context)]),
)

/** The exact bytes an Ed25519 signature of a record covers: UTF-8 context, then the framed body. */
export function signedMessage(context: SignatureContext, body: Uint8Array): Uint8Array {
  const prefix = CONTEXT_BYTES.get(context)
  if (prefix === undefined) {
    // only reachable by bypassing the type: an unknown context must never sign or verify anything
    throw new InvalidSignatureError('unknown signature context')
  }
  return concat(prefix, body)
}

/**
 * Signs `body` (a framed *Body encoding) under `context` with an Ed25519 seed and returns the framed
 * `Signed` bytes. Wire encoding errors (a body over its size cap) are thrown as they are.
 */
export async function signRecord(
  provider: CryptoProvider,
  secretKey: Uint8Array,
  context: SignatureContext,
  body: Uint8Array,
): Promise<Uint8Array> {
  const signature = await provider.ed25519Sign(secretKey, signedMessage(context, body))
  return Signed.encode({ body: body.slice(), signature })
}

/** A decoded `Signed` envelope, before its signature is checked. */
export interface SignedEnvelope {
  readonly body: Uint8Array
  readonly signature: Uint8Array
}

/** Decodes a framed `Signed`. Throws the wire package's typed errors for malformed input. */
export function decodeSigned(bytes: Uint8Array): SignedEnvelope {
  return Signed.decode(bytes)
}

/**
 * Checks the signature of an already decoded envelope under `publicKey` (which must be a usable
 * Ed25519 key: InvalidKeyError otherwise). Throws InvalidSignatureError when it does not verify.
 */
export async function verifyEnvelope(
  provider: CryptoProvider,
  publicKey: Uint8Array,
  context: SignatureContext,
  envelope: SignedEnvelope,
): Promise<void> {
  assertEd25519PublicKey(publicKey, 'signer key')
  const ok = await provider.ed25519Verify(
    publicKey,
    signedMessage(context, envelope.body),
    envelope.signature,
  )
  if (!ok) {
    throw new InvalidSignatureError(`${context}: signature does not verify`)
  }
}

/**
 * Decodes framed `Signed` bytes, verifies the signature under `publicKey` and `context`, and returns
 * the body bytes (still framed: decode them with the body's codec only after this returns). Throws
 * InvalidSignatureError for a bad signature, InvalidKeyError for an unusable key, and the wire
 * package's typed errors, unchanged, for malformed bytes.
 */
export async function openSignedRecord(
  provider: CryptoProvider,
  publicKey: Uint8Array,
  context: SignatureContext,
  bytes: Uint8Array,
): Promise<Uint8Array> {
  const envelope = decodeSigned(bytes)
  await verifyEnvelope(provider, publicKey, context, envelope)
  return envelope.body
}
