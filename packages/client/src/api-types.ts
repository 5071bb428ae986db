/**
 * The shapes of the messenger's options and results that several of its modules share (apps import
 * them from the package root).
 */
import type { CryptoProvider } from '@ferry/crypto'
import type { Database } from '@ferry/storage'
import type { ComponentLogger } from '@libp2p/interface'
import type { CreateHost } from './network.js'

export interface MessengerInit {
  /** Any abstract-level database: classic-level in Node, browser-level in browsers, memory-level in tests. */
  readonly db: Database
  /** Crypto provider; the platform's default (node:crypto in Node, WebCrypto in browsers) otherwise. */
  readonly provider?: CryptoProvider
  /** Listening addresses of this device's libp2p host; the platform's defaults otherwise. */
  readonly listen?: readonly string[]
  /** Builds the libp2p host; the platform's preset otherwise. */
  readonly createHost?: CreateHost
  /** The clock (ms since the epoch). */
  readonly now?: () => number
  readonly logger?: ComponentLogger
  /**
   * Bytes free on the disk that holds `db`, or undefined when unknown. Given it, the store does not
   * close its database to recover from a failed write while the disk is still full, so reads keep
   * working meanwhile (@ferry/storage's recovery; Node: `statfs` of the data directory).
   */
  readonly freeBytes?: () => Promise<number | undefined>
  /**
   * How long after the first delivery receipt owed since the last sealing the owed receipts are sealed
   * (one per device, naming every message owed to it). Default: RECEIPT_COALESCE_MS (250 ms).
   */
  readonly receiptDelayMs?: number
}

export interface SendResult {
  /** 32 hex digits. */
  readonly id: string
  readonly devices: ReadonlyArray<{ account: string; device: number; status: string }>
}

export interface AbortOptions {
  readonly signal?: AbortSignal
}
