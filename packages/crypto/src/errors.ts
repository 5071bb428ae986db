/**
 * Every error the crypto package throws. Callers branch on `err.name`.
 */

export class CryptoError extends Error {
  override readonly name: string = 'CryptoError'
}

/** A key is the wrong length, low-order, all-zero, or otherwise unusable. */
export class InvalidKeyError extends CryptoError {
  override readonly name: string = 'InvalidKeyError'
}

/** An input other than a key (nonce, length, ciphertext size) is out of range. */
export class CryptoInputError extends CryptoError {
  override readonly name: string = 'CryptoInputError'
}

/** An AEAD tag or a signature did not verify. Nothing was changed. */
export class AuthenticationError extends CryptoError {
  override readonly name: string = 'AuthenticationError'
}

/** A signature over a record (certificate, device list, pre-key, sender-key message) did not verify. */
export class InvalidSignatureError extends CryptoError {
  override readonly name: string = 'InvalidSignatureError'
}

/** A signed record is older than (or the same version as) one already accepted: a downgrade. */
export class StaleRecordError extends CryptoError {
  override readonly name: string = 'StaleRecordError'
}

/** A record or bundle is well-formed on the wire but inconsistent (wrong kind, wrong account, ...). */
export class InvalidRecordError extends CryptoError {
  override readonly name: string = 'InvalidRecordError'
}

/**
 * The identity key presented for a known device differs from the one accepted before. Nothing is
 * sent to or accepted from it until the user approves the new key.
 */
export class UntrustedIdentityError extends CryptoError {
  override readonly name: string = 'UntrustedIdentityError'
  constructor(
    message: string,
    readonly identityKey: Uint8Array,
  ) {
    super(message)
  }
}

/** This message was decrypted before. Session state is unchanged; the caller acks and drops it. */
export class DuplicateMessageError extends CryptoError {
  override readonly name: string = 'DuplicateMessageError'
}

/** No session (or no session matching the message) exists for the remote device. */
export class NoSessionError extends CryptoError {
  override readonly name: string = 'NoSessionError'
}

/** The message cannot be decrypted with any known state (bad tag, unknown ratchet, missing pre-key). */
export class InvalidMessageError extends CryptoError {
  override readonly name: string = 'InvalidMessageError'
}

/** A counter or iteration jumps further ahead than the named limit allows; no key was derived. */
export class MessageTooFarAheadError extends CryptoError {
  override readonly name: string = 'MessageTooFarAheadError'
}

/** No sender key is known for this group sender device (or chain): hold the message until one arrives. */
export class NoSenderKeyError extends CryptoError {
  override readonly name: string = 'NoSenderKeyError'
}

/** Text given as an account ID is not one: a typo (checksum), wrong prefix, wrong length or mixed case. */
export class InvalidAccountIdError extends CryptoError {
  override readonly name: string = 'InvalidAccountIdError'
}

/** An invite link is malformed, too long, or lists unusable relay addresses. */
export class InvalidInviteError extends CryptoError {
  override readonly name: string = 'InvalidInviteError'
}
