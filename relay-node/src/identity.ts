/**
 * The relay's persistent libp2p identity: an Ed25519 key in DATA_DIR/identity.key, created on first
 * start and readable by the relay's user only. Its PeerId is the relay's address in every device's
 * list and part of every mailbox ID, so losing or changing it orphans every mailbox: it is written
 * atomically (temporary file, fsync, rename, directory fsync) and a file that does not read back as a
 * key is refused, never replaced.
 *
 * The caller holds the data directory's lock (the database is opened first), so no other relay
 * process creates the key at the same time.
 */
import { constants } from 'node:fs'
import { open, readFile, rename, stat, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import {
  IDENTITY_FILE_HEADER,
  IDENTITY_FILE_MODE,
  IDENTITY_FILE_NAME,
  MAX_IDENTITY_FILE_BYTES,
} from './constants.js'
import { DataDirCorruptError, RelayStartError } from './errors.js'

export interface LoadedIdentity {
  privateKey: PrivateKey
  /** True when the key was created by this call (first start). */
  created: boolean
  /** Set when the file is readable by other users (it still loads; the operator is told). */
  looseMode?: number
}

const HEADER = new TextEncoder().encode(IDENTITY_FILE_HEADER)

function encode(key: PrivateKey): Uint8Array {
  const body = privateKeyToProtobuf(key)
  const out = new Uint8Array(HEADER.byteLength + body.byteLength)
  out.set(HEADER)
  out.set(body, HEADER.byteLength)
  return out
}

function decode(path: string, bytes: Uint8Array): PrivateKey {
  const corrupt = (why: string): DataDirCorruptError =>
    new DataDirCorruptError(
      `the identity key ${path} ${why}: restore it from a backup (a new key would orphan every mailbox on this relay)`,
    )
  if (bytes.byteLength < HEADER.byteLength || !HEADER.every((byte, i) => bytes[i] === byte)) {
    throw corrupt('is not a ferry-relay identity file')
  }
  let key: PrivateKey
  try {
    key = privateKeyFromProtobuf(bytes.subarray(HEADER.byteLength))
  } catch {
    throw corrupt('is corrupt')
  }
  if (key.type !== 'Ed25519') {
    throw corrupt(`holds a ${key.type} key where an Ed25519 key is expected`)
  }
  return key
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY)
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** Loads DATA_DIR/identity.key, or creates it if the relay has never started in this directory. */
export async function loadOrCreateIdentity(dataDir: string): Promise<LoadedIdentity> {
  const path = join(dataDir, IDENTITY_FILE_NAME)
  let bytes: Uint8Array | undefined
  try {
    const info = await stat(path)
    if (!info.isFile()) {
      throw new DataDirCorruptError(`the identity key ${path} is not a file`)
    }
    if (info.size > MAX_IDENTITY_FILE_BYTES) {
      throw new DataDirCorruptError(
        `the identity key ${path} is too large to be a key: restore it from a backup`,
      )
    }
    bytes = new Uint8Array(await readFile(path))
    const loose = info.mode & 0o077
    return {
      privateKey: decode(path, bytes),
      created: false,
      ...(loose === 0 ? {} : { looseMode: info.mode & 0o777 }),
    }
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') {
      if (err instanceof DataDirCorruptError) {
        throw err
      }
      throw new RelayStartError(
        `cannot read the identity key ${path} (${String((err as { code?: unknown }).code)})`,
      )
    }
  }

  const privateKey = await generateKeyPair('Ed25519')
  const temporary = `${path}.${process.pid}.tmp`
  try {
    const handle = await open(temporary, 'w', IDENTITY_FILE_MODE)
    try {
      await handle.writeFile(encode(privateKey))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temporary, path)
    await fsyncDir(dataDir)
  } catch (err) {
    await unlink(temporary).catch(() => {})
    throw new RelayStartError(
      `cannot write the identity key ${path} (${String((err as { code?: unknown }).code ?? 'error')})`,
    )
  }
  return { privateKey, created: true }
}
