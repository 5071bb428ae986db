/**
 * Serialises async operations per key (one remote device's session, one sender key), so concurrent
 * encrypt and decrypt calls on the same state never interleave and never reuse a counter.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>()

  /**
   * Runs `operation` once every operation queued before it under `key` has settled, and returns its
   * result. With nothing queued it starts at once (no extra promise and turn per call: this runs
   * around every encrypt and decrypt).
   */
  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key)
    let result: Promise<T>
    if (previous === undefined) {
      try {
        result = operation()
      } catch (err) {
        result = Promise.reject(err)
      }
    } else {
      result = previous.then(operation, operation)
    }
    const release = (): void => {
      if (this.#tails.get(key) === tail) {
        this.#tails.delete(key)
      }
    }
    const tail = result.then(release, release)
    this.#tails.set(key, tail)
    return result
  }
}
