/**
 * The relay pre-key store, its contract types and options.
 */
export type { PreKeyStoreInit } from './pre-key-store.js'
export { PreKeyStore } from './pre-key-store.js'
export type * from './types.js'
