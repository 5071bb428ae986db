/**
 * Shared by the provider suites: the providers under test, hex helpers, and the known-answer vector
 * files of test/vectors.
 */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CryptoError } from '../../src/errors.js'
import { nobleProvider } from '../../src/provider/noble.js'
import { nodeProvider } from '../../src/provider/node.js'
import type { CryptoProvider } from '../../src/provider/types.js'

const here = dirname(fileURLToPath(import.meta.url))

/** The repository root (packages/crypto/test/provider → four levels up). */
export const repoRoot = resolve(here, '..', '..', '..', '..')

/** Every provider, by name; each suite runs all of them. */
export const providers: readonly CryptoProvider[] = [nodeProvider, nobleProvider]

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) {
    throw new Error(`not hex: ${hex.slice(0, 16)}`)
  }
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) {
    out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  }
  return out
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

/** A JSON file of test/vectors. */
export function loadVectors<T>(file: string): T {
  return JSON.parse(readFileSync(resolve(here, '..', 'vectors', file), 'utf8')) as T
}

/**
 * The class name of the Ferry error `promise` rejects with, 'resolved' if it does not reject, or
 * 'foreign <name>' for an error that is not a CryptoError (which no provider may let escape).
 */
export async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
    return 'resolved'
  } catch (err) {
    if (err instanceof CryptoError) {
      return err.name
    }
    return `foreign ${err instanceof Error ? err.name : typeof err}`
  }
}
