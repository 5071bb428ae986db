/**
 * The default provider in Node: node:crypto. Picked through the `#default-provider` import of
 * package.json (`node` condition); default.browser.ts is its browser twin, with the same exports.
 */
import { nodeProvider } from './node.js'
import type { CryptoProvider } from './types.js'

export const defaultProvider: CryptoProvider = nodeProvider
