/**
 * ML-KEM-768 from liboqs (Open Quantum Safe; its ML-KEM is mlkem-native, from the PQ Code Package),
 * compiled to WebAssembly by `@oqs/liboqs-js`: the node provider's random key
 * generation, random encapsulation and decapsulation, about seven times faster than noble's pure
 * JavaScript here. Keys and ciphertexts are FIPS 203 encodings, the same bytes as noble's (the tests
 * decapsulate each library's ciphertexts with the other).
 *
 * Owns: loading the module once, lazily (the first ML-KEM call pays it; nothing else does), the checks
 * and error mapping around it, and the fallback to noble. Must not know: anything above the provider.
 *
 * The binding exposes no derandomised calls, so key generation from a seed and encapsulation with a
 * given message stay on noble (tests and known answers use those). The module draws its randomness
 * from node:crypto's `randomFillSync` (Emscripten's `getentropy` on Node), the same source as the
 * provider's `randomBytes`. If the module cannot be loaded (a platform without WebAssembly, such as
 * `node --jitless`), every call falls back to noble, which computes the same function.
 */
import { InvalidKeyError } from '../errors.js'
import { RedactedKeyPair } from '../secret.js'
import {
  foreignError,
  ML_KEM_768_CIPHERTEXT_BYTES,
  ML_KEM_768_PUBLIC_KEY_BYTES,
  ML_KEM_768_SECRET_KEY_BYTES,
  requireKey,
  requireLength,
} from './checks.js'
import { mlKem768DecapsulateWith, mlKem768Encapsulate, mlKem768Keygen } from './noble.js'
import type { KemEncapsulation, KeyPair } from './types.js'

/** The calls Ferry makes on liboqs's ML-KEM-768 (the `MLKEM768` class of `@oqs/liboqs-js`). */
export interface MlKem768Module {
  generateKeyPair(): { publicKey: Uint8Array; secretKey: Uint8Array }
  encapsulate(publicKey: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array }
  decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array
}

/** Loads and initialises the module; a rejection means "use noble". */
export type MlKem768Loader = () => Promise<MlKem768Module>

/** Random ML-KEM-768 operations, with the provider's argument checks and error classes. */
export interface RandomMlKem768 {
  keygen(): Promise<KeyPair>
  encapsulate(publicKey: Uint8Array): Promise<KemEncapsulation>
  decapsulate(secretKey: Uint8Array, ciphertext: Uint8Array): Promise<Uint8Array>
  /** Which implementation serves the calls (loads the module on first use). */
  backend(): Promise<'liboqs' | 'noble'>
}

/** `@oqs/liboqs-js/kem` loads only the KEM wrappers, and ML-KEM-768's own ~55 KB module with them. */
export const liboqsLoader: MlKem768Loader = async () => {
  const { createMLKEM768 } = await import('@oqs/liboqs-js/kem')
  return createMLKEM768()
}

/** liboqs reports a refused input (the modulus or hash check) as a LibOQSOperationError. */
function isRefusal(err: unknown): boolean {
  return err instanceof Error && err.name === 'LibOQSOperationError'
}

/**
 * Random ML-KEM-768 over the module `load` gives, or over noble (drawing with `random`) when it
 * cannot be loaded. The load is attempted once.
 */
export function createRandomMlKem768(
  load: MlKem768Loader,
  random: (length: number) => Uint8Array,
): RandomMlKem768 {
  let loading: Promise<MlKem768Module | undefined> | undefined
  const module = (): Promise<MlKem768Module | undefined> => {
    loading ??= load().then(
      (loaded) => loaded,
      () => undefined,
    )
    return loading
  }

  return {
    async keygen() {
      const oqs = await module()
      if (oqs === undefined) {
        return mlKem768Keygen(random)
      }
      try {
        const { publicKey, secretKey } = oqs.generateKeyPair()
        return new RedactedKeyPair(publicKey, secretKey)
      } catch (err) {
        throw foreignError(err, 'ML-KEM-768 key generation')
      }
    },

    async encapsulate(publicKey) {
      requireKey(publicKey, ML_KEM_768_PUBLIC_KEY_BYTES, 'ML-KEM-768 public key')
      const oqs = await module()
      if (oqs === undefined) {
        return mlKem768Encapsulate(random, publicKey)
      }
      try {
        const { ciphertext, sharedSecret } = oqs.encapsulate(publicKey)
        return { ciphertext, sharedSecret }
      } catch (err) {
        // the length is checked above: what liboqs refuses is the FIPS 203 modulus check
        if (isRefusal(err)) {
          throw new InvalidKeyError('ML-KEM-768 public key fails the modulus check')
        }
        throw foreignError(err, 'ML-KEM-768 encapsulation')
      }
    },

    async decapsulate(secretKey, ciphertext) {
      requireKey(secretKey, ML_KEM_768_SECRET_KEY_BYTES, 'ML-KEM-768 secret key')
      requireLength(ciphertext, ML_KEM_768_CIPHERTEXT_BYTES, 'ML-KEM-768 ciphertext')
      const oqs = await module()
      if (oqs === undefined) {
        return mlKem768DecapsulateWith(secretKey, ciphertext)
      }
      try {
        return oqs.decapsulate(ciphertext, secretKey)
      } catch (err) {
        // lengths are checked above: what liboqs refuses is the FIPS 203 hash check of the key
        if (isRefusal(err)) {
          throw new InvalidKeyError('ML-KEM-768 secret key fails its hash check')
        }
        throw foreignError(err, 'ML-KEM-768 decapsulation')
      }
    },

    async backend() {
      return (await module()) === undefined ? 'noble' : 'liboqs'
    },
  }
}
