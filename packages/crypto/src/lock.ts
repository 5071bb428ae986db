/**
 * Serialises async operations per key (one remote device's session, one sender key), so concurrent
 * encrypt and decrypt calls on the same state never interleave and never reuse a counter.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>()

  async run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const result = previous.then(operation, operation)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.#tails.set(key, tail)
    try {
      return await result
    } finally {
      if (this.#tails.get(key) === tail) {
        this.#tails.delete(key)
      }
    }
  }
}
