/**
 * Wraps a provider and counts calls per method, so tests can prove that a check happens before any
 * key derivation or DH.
 */
import type { CryptoProvider } from '../../src/provider/types.js'

export interface SpyProvider {
  readonly provider: CryptoProvider
  readonly calls: Map<string, number>
  reset(): void
  count(method: keyof CryptoProvider): number
}

export function spyProvider(inner: CryptoProvider): SpyProvider {
  const calls = new Map<string, number>()
  const provider = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') {
        return value
      }
      return (...args: unknown[]) => {
        calls.set(String(property), (calls.get(String(property)) ?? 0) + 1)
        return value.apply(target, args)
      }
    },
  })
  return {
    provider,
    calls,
    reset: () => calls.clear(),
    count: (method) => calls.get(method) ?? 0,
  }
}
