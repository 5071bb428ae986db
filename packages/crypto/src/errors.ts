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
