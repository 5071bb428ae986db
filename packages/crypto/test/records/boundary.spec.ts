import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as records from '@ferry/crypto/records'
import { describe, expect, it } from 'vitest'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src')

/** What the records layer may reach, so the relay can import it without the session layers. */
const ALLOWED_OUTSIDE_RECORDS = new Set([
  'errors.ts',
  'bytes.ts',
  'secret.ts',
  'types.ts',
  'provider/types.ts',
])
const ALLOWED_PACKAGES = new Set(['@ferry/wire'])

function importsOf(file: string): string[] {
  // comments may show example imports; only code counts
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!)
}

describe('the @ferry/crypto/records boundary', () => {
  it('records/ and everything it imports reach only errors, bytes, secret, types, provider/types and @ferry/wire', () => {
    const queue = readdirSync(join(SRC, 'records'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(SRC, 'records', f))
    const seen = new Set<string>()
    while (queue.length > 0) {
      const file = queue.pop()!
      if (seen.has(file)) {
        continue
      }
      seen.add(file)
      const where = relative(SRC, file)
      if (!where.startsWith('records/')) {
        expect(ALLOWED_OUTSIDE_RECORDS, `records/ reaches ${where}`).toContain(where)
      }
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) {
          queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
        } else {
          expect(ALLOWED_PACKAGES, `${where} imports ${specifier}`).toContain(specifier)
        }
      }
    }
    expect(seen.size).toBeGreaterThan(8)
  })

  it('the entry point exports the record API by its documented names', () => {
    for (const name of [
      'AccountKeyPair',
      'assertX25519PublicKey',
      'assertEd25519PublicKey',
      'generateDeviceKeys',
      'accountIdFromKey',
      'parseAccountId',
      'formatInvite',
      'parseInvite',
      'SignatureContext',
      'signRecord',
      'openSignedRecord',
      'issueDeviceCertificate',
      'verifyDeviceCertificate',
      'createLocalDevice',
      'issueDeviceList',
      'verifyDeviceList',
      'selectDeviceList',
      'selectDeviceListRecord',
      'generateSignedPreKey',
      'generateKemPreKey',
      'generateOneTimePreKeys',
      'verifySignedPreKey',
      'buildPreKeyBundle',
      'verifyPreKeyBundle',
      'safetyNumber',
      'compareScannedSafetyNumber',
    ]) {
      expect(records, name).toHaveProperty(name)
    }
  })
})
