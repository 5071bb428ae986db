// js-libp2p 3 calls Promise.withResolvers, which Node 20 lacks (Node >= 22 has it).
// Every Node entry point loads the same polyfill; tests load it here.
const promise = Promise as unknown as { withResolvers?: unknown }
if (typeof promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void
      let reject!: (reason?: unknown) => void
      const p = new Promise<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise: p, resolve, reject }
    },
  })
}
