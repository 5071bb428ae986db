/**
 * The relay identity file: created once with mode 0600, loaded unchanged afterwards, and refused
 * (never replaced) when it is not a ferry-relay key.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { IDENTITY_FILE_HEADER } from '../src/constants.js'
import { loadOrCreateIdentity } from '../src/identity.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-relay-identity-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('loadOrCreateIdentity', () => {
  it('creates an Ed25519 key readable by the owner only, then loads the same key', async () => {
    const first = await loadOrCreateIdentity(dir)
    expect(first.created).toBe(true)
    expect(first.privateKey.type).toBe('Ed25519')
    const path = join(dir, 'identity.key')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readFileSync(path).subarray(0, IDENTITY_FILE_HEADER.length).toString()).toBe(IDENTITY_FILE_HEADER)
    const second = await loadOrCreateIdentity(dir)
    expect(second.created).toBe(false)
    expect(second.privateKey.equals(first.privateKey)).toBe(true)
    expect(second.looseMode).toBeUndefined()
  })

  it('loads a key readable by others but says so', async () => {
    await loadOrCreateIdentity(dir)
    chmodSync(join(dir, 'identity.key'), 0o644)
    expect((await loadOrCreateIdentity(dir)).looseMode).toBe(0o644)
  })

  it('refuses, without touching it, a file that is not a key, a truncated key, or a key of another type', async () => {
    const path = join(dir, 'identity.key')
    const secp = privateKeyToProtobuf(await generateKeyPair('secp256k1'))
    const header = Buffer.from(IDENTITY_FILE_HEADER)
    const cases: Array<[Uint8Array, RegExp]> = [
      [Buffer.from('hello'), /is not a ferry-relay identity file/],
      [Buffer.concat([header, Buffer.from([8, 1, 18])]), /is corrupt/],
      [Buffer.concat([header, secp]), /holds a secp256k1 key/],
      [new Uint8Array(10_000), /too large/],
    ]
    for (const [bytes, message] of cases) {
      writeFileSync(path, bytes)
      const err = await loadOrCreateIdentity(dir).then(
        () => undefined,
        (e: Error) => e,
      )
      expect(err?.name).toBe('DataDirCorruptError')
      expect(err?.message).toMatch(message)
      expect(new Uint8Array(readFileSync(path))).toEqual(new Uint8Array(bytes))
    }
  })
})
