/**
 * One relay, started and stopped: the data directory (LevelDB store, identity key), the libp2p host
 * with the mailbox, pre-key and device-list services, circuit relay and DHT, the expiry sweep, and the
 * metrics and health endpoint. Owns the order of starting (storage first: it takes the directory's
 * lock) and of stopping (drain: readiness off, services finish in-flight writes, connections close,
 * libp2p stops, storage closes), and turns failures underneath into one clear RelayError.
 */
import { mkdir, statfs } from 'node:fs/promises'
import { join } from 'node:path'
import { type MailboxStats, openRelayStorage, type RelayStorage } from '@ferry/storage'
import { installNodeWebSocket, installPolyfills } from '@ferry/transport'
import type { Libp2p, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { ClassicLevel } from 'classic-level'
import { BENCH_ECHO_MAX_STREAMS, BENCH_ECHO_PROTOCOL, echoStream } from './bench-echo.js'
import { type ConfigInputs, resolveConfig } from './config/resolve.js'
import type { RelayConfig } from './config/schema.js'
import { DATA_DIR_MODE, STORE_DIR_NAME } from './constants.js'
import {
  ConfigError,
  DataDirCorruptError,
  DataDirLockedError,
  RelayError,
  RelayStartError,
} from './errors.js'
import { createHost, type RelayHostServices } from './host.js'
import { loadOrCreateIdentity } from './identity.js'
import { type RelayLogger, shortId, silentLogger } from './logger.js'
import { type MetricsServer, startMetricsServer } from './metrics/http-server.js'
import { RelayMetrics } from './metrics/relay-metrics.js'
import { ExpirySweeper, type SweepTotals } from './sweeper.js'
import { RELAY_VERSION } from './version.js'

/** Any part of a RelayConfig: what is given is validated and merged over the defaults. */
export type RelayConfigInit = {
  [K in keyof RelayConfig]?: RelayConfig[K] extends unknown[]
    ? RelayConfig[K]
    : RelayConfig[K] extends object
      ? Partial<RelayConfig[K]>
      : RelayConfig[K]
}

export interface StartRelayInit {
  /** The data directory (created if missing): the store and the identity key live here. */
  dataDir: string
  /** Configuration over the defaults (validated). The CLI passes a resolved one. */
  config?: RelayConfigInit
  /** Where the relay logs. Default: nothing is logged. */
  logger?: RelayLogger
  /** The relay's clock, ms (TTLs, challenges, rate limits). Default: Date.now. */
  now?: () => number
}

type Services = RelayHostServices

export interface RelayHandle {
  readonly peerId: PeerId
  /** Dialable multiaddrs as text, each ending in /p2p/<peerId> (what the ready line prints). */
  readonly addrs: string[]
  /** The same addresses, to dial (`client.deposit(relay.multiaddrs, ...)`). */
  readonly multiaddrs: Multiaddr[]
  /** `http://host:port` of /metrics, /healthz and /readyz, when metrics are enabled. */
  readonly metricsUrl: string | undefined
  readonly config: RelayConfig
  /** The libp2p host (for in-process embedding, e.g. the demo). */
  readonly node: Libp2p<Services>
  /** The Prometheus text of /metrics. */
  metrics(): string
  /** What the mailbox store holds and has done since it opened. */
  storageStats(): MailboxStats
  /** Runs an expiry sweep now (the timer runs them every `mailbox.sweepIntervalMs`). */
  sweep(): Promise<SweepTotals>
  /** True once started and until stopping begins. */
  readonly ready: boolean
  /**
   * Drains and stops: readiness goes off, services finish in-flight writes, connections close,
   * libp2p stops, storage closes, the metrics server closes. Idempotent; rejects with RelayError if
   * it takes longer than `shutdownTimeoutMs`.
   */
  stop(): Promise<void>
}

function resolve(init: RelayConfigInit | undefined): RelayConfig {
  const inputs: ConfigInputs = init === undefined ? {} : { file: { path: 'startRelay config', data: init } }
  const { config, errors } = resolveConfig(inputs)
  if (config === undefined) {
    throw errors[0] ?? new ConfigError('(config)', 'invalid')
  }
  return config
}

/** A store opening failure as the operator should read it. */
function storageError(err: unknown, dataDir: string): RelayError {
  const name = (err as { name?: unknown })?.name
  if (name === 'StoreLockedError') {
    return new DataDirLockedError(
      `another ferry-relay process is using ${dataDir}: stop it, or start this one with another --data directory`,
    )
  }
  if (name === 'StoreCorruptError') {
    return new DataDirCorruptError(
      `the database in ${join(dataDir, STORE_DIR_NAME)} is corrupt: restore the data directory from a backup`,
    )
  }
  if (name === 'StoreVersionError') {
    return new DataDirCorruptError(
      `the database in ${join(dataDir, STORE_DIR_NAME)} was written by a newer ferry-relay: run that version`,
    )
  }
  if (name === 'InvalidConfigError') {
    const key = (err as { key?: string }).key ?? '(mailbox)'
    return new ConfigError(key, (err as Error).message)
  }
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause
  return new RelayStartError(
    `cannot open the database in ${join(dataDir, STORE_DIR_NAME)} (${cause?.code ?? cause?.message ?? (err as Error)?.message ?? 'error'})`,
  )
}

async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RelayError(`${what} took longer than ${ms} ms`)), ms)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** Starts a relay. Throws a RelayError (DataDirLockedError, DataDirCorruptError, ConfigError, ...). */
export async function startRelay(init: StartRelayInit): Promise<RelayHandle> {
  installPolyfills()
  await installNodeWebSocket()
  const config = resolve(init.config)
  const log = init.logger ?? silentLogger
  const now = init.now ?? Date.now
  const { dataDir } = init

  try {
    await mkdir(dataDir, { recursive: true, mode: DATA_DIR_MODE })
  } catch (err) {
    throw new RelayStartError(
      `cannot create the data directory ${dataDir} (${(err as { code?: string }).code ?? 'error'})`,
    )
  }

  let storage: RelayStorage
  try {
    storage = await openRelayStorage({
      db: new ClassicLevel(join(dataDir, STORE_DIR_NAME)),
      mailbox: {
        now,
        maxEnvelopeBytes: config.mailbox.maxEnvelopeBytes,
        maxDepositMailboxes: config.mailbox.maxDepositMailboxes,
        mailboxMaxEnvelopes: config.mailbox.maxEnvelopesPerMailbox,
        mailboxMaxBytes: config.mailbox.maxBytesPerMailbox,
        maxTtlMs: config.mailbox.maxTtlMs,
        statusTombstoneTtlMs: config.mailbox.statusTombstoneTtlMs,
        onListenerError: (err) => log.error('a live-push listener failed', { error: (err as Error)?.name }),
      },
      // on a disk still full the store stays open for fetches rather than closing to reopen
      recovery: { freeBytes: () => freeBytesOf(dataDir) },
    })
  } catch (err) {
    throw storageError(err, dataDir)
  }

  const metrics = new RelayMetrics({ version: RELAY_VERSION, startedAt: now() })
  metrics.attach({
    mailboxStats: () => storage.mailbox.stats(),
    storageRecovery: () => storage.recoveryStats(),
  })
  let state: 'starting' | 'ready' | 'draining' | 'stopped' = 'starting'
  let http: MetricsServer | undefined
  let node: Libp2p<Services> | undefined
  const sweeper = new ExpirySweeper({
    store: storage.mailbox,
    intervalMs: config.mailbox.sweepIntervalMs,
    log,
    onSwept: (totals) => metrics.swept(totals.batches),
  })

  try {
    const identity = await loadOrCreateIdentity(dataDir)
    if (identity.looseMode !== undefined) {
      log.warn('the identity key is readable by other users: chmod 600 it', {
        mode: identity.looseMode.toString(8),
      })
    }
    if (config.metrics.enabled) {
      http = await startMetricsServer({
        host: config.metrics.host,
        port: config.metrics.port,
        render: () => metrics.render(),
        notReady: () => (state === 'ready' ? undefined : state),
      })
      log.info('metrics listening', { url: http.url })
    }
    node = await createHost({ config, privateKey: identity.privateKey, storage, metrics, now })
    const host: Libp2p<Services> = node
    host.addEventListener('connection:open', () => metrics.connectionOpened())
    metrics.attach({
      connections: () => host.getConnections().length,
      mailboxServer: () => host.services.mailbox.stats(),
    })
    if (config.benchmark.echo) {
      await host.handle(BENCH_ECHO_PROTOCOL, (stream) => echoStream(stream), {
        maxInboundStreams: BENCH_ECHO_MAX_STREAMS,
        maxOutboundStreams: BENCH_ECHO_MAX_STREAMS,
      })
      log.warn('benchmark echo protocol enabled: never run a public relay like this')
    }
  } catch (err) {
    metrics.close()
    await Promise.resolve(node?.stop()).catch(() => {})
    await http?.close()
    await storage.close().catch(() => {})
    throw err instanceof RelayError ? err : new RelayStartError(`cannot start (${(err as Error)?.message})`)
  }

  const host: Libp2p<Services> = node!
  sweeper.start()
  state = 'ready'
  const multiaddrs = host.getMultiaddrs()
  const addrs = multiaddrs.map((addr) => addr.toString())
  const stats = storage.mailbox.stats()
  log.info('relay ready', {
    peer: shortId(host.peerId.toString()),
    addrs: addrs.length,
    envelopes: stats.storedEnvelopes,
    mailboxes: stats.mailboxes,
  })

  let stopping: Promise<void> | undefined
  const drain = async (): Promise<void> => {
    state = 'draining'
    if (config.drainDelayMs > 0) {
      log.info('draining: not ready; still serving', { ms: config.drainDelayMs })
      await new Promise((resolve) => setTimeout(resolve, config.drainDelayMs))
    }
    log.info('draining: finishing in-flight writes')
    await sweeper.stop()
    const services = host.services
    await Promise.all([services.mailbox.stop(), services.prekeys.stop(), services.deviceLists.stop()])
    if (config.benchmark.echo) {
      await Promise.resolve(host.unhandle(BENCH_ECHO_PROTOCOL)).catch(() => {})
    }
    // close connections before libp2p stops: identify pushes racing closing connections raise errors
    await Promise.all(
      host.getConnections().map(async (connection) => {
        try {
          await connection.close({ signal: AbortSignal.timeout(2_000) })
        } catch {
          connection.abort(new RelayError('the relay is stopping'))
        }
      }),
    )
    await host.stop()
    const final = storage.mailbox.stats()
    await storage.close()
    state = 'stopped'
    metrics.close()
    log.info('stopped', { envelopes: final.storedEnvelopes })
    await http?.close()
  }

  return {
    peerId: host.peerId,
    addrs,
    multiaddrs,
    metricsUrl: http?.url,
    config,
    node: host,
    metrics: () => metrics.render(),
    storageStats: () => storage.mailbox.stats(),
    sweep: () => sweeper.sweepNow(),
    get ready() {
      return state === 'ready'
    },
    stop: () => {
      stopping ??= withDeadline(drain(), config.drainDelayMs + config.shutdownTimeoutMs, 'stopping the relay')
      return stopping
    },
  }
}

/** Bytes free for this process on the file system of `dir`, or undefined when it cannot be told. */
async function freeBytesOf(dir: string): Promise<number | undefined> {
  try {
    const { bavail, bsize } = await statfs(dir)
    return bavail * bsize
  } catch {
    return undefined
  }
}
