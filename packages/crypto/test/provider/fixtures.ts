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
import { createWebCryptoProvider, webCryptoProvider } from '../../src/provider/webcrypto.js'

const here = dirname(fileURLToPath(import.meta.url))

/** The repository root (packages/crypto/test/provider → four levels up). */
export const repoRoot = resolve(here, '..', '..', '..', '..')

/** True for a WebCrypto algorithm argument naming X25519 or Ed25519. */
function isCurveAlgorithm(arg: unknown): boolean {
  const name = typeof arg === 'string' ? arg : (arg as { name?: unknown } | null)?.name
  return name === 'X25519' || name === 'Ed25519'
}

/** A SubtleCrypto without X25519 and Ed25519, as in browsers before Secure Curves shipped. */
export function subtleWithoutCurves(real: SubtleCrypto): SubtleCrypto {
  return new Proxy(real, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function') {
        return value
      }
      return (...args: unknown[]) =>
        args.some(isCurveAlgorithm)
          ? Promise.reject(new DOMException('Algorithm: Unrecognized name', 'NotSupportedError'))
          : Reflect.apply(value, target, args)
    },
  })
}

/** WebCrypto as a browser without Secure Curves has it: X25519 and Ed25519 fall back to noble. */
export const webCryptoNobleCurves = createWebCryptoProvider({ subtle: subtleWithoutCurves(crypto.subtle) })

/** Every provider under test, with a label; each suite runs all of them. */
export const providers: readonly (readonly [label: string, provider: CryptoProvider])[] = [
  ['node', nodeProvider],
  ['webcrypto', webCryptoProvider],
  ['noble', nobleProvider],
  ['webcrypto (noble curves)', webCryptoNobleCurves],
]

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
    return errorName(err)
  }
}

/** The class name of a Ferry error, or 'foreign <name>' for anything else. */
export function errorName(err: unknown): string {
  if (err instanceof CryptoError) {
    return err.name
  }
  return `foreign ${err instanceof Error ? err.name : typeof err}`
}
