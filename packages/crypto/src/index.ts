/**
 * @packageDocumentation
 *
 * Ferry's end-to-end crypto: account and device keys, signed records, pre-keys, PQXDH, the Double
 * Ratchet with Sesame-style session management, sender keys for groups, sealed envelopes and safety
 * numbers, over one provider interface (node:crypto, WebCrypto or @noble/*).
 */
export * from './bytes.js'
export * from './errors.js'
export { getDefaultProvider } from './provider/index.js'
export type { CryptoProvider, KemEncapsulation, KeyPair } from './provider/types.js'
export * from './records/index.js'
export * from './sealed.js'
export { Secret } from './secret.js'
export * from './sender-keys.js'
export * from './session-cipher.js'
export * from './stores.js'
export * from './types.js'
