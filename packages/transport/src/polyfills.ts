/**
 * Platform gaps js-libp2p 3 runs into, filled before a node starts. `Promise.withResolvers` (Node
 * >= 22, every current browser) is missing on Node 20: without it the first connection fails with
 * "Promise.withResolvers is not a function". The presets install it themselves; any other entry point
 * that drives libp2p directly calls `installPolyfills()` first. Harmless where nothing is missing.
 */

/** Installs `Promise.withResolvers` when the platform lacks it. Idempotent. */
export function installPolyfills(): void {
  const promise = Promise as unknown as { withResolvers?: unknown }
  if (typeof promise.withResolvers === 'function') {
    return
  }
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const promise = new Promise<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise, resolve, reject }
    },
  })
}
