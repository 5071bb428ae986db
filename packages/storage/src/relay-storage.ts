/**
 * Everything a relay keeps, in one database (one LevelDB directory): the mailbox, pre-key and
 * device-list stores in their own sublevels. Owns the order of opening (the database first, with typed
 * errors for a locked or corrupt directory) and of closing (the stores finish their writes, then the
 * database closes). While open, the database's recovery (recovery.ts) closes and opens it again by
 * itself after a failed write.
 */
import { type Database, openDatabase } from './database.js'
import { DeviceListStore, type DeviceListStoreInit } from './device-lists/index.js'
import { MailboxStore, type MailboxStoreInit } from './mailbox/index.js'
import { PreKeyStore, type PreKeyStoreInit } from './prekeys/index.js'
import { type RecoveryInit, type RecoveryStats, recoveryOf } from './recovery.js'

export interface RelayStorageInit {
  /** The relay's database, e.g. `new ClassicLevel(join(dataDir, 'store'))`; opened here if it is not. */
  db: Database
  mailbox?: MailboxStoreInit
  preKeys?: PreKeyStoreInit
  deviceLists?: DeviceListStoreInit
  /**
   * Recovery from failed writes (recovery.ts): its clock and the least time between reopen attempts.
   * Defaults: `performance.now`, DEFAULT_REOPEN_INTERVAL_MS.
   */
  recovery?: RecoveryInit
}

export interface RelayStorage {
  mailbox: MailboxStore
  preKeys: PreKeyStore
  deviceLists: DeviceListStore
  /** What the database's recovery from failed writes did: its state, reopens and failed attempts. */
  recoveryStats(): RecoveryStats
  /** Finishes in-flight writes of every store, then closes the database. Idempotent. */
  close(): Promise<void>
}

/**
 * Opens the relay's stores. Throws StoreLockedError when another process uses the directory,
 * StoreCorruptError for corrupt files, StoreVersionError for a store written by newer code.
 */
export async function openRelayStorage(init: RelayStorageInit): Promise<RelayStorage> {
  const { db } = init
  await openDatabase(db)
  const recovery = recoveryOf(db, init.recovery ?? {})
  try {
    const mailbox = await MailboxStore.open(db, init.mailbox)
    const preKeys = await PreKeyStore.open(db, init.preKeys)
    const deviceLists = await DeviceListStore.open(db, init.deviceLists)
    let closing: Promise<void> | undefined
    return {
      mailbox,
      preKeys,
      deviceLists,
      recoveryStats: () => recovery.stats(),
      close: () => {
        closing ??= (async () => {
          await Promise.all([mailbox.close(), preKeys.close(), deviceLists.close()])
          await recovery.close()
          await db.close()
        })()
        return closing
      },
    }
  } catch (err) {
    await db.close().catch(() => {})
    throw err
  }
}
