/**
 * Noise's ChaCha20-Poly1305 on Node, chosen by frame size. @chainsafe/libp2p-noise 17's default seals
 * and opens frames under 1,200 bytes with its WebAssembly implementation and larger ones with
 * node:crypto (OpenSSL). Measured on the machine these presets are tuned on (Node 20, OpenSSL 3, x64;
 * µs per seal / open): 200 bytes 3.1 / 3.4 against 4.7 / 4.4, 500 bytes 5.8 / 5.9 against 6.4 / 6.0,
 * 1,000 bytes 10.6 / 10.7 against 8.0 / 6.0, 1,199 bytes 11.3 / 12.6 against 6.9 / 6.9. The two cross
 * near 500 bytes, and many of Ferry's frames lie between that and 1,200: a deposit or a live push of
 * a 1 KiB envelope. Both are the same cipher (byte-identical output); only where the switch is moves.
 * The handshake (X25519, SHA-256) stays noise's default.
 */
import type { ICryptoInterface } from '@chainsafe/libp2p-noise'

type NoiseCryptoModule = typeof import('@chainsafe/libp2p-noise/crypto')

/** Frames of at least this many bytes go to node:crypto; smaller ones to noise's WebAssembly cipher. */
export const NOISE_OPENSSL_MIN_BYTES = 512

/** Which implementation seals or opens a frame of `bytes` bytes (tests check the switch). */
export function noiseCipherFor(bytes: number): 'webassembly' | 'openssl' {
  return bytes < NOISE_OPENSSL_MIN_BYTES ? 'webassembly' : 'openssl'
}

let loaded: Promise<ICryptoInterface> | undefined

/** Noise's Node crypto with the cipher switch at NOISE_OPENSSL_MIN_BYTES (loaded once). */
export function nodeNoiseCrypto(): Promise<ICryptoInterface> {
  loaded ??= (async () => {
    // a variable specifier keeps bundlers from resolving noise's browser build of this module, which
    // has neither cipher (the Node presets that call this never run in a browser)
    const specifier = '@chainsafe/libp2p-noise/crypto'
    const { asCrypto, defaultCrypto, nodeCrypto } = (await import(specifier)) as NoiseCryptoModule
    return {
      ...defaultCrypto,
      chaCha20Poly1305Encrypt(plaintext, nonce, ad, k) {
        return noiseCipherFor(plaintext.byteLength) === 'webassembly'
          ? asCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
          : nodeCrypto.chaCha20Poly1305Encrypt(plaintext, nonce, ad, k)
      },
      chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k, dst) {
        return noiseCipherFor(ciphertext.byteLength) === 'webassembly'
          ? asCrypto.chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k, dst)
          : nodeCrypto.chaCha20Poly1305Decrypt(ciphertext, nonce, ad, k, dst)
      },
    }
  })()
  return loaded
}
