/**
 * Serialises async operations per key (one device's pre-keys, one account's device list), so a
 * read-modify-write never interleaves with another on the same record.
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

  /** Resolves once every operation started so far has settled. */
  async idle(): Promise<void> {
    while (this.#tails.size > 0) {
      await Promise.all(this.#tails.values())
    }
  }
}
