/**
 * The relay's configuration keys: one table from which the config file's shape, the FERRY_RELAY_*
 * environment variables, validation and the `--help` text are all derived, so none of them can drift
 * from another. Each key names its type, bounds, default and what it is for. Defaults come from the
 * packages that enforce them (transport limits, storage quotas) unless a server wants another value.
 */
import {
  DEFAULT_MAILBOX_MAX_BYTES,
  DEFAULT_MAILBOX_MAX_ENVELOPES,
  DEFAULT_MAX_DEPOSIT_MAILBOXES,
  DEFAULT_MAX_TTL_MS,
  DEFAULT_STATUS_TOMBSTONE_TTL_MS,
} from '@ferry/storage'
import {
  DEFAULT_DEPOSIT_TTL_MS,
  DEPOSIT_BURST_PER_PEER,
  DEPOSIT_RATE_PER_PEER_PER_SECOND,
  DEVICE_LIST_BURST_PER_PEER,
  DEVICE_LIST_RATE_PER_PEER_PER_SECOND,
  FRAME_READ_TIMEOUT_MS,
  MAILBOX_MAX_INBOUND_STREAMS,
  MAILBOX_MAX_PIPELINED_DEPOSITS,
  MAILBOX_MAX_STREAMS_PER_PEER,
  PREKEY_CLAIM_BURST_PER_REQUESTER,
  PREKEY_CLAIM_RATE_PER_REQUESTER_PER_SECOND,
  PREKEY_ONE_TIME_CLAIM_BURST_PER_TARGET,
  PREKEY_ONE_TIME_CLAIM_RATE_PER_TARGET_PER_SECOND,
  PREKEY_UPLOAD_BURST_PER_PEER,
  PREKEY_UPLOAD_RATE_PER_PEER_PER_SECOND,
  QUERY_BURST_PER_PEER,
  QUERY_RATE_PER_PEER_PER_SECOND,
  RELAY_DEFAULT_LISTEN,
  RELAY_INBOUND_CONNECTION_THRESHOLD,
  RELAY_MAX_CONNECTIONS,
  RELAY_MAX_INBOUND_HOP_STREAMS,
  RELAY_MAX_INCOMING_PENDING_CONNECTIONS,
  RELAY_MAX_RESERVATIONS,
  STREAM_IDLE_TIMEOUT_MS,
} from '@ferry/transport'
import { MAX_DEPOSIT_MAILBOXES, MAX_ENVELOPE_BYTES } from '@ferry/wire'
import {
  DEFAULT_CIRCUIT_DATA_LIMIT_BYTES,
  DEFAULT_CIRCUIT_DURATION_LIMIT_MS,
  DEFAULT_CIRCUIT_RESERVATION_TTL_MS,
  DEFAULT_METRICS_HOST,
  DEFAULT_METRICS_PORT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
} from '../constants.js'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

/** The resolved configuration of a relay: every key present and valid. */
export interface RelayConfig {
  listen: string[]
  announce: string[]
  metrics: { enabled: boolean; host: string; port: number }
  log: { level: LogLevel }
  mailbox: {
    maxEnvelopeBytes: number
    maxDepositMailboxes: number
    maxEnvelopesPerMailbox: number
    maxBytesPerMailbox: number
    defaultTtlMs: number
    maxTtlMs: number
    statusTombstoneTtlMs: number
    sweepIntervalMs: number
    depositBurstPerPeer: number
    depositRatePerPeerPerSecond: number
    queryBurstPerPeer: number
    queryRatePerPeerPerSecond: number
  }
  preKeys: {
    claimBurstPerRequester: number
    claimRatePerRequesterPerSecond: number
    oneTimeClaimBurstPerTarget: number
    oneTimeClaimRatePerTargetPerSecond: number
    uploadBurstPerPeer: number
    uploadRatePerPeerPerSecond: number
  }
  deviceLists: { burstPerPeer: number; ratePerPeerPerSecond: number }
  circuitRelay: {
    maxReservations: number
    reservationTtlMs: number
    durationLimitMs: number
    dataLimitBytes: number
    applyLimits: boolean
    maxInboundHopStreams: number
  }
  connections: {
    maxConnections: number
    inboundConnectionThreshold: number
    maxIncomingPendingConnections: number
  }
  streams: {
    mailboxMaxInboundStreams: number
    mailboxMaxStreamsPerPeer: number
    maxPipelinedDeposits: number
    frameTimeoutMs: number
    idleTimeoutMs: number
  }
  dht: { privateAddresses: boolean }
  shutdownTimeoutMs: number
  drainDelayMs: number
  benchmark: { echo: boolean }
}

export type Kind = 'integer' | 'rate' | 'boolean' | 'multiaddrs' | 'host' | 'log-level'

export interface KeySpec {
  /** Dotted path as the config file spells it: `mailbox.maxTtlMs`. */
  readonly key: string
  readonly kind: Kind
  readonly default: unknown
  /** Inclusive bounds of an integer or rate. */
  readonly min?: number
  readonly max?: number
  /** The unit shown in help (ms, bytes, per second). */
  readonly unit?: string
  readonly description: string
}

const MAX_INT = Number.MAX_SAFE_INTEGER
const DAY_MS = 24 * 60 * 60 * 1000

/** Every configuration key. The order is the order of `--help` and of the README table. */
export const KEYS: readonly KeySpec[] = [
  {
    key: 'listen',
    kind: 'multiaddrs',
    default: [...RELAY_DEFAULT_LISTEN],
    description: 'multiaddrs to listen on (TCP and WebSockets; port 0 picks a free port)',
  },
  {
    key: 'announce',
    kind: 'multiaddrs',
    default: [],
    description: 'multiaddrs to announce instead of the listening ones (a public address, a load balancer)',
  },
  {
    key: 'metrics.enabled',
    kind: 'boolean',
    default: true,
    description: 'serve /metrics, /healthz and /readyz over HTTP',
  },
  { key: 'metrics.host', kind: 'host', default: DEFAULT_METRICS_HOST, description: 'metrics HTTP address' },
  {
    key: 'metrics.port',
    kind: 'integer',
    default: DEFAULT_METRICS_PORT,
    min: 0,
    max: 65535,
    description: 'metrics HTTP port (0 picks a free port; the log says which)',
  },
  { key: 'log.level', kind: 'log-level', default: 'info', description: 'least severe level logged' },
  {
    key: 'mailbox.maxEnvelopeBytes',
    kind: 'integer',
    default: MAX_ENVELOPE_BYTES,
    min: 1,
    max: MAX_ENVELOPE_BYTES,
    unit: 'bytes',
    description: 'largest deposited payload (the wire cap is the ceiling)',
  },
  {
    key: 'mailbox.maxDepositMailboxes',
    kind: 'integer',
    default: Math.min(DEFAULT_MAX_DEPOSIT_MAILBOXES, MAX_DEPOSIT_MAILBOXES),
    min: 1,
    max: MAX_DEPOSIT_MAILBOXES,
    description: 'mailboxes one deposit may list',
  },
  {
    key: 'mailbox.maxEnvelopesPerMailbox',
    kind: 'integer',
    default: DEFAULT_MAILBOX_MAX_ENVELOPES,
    min: 1,
    max: MAX_INT,
    description: 'quota: envelopes one mailbox may hold (a full mailbox refuses, never evicts)',
  },
  {
    key: 'mailbox.maxBytesPerMailbox',
    kind: 'integer',
    default: DEFAULT_MAILBOX_MAX_BYTES,
    min: 1,
    max: MAX_INT,
    unit: 'bytes',
    description: 'quota: payload bytes one mailbox may hold',
  },
  {
    key: 'mailbox.defaultTtlMs',
    kind: 'integer',
    default: Math.min(DEFAULT_DEPOSIT_TTL_MS, DEFAULT_MAX_TTL_MS),
    min: 1,
    max: MAX_INT,
    unit: 'ms',
    description:
      'TTL of a deposit that asks for none (when not set: the smaller of 30 days and mailbox.maxTtlMs)',
  },
  {
    key: 'mailbox.maxTtlMs',
    kind: 'integer',
    default: DEFAULT_MAX_TTL_MS,
    min: 1,
    max: 365 * DAY_MS,
    unit: 'ms',
    description: 'TTL cap, on the relay clock: longer requests are shortened to it',
  },
  {
    key: 'mailbox.statusTombstoneTtlMs',
    kind: 'integer',
    default: DEFAULT_STATUS_TOMBSTONE_TTL_MS,
    min: 0,
    max: 365 * DAY_MS,
    unit: 'ms',
    description: 'how long an expired envelope still answers status queries as expired',
  },
  {
    key: 'mailbox.sweepIntervalMs',
    kind: 'integer',
    default: DEFAULT_SWEEP_INTERVAL_MS,
    min: 10,
    max: DAY_MS,
    unit: 'ms',
    description: 'how often expired payloads are deleted',
  },
  {
    key: 'mailbox.depositBurstPerPeer',
    kind: 'integer',
    default: DEPOSIT_BURST_PER_PEER,
    min: 1,
    max: MAX_INT,
    description: 'deposit rate limit: burst per peer',
  },
  {
    key: 'mailbox.depositRatePerPeerPerSecond',
    kind: 'rate',
    default: DEPOSIT_RATE_PER_PEER_PER_SECOND,
    unit: 'per second',
    description: 'deposit rate limit: sustained rate per peer',
  },
  {
    key: 'mailbox.queryBurstPerPeer',
    kind: 'integer',
    default: QUERY_BURST_PER_PEER,
    min: 1,
    max: MAX_INT,
    description: 'challenges and status queries: burst per peer',
  },
  {
    key: 'mailbox.queryRatePerPeerPerSecond',
    kind: 'rate',
    default: QUERY_RATE_PER_PEER_PER_SECOND,
    unit: 'per second',
    description: 'challenges and status queries: sustained rate per peer',
  },
  {
    key: 'preKeys.claimBurstPerRequester',
    kind: 'integer',
    default: PREKEY_CLAIM_BURST_PER_REQUESTER,
    min: 1,
    max: MAX_INT,
    description: 'pre-key claims: burst per requester',
  },
  {
    key: 'preKeys.claimRatePerRequesterPerSecond',
    kind: 'rate',
    default: PREKEY_CLAIM_RATE_PER_REQUESTER_PER_SECOND,
    unit: 'per second',
    description: 'pre-key claims: sustained rate per requester',
  },
  {
    key: 'preKeys.oneTimeClaimBurstPerTarget',
    kind: 'integer',
    default: PREKEY_ONE_TIME_CLAIM_BURST_PER_TARGET,
    min: 1,
    max: MAX_INT,
    description: 'one-time pre-keys handed out per target device: burst (then last-resort keys only)',
  },
  {
    key: 'preKeys.oneTimeClaimRatePerTargetPerSecond',
    kind: 'rate',
    default: PREKEY_ONE_TIME_CLAIM_RATE_PER_TARGET_PER_SECOND,
    unit: 'per second',
    description: 'one-time pre-keys handed out per target device: sustained rate',
  },
  {
    key: 'preKeys.uploadBurstPerPeer',
    kind: 'integer',
    default: PREKEY_UPLOAD_BURST_PER_PEER,
    min: 1,
    max: MAX_INT,
    description: 'pre-key uploads: burst per peer',
  },
  {
    key: 'preKeys.uploadRatePerPeerPerSecond',
    kind: 'rate',
    default: PREKEY_UPLOAD_RATE_PER_PEER_PER_SECOND,
    unit: 'per second',
    description: 'pre-key uploads: sustained rate per peer',
  },
  {
    key: 'deviceLists.burstPerPeer',
    kind: 'integer',
    default: DEVICE_LIST_BURST_PER_PEER,
    min: 1,
    max: MAX_INT,
    description: 'device-list requests: burst per peer',
  },
  {
    key: 'deviceLists.ratePerPeerPerSecond',
    kind: 'rate',
    default: DEVICE_LIST_RATE_PER_PEER_PER_SECOND,
    unit: 'per second',
    description: 'device-list requests: sustained rate per peer',
  },
  {
    key: 'circuitRelay.maxReservations',
    kind: 'integer',
    default: RELAY_MAX_RESERVATIONS,
    min: 0,
    max: MAX_INT,
    description: 'circuit relay v2 reservations held at once',
  },
  {
    key: 'circuitRelay.reservationTtlMs',
    kind: 'integer',
    default: DEFAULT_CIRCUIT_RESERVATION_TTL_MS,
    min: 1000,
    max: DAY_MS,
    unit: 'ms',
    description: 'lifetime of a reservation before the device renews it',
  },
  {
    key: 'circuitRelay.durationLimitMs',
    kind: 'integer',
    default: DEFAULT_CIRCUIT_DURATION_LIMIT_MS,
    min: 1000,
    max: DAY_MS,
    unit: 'ms',
    description: 'longest a relayed connection stays open (libp2p default: 2 minutes)',
  },
  {
    key: 'circuitRelay.dataLimitBytes',
    kind: 'integer',
    default: DEFAULT_CIRCUIT_DATA_LIMIT_BYTES,
    min: 1024,
    max: MAX_INT,
    unit: 'bytes',
    description: 'most bytes a relayed connection carries (libp2p default: 128 KiB)',
  },
  {
    key: 'circuitRelay.applyLimits',
    kind: 'boolean',
    default: true,
    description: 'apply the duration and data limits to relayed connections at all',
  },
  {
    key: 'circuitRelay.maxInboundHopStreams',
    kind: 'integer',
    default: RELAY_MAX_INBOUND_HOP_STREAMS,
    min: 1,
    max: MAX_INT,
    description: 'relayed connections being set up at once',
  },
  {
    key: 'connections.maxConnections',
    kind: 'integer',
    default: RELAY_MAX_CONNECTIONS,
    min: 1,
    max: MAX_INT,
    description: 'connections held before libp2p prunes (libp2p default: 300)',
  },
  {
    key: 'connections.inboundConnectionThreshold',
    kind: 'integer',
    default: RELAY_INBOUND_CONNECTION_THRESHOLD,
    min: 1,
    max: MAX_INT,
    unit: 'per second',
    description: 'inbound connections accepted per second from one host (libp2p default: 5)',
  },
  {
    key: 'connections.maxIncomingPendingConnections',
    kind: 'integer',
    default: RELAY_MAX_INCOMING_PENDING_CONNECTIONS,
    min: 1,
    max: MAX_INT,
    description: 'inbound connections in their handshake at once (libp2p default: 10)',
  },
  {
    key: 'streams.mailboxMaxInboundStreams',
    kind: 'integer',
    default: MAILBOX_MAX_INBOUND_STREAMS,
    min: 1,
    max: 65536,
    description: 'mailbox streams per connection',
  },
  {
    key: 'streams.mailboxMaxStreamsPerPeer',
    kind: 'integer',
    default: MAILBOX_MAX_STREAMS_PER_PEER,
    min: 1,
    max: 65536,
    description: 'mailbox streams per peer across its connections',
  },
  {
    key: 'streams.maxPipelinedDeposits',
    kind: 'integer',
    default: MAILBOX_MAX_PIPELINED_DEPOSITS,
    min: 1,
    max: 4096,
    description: 'deposits in flight per stream (reading pauses beyond)',
  },
  {
    key: 'streams.frameTimeoutMs',
    kind: 'integer',
    default: FRAME_READ_TIMEOUT_MS,
    min: 10,
    max: 10 * 60 * 1000,
    unit: 'ms',
    description: 'a started frame must arrive whole within this, or the stream is reset (slow-loris)',
  },
  {
    key: 'streams.idleTimeoutMs',
    kind: 'integer',
    default: STREAM_IDLE_TIMEOUT_MS,
    min: 10,
    max: DAY_MS,
    unit: 'ms',
    description: 'a request stream idle this long is closed',
  },
  {
    key: 'dht.privateAddresses',
    kind: 'boolean',
    default: false,
    description: 'keep private and loopback addresses in DHT records (LANs and tests)',
  },
  {
    key: 'shutdownTimeoutMs',
    kind: 'integer',
    default: DEFAULT_SHUTDOWN_TIMEOUT_MS,
    min: 100,
    max: 10 * 60 * 1000,
    unit: 'ms',
    description: 'time to finish in-flight writes on SIGTERM before exiting with an error',
  },
  {
    key: 'drainDelayMs',
    kind: 'integer',
    default: 0,
    min: 0,
    max: 5 * 60 * 1000,
    unit: 'ms',
    description:
      'on SIGTERM, /readyz answers 503 for this long before the relay stops serving (a load balancer notices first)',
  },
  {
    key: 'benchmark.echo',
    kind: 'boolean',
    default: false,
    description: `serve a byte echo protocol for the benchmark's baseline (never in production)`,
  },
]

/** The specs by key. */
export const KEY_MAP: ReadonlyMap<string, KeySpec> = new Map(KEYS.map((spec) => [spec.key, spec]))

/** `mailbox.maxTtlMs` → `FERRY_RELAY_MAILBOX_MAX_TTL_MS`. */
export function envName(key: string): string {
  return `FERRY_RELAY_${key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toUpperCase()}`
}

/** Environment variables that are not config keys but are read by the CLI. */
export const ENV_DATA = 'FERRY_RELAY_DATA'
export const ENV_CONFIG = 'FERRY_RELAY_CONFIG'
