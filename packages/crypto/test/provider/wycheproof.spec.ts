/**
 * Conformance of every provider to Project Wycheproof (C2SP/wycheproof, read from ../shared/vectors,
 * never copied into the repository): X25519, Ed25519, AES-GCM, HKDF-SHA-256, HMAC-SHA-256 and
 * ML-KEM-768. One test per provider and file runs every case of the file, collects the cases whose
 * outcome differs from the expected one, and requires that list to be empty and the number of cases
 * run to equal the file's `numberOfTests`.
 *
 * Expected outcomes, where our interface or policy narrows Wycheproof's:
 * - X25519 "acceptable" cases (low-order, non-canonical, twist points) are computed per RFC 7748,
 *   except that an all-zero shared secret is refused with InvalidKeyError;
 * - AES-GCM keys other than 256 bits are refused with InvalidKeyError, IVs other than 96 bits with
 *   CryptoInputError (our interface has only AES-256 with 12-byte nonces);
 * - HKDF output sizes over 255 * 32 bytes are refused with CryptoInputError;
 * - HMAC cases with a truncated tag compare the truncated prefix of our full-length tag;
 * - ML-KEM seeds and keys of the wrong length, and encapsulation keys failing the modulus check, are
 *   refused with InvalidKeyError; ciphertexts of the wrong length with CryptoInputError.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CryptoProvider } from '../../src/provider/types.js'
import { fromHex, hex, providers, rejection, repoRoot } from './fixtures.js'

const WYCHEPROOF_DIR = resolve(repoRoot, '..', 'shared', 'vectors', 'wycheproof')
const present = existsSync(WYCHEPROOF_DIR)

interface WycheproofFile<G> {
  numberOfTests: number
  testGroups: G[]
}
interface Case {
  tcId: number
  result: 'valid' | 'invalid' | 'acceptable'
  comment?: string
  flags: string[]
}

function load<G>(file: string): WycheproofFile<G> {
  return JSON.parse(readFileSync(resolve(WYCHEPROOF_DIR, file), 'utf8')) as WycheproofFile<G>
}

/** Runs `check` on every case; returns the number run and a line per case that went wrong. */
async function runAll<G extends { tests: readonly Case[] }>(
  file: WycheproofFile<G>,
  check: (group: G, test: G['tests'][number]) => Promise<string | undefined>,
): Promise<{ count: number; failures: string[] }> {
  let count = 0
  const failures: string[] = []
  for (const group of file.testGroups) {
    for (const test of group.tests) {
      count++
      let problem: string | undefined
      try {
        problem = await check(group, test)
      } catch (err) {
        problem = `threw ${err instanceof Error ? err.name : String(err)}`
      }
      if (problem !== undefined) {
        failures.push(
          `tcId ${test.tcId} (${test.result}, ${test.comment ?? ''} ${test.flags.join(',')}): ${problem}`,
        )
      }
    }
  }
  return { count, failures }
}

function expectRun(run: { count: number; failures: string[] }, file: WycheproofFile<unknown>): void {
  expect(run.failures).toEqual([])
  expect(run.count).toBe(file.numberOfTests)
}

/** undefined when `actual` is `expected`, else a description. */
function same(what: string, actual: string, expected: string): string | undefined {
  return actual === expected ? undefined : `${what} ${actual || '(empty)'}, expected ${expected || '(empty)'}`
}

async function expectRejection(
  what: string,
  promise: Promise<unknown>,
  name: string,
): Promise<string | undefined> {
  const got = await rejection(promise)
  return got === name ? undefined : `${what}: ${got}, expected ${name}`
}

interface XdhGroup {
  tests: (Case & { public: string; private: string; shared: string })[]
}
interface EddsaGroup {
  publicKey: { pk: string }
  tests: (Case & { msg: string; sig: string })[]
}
interface AeadGroup {
  keySize: number
  ivSize: number
  tagSize: number
  tests: (Case & { key: string; iv: string; aad: string; msg: string; ct: string; tag: string })[]
}
interface HkdfGroup {
  tests: (Case & { ikm: string; salt: string; info: string; size: number; okm: string })[]
}
interface MacGroup {
  tagSize: number
  tests: (Case & { key: string; msg: string; tag: string })[]
}
interface MlKemGroup {
  tests: (Case & { seed: string; ek?: string; c: string; K?: string })[]
}
interface MlKemEncapsGroup {
  tests: (Case & { ek: string; m: string; c?: string; K?: string })[]
}

const ZERO_SHARED = '00'.repeat(32)

async function x25519Case(p: CryptoProvider, t: XdhGroup['tests'][number]): Promise<string | undefined> {
  const result = p.x25519(fromHex(t.private), fromHex(t.public))
  if (t.shared === ZERO_SHARED) {
    return expectRejection('all-zero shared secret', result, 'InvalidKeyError')
  }
  return same('shared', hex(await result), t.shared)
}

async function aesGcmCase(
  p: CryptoProvider,
  g: AeadGroup,
  t: AeadGroup['tests'][number],
): Promise<string | undefined> {
  const key = fromHex(t.key)
  const iv = fromHex(t.iv)
  const aad = fromHex(t.aad)
  const sealed = fromHex(t.ct + t.tag)
  if (g.keySize !== 256 || g.ivSize !== 96) {
    const expected = g.keySize !== 256 ? 'InvalidKeyError' : 'CryptoInputError'
    return (
      (await expectRejection('seal', p.aesGcmEncrypt(key, iv, fromHex(t.msg), aad), expected)) ??
      (await expectRejection('open', p.aesGcmDecrypt(key, iv, sealed, aad), expected))
    )
  }
  if (t.result === 'invalid') {
    return expectRejection('open', p.aesGcmDecrypt(key, iv, sealed, aad), 'AuthenticationError')
  }
  return (
    same('sealed', hex(await p.aesGcmEncrypt(key, iv, fromHex(t.msg), aad)), t.ct + t.tag) ??
    same('opened', hex(await p.aesGcmDecrypt(key, iv, sealed, aad)), t.msg)
  )
}

async function mlKemCase(p: CryptoProvider, t: MlKemGroup['tests'][number]): Promise<string | undefined> {
  const seed = fromHex(t.seed)
  if (seed.byteLength !== 64) {
    return expectRejection(
      `keygen from a ${seed.byteLength}-byte seed`,
      p.mlKem768Keygen(seed),
      'InvalidKeyError',
    )
  }
  const keys = await p.mlKem768Keygen(seed)
  const publicProblem = t.ek === undefined ? undefined : same('public key', hex(keys.publicKey), t.ek)
  if (publicProblem !== undefined) {
    return publicProblem
  }
  const ciphertext = fromHex(t.c)
  if (t.result === 'invalid') {
    return expectRejection(
      `decapsulate a ${ciphertext.byteLength}-byte ciphertext`,
      p.mlKem768Decapsulate(keys.secretKey, ciphertext),
      'CryptoInputError',
    )
  }
  return same('shared secret', hex(await p.mlKem768Decapsulate(keys.secretKey, ciphertext)), t.K ?? '')
}

async function mlKemEncapsCase(
  p: CryptoProvider,
  t: MlKemEncapsGroup['tests'][number],
): Promise<string | undefined> {
  const result = p.mlKem768Encapsulate(fromHex(t.ek), fromHex(t.m))
  if (t.result === 'invalid') {
    return expectRejection('encapsulate', result, 'InvalidKeyError')
  }
  const { ciphertext, sharedSecret } = await result
  return same('ciphertext', hex(ciphertext), t.c ?? '') ?? same('shared secret', hex(sharedSecret), t.K ?? '')
}

// skipped when the Wycheproof vectors are not beside the repository (../shared/vectors)
describe.skipIf(!present)(
  present
    ? 'Wycheproof conformance (../shared/vectors/wycheproof)'
    : 'Wycheproof conformance: skipped, ../shared/vectors/wycheproof is absent (it sits beside the repository, not in it; see the package README)',
  () => {
    const x25519File = present ? load<XdhGroup>('x25519_test.json') : undefined
    const ed25519File = present ? load<EddsaGroup>('ed25519_test.json') : undefined
    const aesGcmFile = present ? load<AeadGroup>('aes_gcm_test.json') : undefined
    const hkdfFile = present ? load<HkdfGroup>('hkdf_sha256_test.json') : undefined
    const hmacFile = present ? load<MacGroup>('hmac_sha256_test.json') : undefined
    const mlKemFile = present ? load<MlKemGroup>('mlkem_768_test.json') : undefined
    const mlKemEncapsFile = present ? load<MlKemEncapsGroup>('mlkem_768_encaps_test.json') : undefined

    describe.each(providers)('%s provider', (_name, p) => {
      it(`x25519_test.json: all ${x25519File?.numberOfTests} cases (all-zero secrets refused, others computed)`, async () => {
        const file = x25519File!
        let refused = 0
        const run = await runAll(file, async (_g, t) => {
          if (t.shared === ZERO_SHARED) {
            refused++
          }
          return x25519Case(p, t)
        })
        expectRun(run, file)
        expect(refused).toBe(31)
      })

      it(`ed25519_test.json: all ${ed25519File?.numberOfTests} cases (valid accepted, invalid refused)`, async () => {
        const file = ed25519File!
        const run = await runAll(file, async (g, t) => {
          const ok = await p.ed25519Verify(fromHex(g.publicKey.pk), fromHex(t.msg), fromHex(t.sig))
          return ok === (t.result === 'valid') ? undefined : `verify returned ${ok}`
        })
        expectRun(run, file)
      })

      it(`aes_gcm_test.json: all ${aesGcmFile?.numberOfTests} cases (non-256-bit keys and non-96-bit IVs refused)`, async () => {
        const file = aesGcmFile!
        const run = await runAll(file, (g, t) => aesGcmCase(p, g, t))
        expectRun(run, file)
      })

      it(`hkdf_sha256_test.json: all ${hkdfFile?.numberOfTests} cases`, async () => {
        const file = hkdfFile!
        const run = await runAll(file, async (_g, t) => {
          const okm = p.hkdfSha256(fromHex(t.ikm), fromHex(t.salt), fromHex(t.info), t.size)
          if (t.result === 'invalid') {
            return expectRejection('derive', okm, 'CryptoInputError')
          }
          return same('okm', hex(await okm), t.okm)
        })
        expectRun(run, file)
      })

      it(`hmac_sha256_test.json: all ${hmacFile?.numberOfTests} cases (truncated tags compared truncated)`, async () => {
        const file = hmacFile!
        const run = await runAll(file, async (g, t) => {
          const mac = hex((await p.hmacSha256(fromHex(t.key), fromHex(t.msg))).subarray(0, g.tagSize / 8))
          return (mac === t.tag) === (t.result === 'valid') ? undefined : `tag ${mac} vs ${t.tag}`
        })
        expectRun(run, file)
      })

      it(`mlkem_768_test.json: all ${mlKemFile?.numberOfTests} cases (keygen from seed, decapsulation)`, async () => {
        const file = mlKemFile!
        const run = await runAll(file, (_g, t) => mlKemCase(p, t))
        expectRun(run, file)
      })

      it(`mlkem_768_encaps_test.json: all ${mlKemEncapsFile?.numberOfTests} cases (encapsulation, modulus check)`, async () => {
        const file = mlKemEncapsFile!
        const run = await runAll(file, (_g, t) => mlKemEncapsCase(p, t))
        expectRun(run, file)
      })
    })
  },
)
