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

/**
 * A key pair whose secret half never prints: `toString`, `toJSON` and `inspect` show the public key
 * length only. Providers return these from every key generation, so a `LocalDevice` or a session
 * fixture logged by mistake shows no secret.
 */
export class RedactedKeyPair {
  constructor(
    readonly publicKey: Uint8Array,
    readonly secretKey: Uint8Array,
  ) {}

  toString(): string {
    return 'KeyPair [secret redacted]'
  }

  toJSON(): { publicKey: string; secretKey: string } {
    return { publicKey: `${this.publicKey.byteLength} bytes`, secretKey: '[redacted]' }
  }

  [INSPECT](): string {
    return this.toString()
  }
}
