/**
 * The one interface every crypto primitive goes through. Three implementations, chosen by
 * package.json export conditions: node:crypto (Node), WebCrypto (browsers), @noble/* (the reference
 * fallback, and ML-KEM-768 everywhere). None of them implements a primitive itself: each adapts an
 * audited library.
 *
 * Rules every implementation follows (the conformance suite checks them on every provider):
 * - inputs and outputs are raw bytes; secret keys are the RFC/FIPS raw encodings (32-byte X25519
 *   scalar, 32-byte Ed25519 seed, 2400-byte ML-KEM-768 decapsulation key);
 * - X25519 follows RFC 7748 (any 32-byte u-coordinate accepted, high bit masked) but refuses an
 *   all-zero shared secret with `InvalidKeyError`;
 * - Ed25519 verification is strict RFC 8032: non-canonical S (S >= L) and malformed points fail;
 * - AES-256-GCM uses 12-byte nonces and 16-byte tags; a failed open throws `AuthenticationError`;
 * - a wrong-length key or input throws `InvalidKeyError` / `CryptoInputError`, never a foreign error.
 */

export interface KeyPair {
  readonly publicKey: Uint8Array
  readonly secretKey: Uint8Array
}

export interface KemEncapsulation {
  readonly ciphertext: Uint8Array
  readonly sharedSecret: Uint8Array
}

export interface CryptoProvider {
  /** 'node', 'webcrypto' or 'noble'. */
  readonly name: string

  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array

  sha256(data: Uint8Array): Promise<Uint8Array>
  sha512(data: Uint8Array): Promise<Uint8Array>
  hmacSha256(key: Uint8Array, data: Uint8Array): Promise<Uint8Array>
  /** RFC 5869 HKDF-SHA-256. `length` at most 255 * 32 bytes. An empty salt means a zero-filled salt. */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array>

  /** AES-256-GCM seal: returns ciphertext || 16-byte tag. */
  aesGcmEncrypt(
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ): Promise<Uint8Array>
  /** AES-256-GCM open of ciphertext || tag. Throws AuthenticationError when the tag does not verify. */
  aesGcmDecrypt(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array>

  x25519Keygen(): Promise<KeyPair>
  x25519PublicKey(secretKey: Uint8Array): Promise<Uint8Array>
  /** RFC 7748 X25519. Throws InvalidKeyError when the result is all zero (a low-order public key). */
  x25519(secretKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array>

  ed25519Keygen(): Promise<KeyPair>
  ed25519PublicKey(secretKey: Uint8Array): Promise<Uint8Array>
  ed25519Sign(secretKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>
  /** Strict RFC 8032 verification. Returns false for any bad signature or key; never throws for them. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean>

  /** FIPS 203 ML-KEM-768 key generation; `seed` (64 bytes, d || z) makes it deterministic for tests. */
  mlKem768Keygen(seed?: Uint8Array): Promise<KeyPair>
  /** `message` (32 bytes) makes encapsulation deterministic for tests. Throws InvalidKeyError on a bad key. */
  mlKem768Encapsulate(publicKey: Uint8Array, message?: Uint8Array): Promise<KemEncapsulation>
  /** Implicit rejection as in FIPS 203: a wrong ciphertext of the right length yields a pseudorandom secret. */
  mlKem768Decapsulate(secretKey: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>
}
