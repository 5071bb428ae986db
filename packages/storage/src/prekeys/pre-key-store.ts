/**
 * The relay's pre-key store: per device, the latest certificate, signed pre-key and last-resort KEM
 * pre-key, and queues of one-time X25519 and ML-KEM pre-keys handed out oldest ID first, each at most
 * once. Every change is one durable batch, serialised per device, with the key counts kept in the
 * same batch as the keys. Verifies nothing: the caller checked signatures and derived the device key.
 *
 * Key layout (under the keyspace of sublevel 'relay-prekeys'; a device key is length-prefixed so no
 * device's range contains another's):
 *
 *   v                      → store format version
 *   d len device           → device record (counts, certificate, signed pre-key, last-resort KEM key)
 *   o len device id        → one-time X25519 public key
 *   k len device id        → one-time signed KEM pre-key record
 */
import { KEY_BYTES } from '@ferry/wire'
import { ByteReader, ByteWriter, byteKey, concatBytes, copyBytes, equalBytes, plainBytes } from '../binary.js'
import {
  MAX_DEVICE_KEY_BYTES,
  MAX_ONE_TIME_KEM_PRE_KEYS,
  MAX_ONE_TIME_PRE_KEYS,
  MAX_STORED_RECORD_BYTES,
  PRE_KEY_FORMAT_VERSION,
  RECORD_VERSION,
} from '../constants.js'
import { type BinaryOperation, type Database, Keyspace, upperBound } from '../database.js'
import { InvalidRequestError, StorageReadError, StorageWriteError, StoreClosedError } from '../errors.js'
import { checkFormatVersion } from '../format.js'
import { KeyedMutex } from '../keyed-mutex.js'
import type {
  ClaimedBundle,
  ClaimOptions,
  DeviceKey,
  OneTimePreKey,
  PreKeyBackend,
  PreKeyCounts,
  PreKeyUpload,
  PreKeyUploadOutcome,
} from './types.js'

export interface PreKeyStoreInit {
  /** Name of the sublevel the store writes into. Default 'relay-prekeys'. */
  sublevel?: string
}

interface DeviceRecord extends PreKeyCounts {
  certificate: Uint8Array
  signedPreKey: Uint8Array
  kemLastResort: Uint8Array
}

const tag = (c: string): Uint8Array => Uint8Array.of(c.charCodeAt(0))
const DEVICE = tag('d')
const ONE_TIME = tag('o')
const ONE_TIME_KEM = tag('k')

const devicePart = (device: DeviceKey): Uint8Array => concatBytes(Uint8Array.of(device.byteLength), device)
const u32 = (n: number): Uint8Array => new ByteWriter(4).u32(n).finish()

function encodeDevice(r: DeviceRecord): Uint8Array {
  const size =
    1 + 4 + 4 + 12 + r.certificate.byteLength + r.signedPreKey.byteLength + r.kemLastResort.byteLength
  return new ByteWriter(size)
    .u8(RECORD_VERSION)
    .u32(r.oneTime)
    .u32(r.oneTimeKem)
    .blob(r.certificate)
    .blob(r.signedPreKey)
    .blob(r.kemLastResort)
    .finish()
}

function decodeDevice(bytes: Uint8Array): DeviceRecord {
  const r = new ByteReader(bytes, 'pre-key device')
  r.version(RECORD_VERSION)
  const record = {
    oneTime: r.u32(),
    oneTimeKem: r.u32(),
    certificate: r.blob(MAX_STORED_RECORD_BYTES),
    signedPreKey: r.blob(MAX_STORED_RECORD_BYTES),
    kemLastResort: r.blob(MAX_STORED_RECORD_BYTES),
  }
  r.end()
  return record
}

function encodeKey(bytes: Uint8Array): Uint8Array {
  return new ByteWriter(1 + 4 + bytes.byteLength).u8(RECORD_VERSION).blob(bytes).finish()
}

function decodeKey(bytes: Uint8Array, what: string): Uint8Array {
  const r = new ByteReader(bytes, what)
  r.version(RECORD_VERSION)
  const key = r.blob(MAX_STORED_RECORD_BYTES)
  r.end()
  return key
}

function checkRecord(bytes: Uint8Array, what: string): void {
  if (
    !(bytes instanceof Uint8Array) ||
    bytes.byteLength === 0 ||
    bytes.byteLength > MAX_STORED_RECORD_BYTES
  ) {
    throw new InvalidRequestError(`${what} must be 1..${MAX_STORED_RECORD_BYTES} bytes`)
  }
}

function checkId(id: number): void {
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) {
    throw new InvalidRequestError('a pre-key ID must be a u32')
  }
}

function checkDevice(device: DeviceKey): void {
  if (
    !(device instanceof Uint8Array) ||
    device.byteLength === 0 ||
    device.byteLength > MAX_DEVICE_KEY_BYTES
  ) {
    throw new InvalidRequestError(`a device key must be 1..${MAX_DEVICE_KEY_BYTES} bytes`)
  }
}

export class PreKeyStore implements PreKeyBackend {
  readonly #ks: Keyspace
  readonly #mutex = new KeyedMutex()
  #closed = false

  private constructor(ks: Keyspace) {
    this.#ks = ks
  }

  /** Opens the database if needed (typed errors as in `openDatabase`) and checks the format version. */
  static async open(db: Database, init: PreKeyStoreInit = {}): Promise<PreKeyStore> {
    const ks = new Keyspace(db, init.sublevel ?? 'relay-prekeys')
    await checkFormatVersion(db, ks, PRE_KEY_FORMAT_VERSION, 'pre-key store')
    return new PreKeyStore(ks)
  }

  async upload(device: DeviceKey, upload: PreKeyUpload): Promise<PreKeyUploadOutcome> {
    this.#assertOpen()
    checkDevice(device)
    checkRecord(upload.certificate, 'a certificate')
    checkRecord(upload.signedPreKey, 'a signed pre-key')
    checkRecord(upload.kemLastResort, 'a last-resort KEM pre-key')
    const oneTime = new Map<number, Uint8Array>()
    for (const key of upload.oneTimePreKeys) {
      checkId(key.id)
      if (!(key.publicKey instanceof Uint8Array) || key.publicKey.byteLength !== KEY_BYTES) {
        throw new InvalidRequestError(`a one-time pre-key must be ${KEY_BYTES} bytes`)
      }
      oneTime.set(key.id, copyBytes(key.publicKey))
    }
    const oneTimeKem = new Map<number, Uint8Array>()
    for (const key of upload.oneTimeKemPreKeys) {
      checkId(key.id)
      checkRecord(key.record, 'a one-time KEM pre-key')
      oneTimeKem.set(key.id, copyBytes(key.record))
    }
    const part = devicePart(device)
    return this.#mutex.run(byteKey(device), async () => {
      const oneTimeKeys = [...oneTime.keys()].map((id) => this.#ks.key(ONE_TIME, part, u32(id)))
      const kemKeys = [...oneTimeKem.keys()].map((id) => this.#ks.key(ONE_TIME_KEM, part, u32(id)))
      let values: Array<Uint8Array | undefined>
      try {
        values = await this.#ks.getMany([this.#ks.key(DEVICE, part), ...oneTimeKeys, ...kemKeys])
      } catch (err) {
        throw new StorageReadError('reading pre-keys failed', { cause: err })
      }
      const stored = values[0]
      const held = stored === undefined ? undefined : decodeDevice(stored)
      // a new certificate for this device number is a device with new keys (re-installed, restored):
      // the one-time keys of the device it replaces are useless to it and must never be handed out
      const replaced = held !== undefined && !equalBytes(held.certificate, upload.certificate)
      const ops: BinaryOperation[] = replaced ? await this.#oneTimeDeletes(part) : []
      const previous = held === undefined || replaced ? { oneTime: 0, oneTimeKem: 0 } : held
      const fresh = (i: number): boolean => replaced || values[i] === undefined
      const addedOneTime = oneTimeKeys.filter((_, i) => fresh(1 + i)).length
      const addedKem = kemKeys.filter((_, i) => fresh(1 + oneTimeKeys.length + i)).length
      const counts = { oneTime: previous.oneTime + addedOneTime, oneTimeKem: previous.oneTimeKem + addedKem }
      if (counts.oneTime > MAX_ONE_TIME_PRE_KEYS || counts.oneTimeKem > MAX_ONE_TIME_KEM_PRE_KEYS) {
        return { status: 'refused', reason: 'too-many-keys' }
      }
      const record: DeviceRecord = {
        ...counts,
        certificate: copyBytes(upload.certificate),
        signedPreKey: copyBytes(upload.signedPreKey),
        kemLastResort: copyBytes(upload.kemLastResort),
      }
      ops.push({ type: 'put', key: this.#ks.key(DEVICE, part), value: encodeDevice(record) })
      ;[...oneTime.values()].forEach((publicKey, i) => {
        ops.push({ type: 'put', key: oneTimeKeys[i]!, value: encodeKey(publicKey) })
      })
      ;[...oneTimeKem.values()].forEach((kemRecord, i) => {
        ops.push({ type: 'put', key: kemKeys[i]!, value: encodeKey(kemRecord) })
      })
      await this.#write(ops)
      return { status: 'stored', ...counts }
    })
  }

  async claim(device: DeviceKey, options: ClaimOptions = {}): Promise<ClaimedBundle | undefined> {
    this.#assertOpen()
    checkDevice(device)
    const part = devicePart(device)
    if (options.oneTime === false) {
      // the last-resort bundle: reads only, consumes nothing
      let stored: Uint8Array | undefined
      try {
        stored = await this.#ks.get(this.#ks.key(DEVICE, part))
      } catch (err) {
        throw new StorageReadError('reading pre-keys failed', { cause: err })
      }
      if (stored === undefined) {
        return undefined
      }
      const record = decodeDevice(stored)
      return {
        deviceCertificate: record.certificate,
        signedPreKey: record.signedPreKey,
        kemPreKey: record.kemLastResort,
      }
    }
    return this.#mutex.run(byteKey(device), async () => {
      let stored: Uint8Array | undefined
      let oneTime: Array<[Uint8Array, Uint8Array]>
      let kem: Array<[Uint8Array, Uint8Array]>
      try {
        stored = await this.#ks.get(this.#ks.key(DEVICE, part))
        if (stored === undefined) {
          return undefined
        }
        ;[oneTime, kem] = await Promise.all([
          this.#ks.iterator({ ...this.#range(ONE_TIME, part), limit: 1 }).all(),
          this.#ks.iterator({ ...this.#range(ONE_TIME_KEM, part), limit: 1 }).all(),
        ])
      } catch (err) {
        throw new StorageReadError('reading pre-keys failed', { cause: err })
      }
      const record = decodeDevice(stored)
      const bundle: ClaimedBundle = {
        deviceCertificate: record.certificate,
        signedPreKey: record.signedPreKey,
        kemPreKey: record.kemLastResort,
      }
      const ops: BinaryOperation[] = []
      const [oneTimeEntry] = oneTime
      if (oneTimeEntry !== undefined) {
        const [key, value] = oneTimeEntry
        bundle.oneTimePreKey = {
          id: idOf(key),
          publicKey: decodeKey(value, 'one-time pre-key'),
        } satisfies OneTimePreKey
        ops.push({ type: 'del', key })
        record.oneTime = Math.max(0, record.oneTime - 1)
      }
      const [kemEntry] = kem
      if (kemEntry !== undefined) {
        const [key, value] = kemEntry
        bundle.kemPreKey = decodeKey(value, 'one-time KEM pre-key')
        ops.push({ type: 'del', key })
        record.oneTimeKem = Math.max(0, record.oneTimeKem - 1)
      }
      if (ops.length > 0) {
        ops.push({ type: 'put', key: this.#ks.key(DEVICE, part), value: encodeDevice(record) })
        // durable before the keys leave: a crash must not hand the same one-time key out again
        await this.#write(ops)
      }
      return bundle
    })
  }

  async count(device: DeviceKey): Promise<PreKeyCounts> {
    this.#assertOpen()
    checkDevice(device)
    let stored: Uint8Array | undefined
    try {
      stored = await this.#ks.get(this.#ks.key(DEVICE, devicePart(device)))
    } catch (err) {
      throw new StorageReadError('reading pre-keys failed', { cause: err })
    }
    if (stored === undefined) {
      return { oneTime: 0, oneTimeKem: 0 }
    }
    const { oneTime, oneTimeKem } = decodeDevice(stored)
    return { oneTime, oneTimeKem }
  }

  /** Deletes of every one-time key (X25519 and ML-KEM) held for a device. */
  async #oneTimeDeletes(part: Uint8Array): Promise<BinaryOperation[]> {
    try {
      const [oneTime, kem] = await Promise.all([
        this.#ks.keys(this.#range(ONE_TIME, part)).all(),
        this.#ks.keys(this.#range(ONE_TIME_KEM, part)).all(),
      ])
      return [...oneTime, ...kem].map((key) => ({ type: 'del', key }))
    } catch (err) {
      throw new StorageReadError('reading pre-keys failed', { cause: err })
    }
  }

  /** Deletes everything held for a device (it left its account's device list). */
  async remove(device: DeviceKey): Promise<void> {
    this.#assertOpen()
    checkDevice(device)
    const part = devicePart(device)
    await this.#mutex.run(byteKey(device), async () => {
      let keys: Uint8Array[]
      try {
        const [oneTime, kem] = await Promise.all([
          this.#ks.keys(this.#range(ONE_TIME, part)).all(),
          this.#ks.keys(this.#range(ONE_TIME_KEM, part)).all(),
        ])
        keys = [this.#ks.key(DEVICE, part), ...oneTime, ...kem]
      } catch (err) {
        throw new StorageReadError('reading pre-keys failed', { cause: err })
      }
      await this.#write(keys.map((key) => ({ type: 'del', key })))
    })
  }

  /** Refuses new requests and waits for those under way. Does not close the database. */
  async close(): Promise<void> {
    this.#closed = true
    await this.#mutex.idle()
  }

  #range(table: Uint8Array, part: Uint8Array): { gte: Uint8Array; lt: Uint8Array } {
    const prefix = this.#ks.key(table, part)
    return { gte: prefix, lt: upperBound(prefix) }
  }

  async #write(ops: BinaryOperation[]): Promise<void> {
    try {
      await this.#ks.write(ops)
    } catch (err) {
      throw new StorageWriteError('writing pre-keys failed; nothing was changed', { cause: err })
    }
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StoreClosedError('the pre-key store is closed')
    }
  }
}

function idOf(key: Uint8Array): number {
  return new ByteReader(plainBytes(key).subarray(key.byteLength - 4), 'pre-key ID').u32()
}
