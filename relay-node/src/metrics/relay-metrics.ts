/**
 * The relay's metrics: what its services report (deposits, fetch sessions, acks, status queries,
 * refusals by reason, pre-key and device-list traffic), what its store holds, its connections, the
 * durable-write latency, memory and build. Names start with `ferry_relay_`, use base units (seconds,
 * bytes), counters end in `_total`, and no label ever carries a peer, mailbox, envelope or account ID:
 * labels are fixed enumerations (status names, protocol names).
 */
import { readFileSync } from 'node:fs'
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks'
import type { MailboxStats, RecoveryStats } from '@ferry/storage'
import type {
  DeviceListServerEvent,
  MailboxServerEvent,
  MailboxServerStats,
  PreKeyServerEvent,
} from '@ferry/transport'
import { StatusCode, statusName } from '@ferry/wire'
import { DURABLE_WRITE_BUCKETS_SECONDS } from '../constants.js'
import { type Counter, type Histogram, Registry } from './registry.js'

/** What the metrics read at scrape time. Each is optional until the relay has it. */
export interface MetricSources {
  mailboxStats?: () => MailboxStats
  /** The store's recovery from failed writes (closing and opening the database again). */
  storageRecovery?: () => RecoveryStats
  mailboxServer?: () => MailboxServerStats
  connections?: () => number
}

/** `MAILBOX_FULL` → `mailbox_full`; `rate-limited` → `rate_limited`. */
function labelOf(name: string): string {
  return name.toLowerCase().replace(/-/g, '_')
}

function statusLabel(status: number): string {
  return labelOf(statusName(status))
}

/** Resident and anonymous memory of this process, from /proc (Linux); undefined elsewhere. */
export function processMemory(pid: number | 'self' = 'self'): { rss: number; anonymous: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field: string): number | undefined => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
      return match === null ? undefined : Number(match[1]) * 1024
    }
    const rss = kb('VmRSS')
    const anonymous = kb('RssAnon')
    return rss === undefined || anonymous === undefined ? undefined : { rss, anonymous }
  } catch {
    return undefined
  }
}

export class RelayMetrics {
  readonly registry = new Registry()
  readonly #sources: MetricSources = {}
  readonly #deposits: Counter
  readonly #depositBytes: Counter
  readonly #refusals: Counter
  readonly #durableWrite: Histogram
  readonly #sessions: Counter
  readonly #fetched: Counter
  readonly #fetchedBytes: Counter
  readonly #acks: Counter
  readonly #ackRequests: Counter
  readonly #statusQueries: Counter
  readonly #connectionsOpened: Counter
  readonly #preKeyUploads: Counter
  readonly #preKeyClaims: Counter
  readonly #deviceLists: Counter
  readonly #sweeps: Counter
  readonly #loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 })

  constructor(init: { version: string; startedAt: number }) {
    const r = this.registry
    this.#loopDelay.enable()
    const stats = (): MailboxStats | undefined => this.#sources.mailboxStats?.()
    r.gauge('ferry_relay_build_info', 'Build of this relay (always 1).', ['version', 'node_version'], (set) =>
      set(1, { version: init.version, node_version: process.version }),
    )
    r.gauge('ferry_relay_start_time_seconds', 'When this relay process started, Unix time.', [], (set) =>
      set(init.startedAt / 1000),
    )
    this.#deposits = r.counter('ferry_relay_deposits_total', 'Deposits answered, by result.', ['result'])
    for (const result of ['stored', 'duplicate', 'refused']) {
      this.#deposits.touch({ result })
    }
    this.#depositBytes = r.counter('ferry_relay_deposited_bytes_total', 'Payload bytes of deposits stored.')
    this.#durableWrite = r.histogram(
      'ferry_relay_durable_write_seconds',
      'Time from receiving a deposit to its durable (fsynced, group-committed) write.',
      DURABLE_WRITE_BUCKETS_SECONDS,
    )
    this.#refusals = r.counter(
      'ferry_relay_refusals_total',
      'Requests and streams refused, by protocol and reason.',
      ['protocol', 'reason'],
    )
    this.#sessions = r.counter(
      'ferry_relay_fetch_sessions_total',
      'Fetch sessions opened; unauthorised ones were answered as an empty mailbox.',
      ['result'],
    )
    this.#sessions.touch({ result: 'authorised' })
    this.#sessions.touch({ result: 'unauthorised' })
    this.#fetched = r.counter(
      'ferry_relay_fetched_envelopes_total',
      'Envelopes sent to fetching devices, by payload: group (one copy for a group) or pairwise.',
      ['payload'],
    )
    this.#fetched.touch({ payload: 'group' })
    this.#fetched.touch({ payload: 'pairwise' })
    this.#fetchedBytes = r.counter(
      'ferry_relay_fetched_bytes_total',
      'Payload bytes sent to fetching devices.',
    )
    this.#acks = r.counter('ferry_relay_acks_total', 'Envelope copies acknowledged by their mailbox.')
    this.#ackRequests = r.counter(
      'ferry_relay_ack_ids_total',
      'Envelope IDs in ack requests (more than acks when a mailbox acks what it does not hold).',
    )
    this.#statusQueries = r.counter(
      'ferry_relay_status_queries_total',
      'Envelope IDs asked about in status queries.',
    )
    r.gauge('ferry_relay_stored_envelopes', 'Envelopes held (each payload once).', [], (set) =>
      set(stats()?.storedEnvelopes ?? 0),
    )
    r.gauge('ferry_relay_stored_bytes', 'Payload bytes held.', [], (set) => set(stats()?.storedBytes ?? 0))
    r.gauge('ferry_relay_mailboxes', 'Mailboxes holding at least one envelope.', [], (set) =>
      set(stats()?.mailboxes ?? 0),
    )
    r.counter(
      'ferry_relay_expired_envelopes_total',
      'Envelopes deleted because their TTL passed.',
      [],
      (set) => set(stats()?.expiries ?? 0),
    )
    r.counter('ferry_relay_storage_batches_total', 'Durable write batches (group commits).', [], (set) =>
      set(stats()?.batches ?? 0),
    )
    r.counter('ferry_relay_storage_write_errors_total', 'Write batches that failed.', [], (set) =>
      set(stats()?.writeErrors ?? 0),
    )
    const recovery = (): RecoveryStats | undefined => this.#sources.storageRecovery?.()
    r.gauge(
      'ferry_relay_storage_writable',
      'Whether the store takes writes (0 from a failed write until the database is opened again).',
      [],
      (set) => set(recovery()?.state === 'tainted' || recovery()?.state === 'down' ? 0 : 1),
    )
    r.counter(
      'ferry_relay_storage_reopens_total',
      'Attempts to close and open the database again after a failed write, by result (failed: the open failed, or was not tried with the disk still full).',
      ['result'],
      (set) => {
        set(recovery()?.reopens ?? 0, { result: 'opened' })
        set(recovery()?.failedReopens ?? 0, { result: 'failed' })
      },
    )
    this.#sweeps = r.counter('ferry_relay_expiry_sweeps_total', 'Expiry sweep batches run.')
    r.gauge('ferry_relay_connections', 'Open libp2p connections.', [], (set) =>
      set(this.#sources.connections?.() ?? 0),
    )
    this.#connectionsOpened = r.counter('ferry_relay_connections_opened_total', 'libp2p connections opened.')
    r.gauge('ferry_relay_mailbox_streams', 'Open mailbox protocol streams.', [], (set) =>
      set(this.#sources.mailboxServer?.().openStreams ?? 0),
    )
    r.gauge('ferry_relay_fetch_sessions', 'Fetch sessions open now.', [], (set) =>
      set(this.#sources.mailboxServer?.().sessions ?? 0),
    )
    this.#preKeyUploads = r.counter(
      'ferry_relay_prekey_uploads_total',
      'Pre-key uploads answered, by result.',
      ['result'],
    )
    this.#preKeyClaims = r.counter(
      'ferry_relay_prekey_claims_total',
      'Pre-key claims answered, by result and whether one-time keys were handed out.',
      ['result', 'one_time'],
    )
    this.#deviceLists = r.counter(
      'ferry_relay_device_list_requests_total',
      'Device-list requests answered, by operation and result.',
      ['operation', 'result'],
    )
    r.gauge('ferry_relay_resident_memory_bytes', 'Resident memory of the relay process.', [], (set) =>
      set(processMemory()?.rss ?? process.memoryUsage().rss),
    )
    r.gauge(
      'ferry_relay_anonymous_memory_bytes',
      'Anonymous resident memory (RSS without file-backed pages such as LevelDB maps).',
      [],
      (set) => set(processMemory()?.anonymous ?? Number.NaN),
    )
    r.gauge('ferry_relay_heap_used_bytes', 'V8 heap in use.', [], (set) =>
      set(process.memoryUsage().heapUsed),
    )
    r.gauge(
      'ferry_relay_heap_total_bytes',
      'V8 heap held: what is in use plus the room V8 keeps to grow into.',
      [],
      (set) => set(process.memoryUsage().heapTotal),
    )
    r.gauge(
      'ferry_relay_event_loop_delay_seconds',
      'Event-loop delay since the previous scrape (a stalled loop delays every client): median, 99th percentile, maximum.',
      ['quantile'],
      (set) => {
        const h = this.#loopDelay
        const seconds = (ns: number): number => (h.count === 0 ? 0 : ns / 1e9)
        set(seconds(h.percentile(50)), { quantile: '0.5' })
        set(seconds(h.percentile(99)), { quantile: '0.99' })
        set(seconds(h.max), { quantile: '1' })
        h.reset()
      },
    )
  }

  /** Stops the event-loop monitor (when the relay stops). */
  close(): void {
    this.#loopDelay.disable()
  }

  /** Connects the scrape-time sources (storage, services, connections) once they exist. */
  attach(sources: MetricSources): void {
    Object.assign(this.#sources, sources)
  }

  readonly onMailboxEvent = (event: MailboxServerEvent): void => {
    switch (event.type) {
      case 'deposit':
        if (event.status === StatusCode.OK || event.status === StatusCode.DUPLICATE) {
          this.#deposits.inc({ result: event.status === StatusCode.OK ? 'stored' : 'duplicate' })
          if (event.status === StatusCode.OK) {
            this.#depositBytes.inc(undefined, event.bytes)
          }
          this.#durableWrite.observe(event.durationMs / 1000)
        } else {
          this.#deposits.inc({ result: 'refused' })
          // a rate-limited deposit is also reported as a 'refused' event: count it once
          if (event.status !== StatusCode.RATE_LIMITED) {
            this.#refusals.inc({ protocol: 'mailbox', reason: statusLabel(event.status) })
          }
        }
        return
      case 'refused':
        this.#refusals.inc({ protocol: 'mailbox', reason: labelOf(event.reason) })
        return
      case 'session-opened':
        this.#sessions.inc({ result: event.authorised ? 'authorised' : 'unauthorised' })
        return
      case 'envelopes-sent':
        this.#fetched.inc({ payload: 'group' }, event.groups)
        this.#fetched.inc({ payload: 'pairwise' }, event.count - event.groups)
        this.#fetchedBytes.inc(undefined, event.bytes)
        return
      case 'ack':
        this.#acks.inc(undefined, event.acked)
        this.#ackRequests.inc(undefined, event.requested)
        return
      case 'status':
        this.#statusQueries.inc(undefined, event.count)
        return
      case 'session-closed':
        return
    }
  }

  readonly onPreKeyEvent = (event: PreKeyServerEvent): void => {
    switch (event.type) {
      case 'upload':
        this.#preKeyUploads.inc({ result: statusLabel(event.status) })
        return
      case 'claim':
        this.#preKeyClaims.inc({ result: statusLabel(event.status), one_time: String(event.oneTime) })
        return
      case 'refused':
        this.#refusals.inc({
          protocol: 'prekeys',
          reason: typeof event.status === 'number' ? statusLabel(event.status) : labelOf(event.status),
        })
        return
    }
  }

  readonly onDeviceListEvent = (event: DeviceListServerEvent): void => {
    if (event.type === 'refused') {
      this.#refusals.inc({
        protocol: 'device_lists',
        reason: typeof event.status === 'number' ? statusLabel(event.status) : labelOf(event.status),
      })
      return
    }
    this.#deviceLists.inc({ operation: event.type, result: statusLabel(event.status) })
  }

  connectionOpened(): void {
    this.#connectionsOpened.inc()
  }

  swept(batches: number): void {
    this.#sweeps.inc(undefined, batches)
  }

  /** Counter values for in-process callers (tests, the demo): deposits by result. */
  deposits(): { stored: number; duplicate: number; refused: number } {
    return {
      stored: this.#deposits.get({ result: 'stored' }),
      duplicate: this.#deposits.get({ result: 'duplicate' }),
      refused: this.#deposits.get({ result: 'refused' }),
    }
  }

  render(): string {
    return this.registry.render()
  }
}
