/**
 * The platform's default provider, for code that takes a `CryptoProvider` as an input and defaults
 * it at the facade: node:crypto in Node, WebCrypto in browsers. The choice is made only by the
 * package.json conditions of `#default-provider` (default.node.ts / default.browser.ts), and the
 * module is loaded on first use, so importing `@ferry/crypto` loads no platform module.
 *
 * @example
 * ```ts
 * import { getDefaultProvider } from '@ferry/crypto'
 * const provider = init.provider ?? (await getDefaultProvider())
 * ```
 */
import type { CryptoProvider } from './types.js'

let loading: Promise<CryptoProvider> | undefined

/** The default provider of this platform (the same object on every call). */
export function getDefaultProvider(): Promise<CryptoProvider> {
  loading ??= import('#default-provider').then((module) => module.defaultProvider)
  return loading
}
