/**
 * The default provider in browsers (and wherever the `node` condition does not apply): WebCrypto,
 * with noble for ML-KEM-768 and for curves the platform lacks. Picked through the
 * `#default-provider` import of package.json; default.node.ts is its Node twin, with the same exports.
 */
import type { CryptoProvider } from './types.js'
import { webCryptoProvider } from './webcrypto.js'

export const defaultProvider: CryptoProvider = webCryptoProvider
