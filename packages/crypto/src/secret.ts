/**
 * A wrapper for secret bytes that never prints them: `toString`, `toJSON` and Node's `inspect` all
 * show `[redacted]`. Code that needs the bytes asks for them by name (`secret.bytes`), which makes
 * every use visible in review.
 */

const INSPECT = Symbol.for('nodejs.util.inspect.custom')

export class Secret {
  readonly #bytes: Uint8Array

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  /** The secret bytes. Never log, serialise or compare them with `===`. */
  get bytes(): Uint8Array {
    return this.#bytes
  }

  get byteLength(): number {
    return this.#bytes.byteLength
  }

  /** Overwrites the bytes with zeros (best effort: JavaScript may hold copies). */
  wipe(): void {
    this.#bytes.fill(0)
  }

  toString(): string {
    return '[redacted]'
  }

  toJSON(): string {
    return '[redacted]'
  }

  [INSPECT](): string {
    return `${this.constructor.name} [redacted]`
  }
}
