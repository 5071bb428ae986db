/**
 * The relay's device-list store: per account, the newest signed device list it was given. A put with
 * a version not newer than the stored one is 'stale' and changes nothing (no rollback to an older
 * list); puts for one account are serialised so two racing puts cannot both win. Verifies nothing.
 *
 * Key layout (under the keyspace of sublevel 'relay-device-lists'):
 *
 *   v               → store format version
 *   l accountKey    → version byte, list version (u64), framed Signed(DeviceListBody)
 */
import { KEY_BYTES, MAX_DEVICE_LIST_BYTES } from '@ferry/wire'
import { ByteReader, ByteWriter, byteKey, copyBytes } from '../binary.js'
import { DEVICE_LIST_FORMAT_VERSION, RECORD_VERSION } from '../constants.js'
import { type Database, Keyspace } from '../database.js'
import { InvalidRequestError, StorageReadError, StorageWriteError, StoreClosedError } from '../errors.js'
import { checkFormatVersion } from '../format.js'
import { KeyedMutex } from '../keyed-mutex.js'
import type { DeviceListBackend } from './types.js'

export interface DeviceListStoreInit {
  /** Name of the sublevel the store writes into. Default 'relay-device-lists'. */
  sublevel?: string
}

interface StoredList {
  listVersion: number
  record: Uint8Array
}

const LIST = Uint8Array.of(0x6c)

function encodeList(list: StoredList): Uint8Array {
  return new ByteWriter(1 + 8 + 4 + list.record.byteLength)
    .u8(RECORD_VERSION)
    .u64(list.listVersion)
    .blob(list.record)
    .finish()
}

function decodeList(bytes: Uint8Array): StoredList {
  const r = new ByteReader(bytes, 'device list')
  r.version(RECORD_VERSION)
  const list = { listVersion: r.u64(), record: r.blob(MAX_DEVICE_LIST_BYTES) }
  r.end()
  return list
}

function checkAccount(accountKey: Uint8Array): void {
  if (!(accountKey instanceof Uint8Array) || accountKey.byteLength !== KEY_BYTES) {
    throw new InvalidRequestError(`an account key must be ${KEY_BYTES} bytes`)
  }
}

export class DeviceListStore implements DeviceListBackend {
  readonly #ks: Keyspace
  readonly #mutex = new KeyedMutex()
  #closed = false

  private constructor(ks: Keyspace) {
    this.#ks = ks
  }

  /** Opens the database if needed (typed errors as in `openDatabase`) and checks the format version. */
  static async open(db: Database, init: DeviceListStoreInit = {}): Promise<DeviceListStore> {
    const ks = new Keyspace(db, init.sublevel ?? 'relay-device-lists')
    await checkFormatVersion(db, ks, DEVICE_LIST_FORMAT_VERSION, 'device-list store')
    return new DeviceListStore(ks)
  }

  async get(accountKey: Uint8Array): Promise<Uint8Array | undefined> {
    return (await this.getWithVersion(accountKey))?.record
  }

  /** The stored list with its version, or undefined. */
  async getWithVersion(accountKey: Uint8Array): Promise<StoredList | undefined> {
    this.#assertOpen()
    checkAccount(accountKey)
    let bytes: Uint8Array | undefined
    try {
      bytes = await this.#ks.get(this.#ks.key(LIST, accountKey))
    } catch (err) {
      throw new StorageReadError('reading a device list failed', { cause: err })
    }
    return bytes === undefined ? undefined : decodeList(bytes)
  }

  async put(accountKey: Uint8Array, listVersion: number, record: Uint8Array): Promise<'stored' | 'stale'> {
    this.#assertOpen()
    checkAccount(accountKey)
    if (!Number.isSafeInteger(listVersion) || listVersion < 0) {
      throw new InvalidRequestError('a list version must be a non-negative safe integer')
    }
    if (
      !(record instanceof Uint8Array) ||
      record.byteLength === 0 ||
      record.byteLength > MAX_DEVICE_LIST_BYTES
    ) {
      throw new InvalidRequestError(`a device list record must be 1..${MAX_DEVICE_LIST_BYTES} bytes`)
    }
    const copy = copyBytes(record)
    return this.#mutex.run(byteKey(accountKey), async () => {
      const current = await this.getWithVersion(accountKey)
      if (current !== undefined && current.listVersion >= listVersion) {
        return 'stale'
      }
      try {
        await this.#ks.write([
          {
            type: 'put',
            key: this.#ks.key(LIST, accountKey),
            value: encodeList({ listVersion, record: copy }),
          },
        ])
      } catch (err) {
        throw new StorageWriteError('writing a device list failed; nothing was changed', { cause: err })
      }
      return 'stored'
    })
  }

  /** Refuses new requests and waits for those under way. Does not close the database. */
  async close(): Promise<void> {
    this.#closed = true
    await this.#mutex.idle()
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StoreClosedError('the device-list store is closed')
    }
  }
}
