/**
 * @packageDocumentation
 *
 * `ferry-relay` as a library: start a relay in this process (for the demo, tests and embedding), with
 * the same data directory, configuration and metrics as the `ferry-relay` command.
 *
 * @example A relay on loopback with a short TTL cap, then a clean stop
 * ```ts
 * import { startRelay } from '@ferry/relay-node'
 *
 * const relay = await startRelay({
 *   dataDir: '/var/lib/ferry-relay',
 *   config: {
 *     listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'],
 *     metrics: { port: 0 },
 *     mailbox: { maxTtlMs: 7 * 24 * 3600_000 },
 *   },
 * })
 * console.log(relay.peerId.toString(), relay.addrs, relay.metricsUrl)
 * // ... devices deposit and fetch through relay.multiaddrs ...
 * await relay.stop() // finishes in-flight writes, closes the store
 * ```
 */

export { BENCH_ECHO_PROTOCOL } from './bench-echo.js'
export { type ConfigInputs, defaultConfig, readConfigFile, resolveConfig } from './config/resolve.js'
export { envName, KEYS, type KeySpec, type LogLevel, type RelayConfig } from './config/schema.js'
export * from './constants.js'
export * from './errors.js'
export {
  createLogger,
  type LogFields,
  type LoggerInit,
  type RelayLogger,
  shortId,
  silentLogger,
} from './logger.js'
export { processMemory } from './metrics/relay-metrics.js'
export { type RelayConfigInit, type RelayHandle, type StartRelayInit, startRelay } from './relay.js'
export type { SweepTotals } from './sweeper.js'
export { RELAY_VERSION } from './version.js'
