/**
 * The four scenarios of the crypto benchmark, as each implementation provides them. A scenario's
 * set-up (devices, answered sessions, group members) runs once, untimed, and returns a round factory:
 * `prepare(count)` does a round's untimed work (pre-key generation for set-ups) and returns the timed
 * part, which does `count` operations.
 */
export type RoundFactory = (count: number) => Promise<() => Promise<void>>

export interface Scenarios {
  /** Alternating directions, one message each way in turn: a DH ratchet step on every message. */
  pingPong(plaintext: Uint8Array<ArrayBuffer>): Promise<RoundFactory>
  /** `count` messages encrypted one way, then all decrypted in order. */
  burst(plaintext: Uint8Array<ArrayBuffer>): Promise<RoundFactory>
  /**
   * `count` sessions set up from fresh devices to one responder: bundle verification, PQXDH with a
   * one-time X25519 and a one-time KEM pre-key, first message encrypted and decrypted.
   */
  sessionSetup(plaintext: Uint8Array<ArrayBuffer>): Promise<RoundFactory>
  /** `count` group messages, each encrypted once by the sender and decrypted by each of `members`. */
  group(plaintext: Uint8Array<ArrayBuffer>, members: number): Promise<RoundFactory>
}

/** Throws unless two plaintexts are identical (a benchmark that decrypts garbage measures nothing). */
export function assertSame(actual: Uint8Array, expected: Uint8Array): void {
  if (actual.byteLength !== expected.byteLength || actual.some((byte, i) => byte !== expected[i])) {
    throw new Error('benchmark: a message did not decrypt to what was sent')
  }
}
