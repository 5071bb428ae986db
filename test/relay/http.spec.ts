/**
 * The relay process's HTTP endpoint: /metrics in the Prometheus text format (names, units, counters,
 * no identifiers in labels, figures that match what devices did), /healthz, and /readyz going 503
 * while the relay drains on SIGTERM.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kind } from '@ferry/wire'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Device, fetchAll, newMailbox, randomId, startDevice } from './helpers/clients.js'
import { buildRelay, LOOPBACK_ARGS, RelayProcess } from './helpers/relay-process.js'

const root = mkdtempSync(join(tmpdir(), 'ferry-relay-http-'))
const configPath = join(root, 'config.json')
let relay: RelayProcess
let device: Device

beforeAll(async () => {
  buildRelay()
  writeFileSync(configPath, JSON.stringify({ drainDelayMs: 1_500, mailbox: { maxEnvelopeBytes: 2_048 } }))
  relay = await RelayProcess.start(join(root, 'relay'), { args: [...LOOPBACK_ARGS, '--config', configPath] })
  device = await startDevice()
}, 120_000)

afterAll(async () => {
  await device?.close()
  await relay?.stop('SIGKILL')
  rmSync(root, { recursive: true, force: true })
})

async function get(
  path: string,
  init?: RequestInit,
): Promise<{ status: number; type: string; body: string }> {
  const res = await fetch(`${relay.metricsUrl}${path}`, { ...init, signal: AbortSignal.timeout(5_000) })
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() }
}

/** Samples of the exposition as [name, labels, value]. */
function samples(text: string): Array<[string, Record<string, string>, number]> {
  const out: Array<[string, Record<string, string>, number]> = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line)
    expect(match, `malformed sample line: ${line}`).not.toBeNull()
    const labels: Record<string, string> = {}
    for (const [, key, value] of (match![2] ?? '').matchAll(
      /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g,
    )) {
      labels[key!] = value!
    }
    out.push([match![1]!, labels, Number(match![3])])
  }
  return out
}

function value(
  all: ReturnType<typeof samples>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return all.find(([n, l]) => n === name && Object.entries(labels).every(([k, v]) => l[k] === v))?.[2]
}

describe('relay HTTP endpoint', () => {
  it('/healthz and /readyz answer 200 while the relay runs; other paths and methods are refused', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: 'ok\n' })
    expect(await get('/readyz')).toMatchObject({ status: 200, body: 'ready\n' })
    expect((await get('/nothing')).status).toBe(404)
    expect((await get('/metrics', { method: 'POST' })).status).toBe(405)
  })

  it('/metrics is Prometheus text: ferry_relay_ names, _total counters, base units, no IDs in labels, true figures', async () => {
    const mailbox = await newMailbox(device, relay.peerId)
    const ids = [randomId(), randomId(), randomId()]
    for (const [i, envelopeId] of ids.entries()) {
      // the first payload starts with the group envelope's kind byte, the others with a sealed one's
      const payload = randomId(1000)
      payload[0] = i === 0 ? Kind.GroupEnvelope : Kind.SealedEnvelope
      expect(
        (
          await device.mailboxes.deposit(relay.addrs, {
            envelopeId,
            payload,
            mailboxIds: [mailbox.id],
          })
        ).status,
      ).toBe('stored')
    }
    const duplicate = await device.mailboxes.deposit(relay.addrs, {
      envelopeId: ids[0]!,
      payload: randomId(1000),
      mailboxIds: [mailbox.id],
    })
    expect(duplicate.status).toBe('duplicate')
    const tooLarge = await device.mailboxes.deposit(relay.addrs, {
      envelopeId: randomId(),
      payload: randomId(4096),
      mailboxIds: [mailbox.id],
    })
    expect(tooLarge).toMatchObject({ status: 'refused', reason: 'TOO_LARGE' })
    await fetchAll(device, relay.addrs, mailbox, { ack: true })

    const res = await get('/metrics')
    expect(res.status).toBe(200)
    expect(res.type).toBe('text/plain; version=0.0.4; charset=utf-8')
    const all = samples(res.body)

    // every family has HELP and TYPE; counters end in _total; every name is ferry_relay_*
    const types = new Map<string, string>()
    for (const [, name, type] of res.body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      types.set(name!, type!)
      expect(name).toMatch(/^ferry_relay_[a-z0-9_]+$/)
      expect(res.body).toContain(`# HELP ${name} `)
      if (type === 'counter') {
        expect(name).toMatch(/_total$/)
      }
      expect(name).not.toMatch(/_(ms|milliseconds|kb|kilobytes|mb|megabytes)(_|$)/)
    }
    for (const [name] of all) {
      expect(name.startsWith('ferry_relay_')).toBe(true)
    }
    // no label value is an identifier: no PeerId, no hex of 16+ characters, no mailbox or envelope ID
    const secretsAndIds = [
      relay.peerId,
      ...ids.map((id) => Buffer.from(id).toString('hex')),
      Buffer.from(mailbox.id).toString('hex'),
    ]
    for (const id of secretsAndIds) {
      expect(res.body).not.toContain(id)
    }
    for (const [, labels] of all) {
      for (const label of Object.values(labels)) {
        expect(label).not.toMatch(/[0-9a-f]{16,}|12D3Koo|Qm[1-9A-Za-z]{20,}/)
      }
    }

    expect(value(all, 'ferry_relay_deposits_total', { result: 'stored' })).toBe(3)
    expect(value(all, 'ferry_relay_deposits_total', { result: 'duplicate' })).toBe(1)
    expect(value(all, 'ferry_relay_deposits_total', { result: 'refused' })).toBe(1)
    expect(value(all, 'ferry_relay_refusals_total', { protocol: 'mailbox', reason: 'too_large' })).toBe(1)
    expect(value(all, 'ferry_relay_deposited_bytes_total')).toBe(3000)
    expect(value(all, 'ferry_relay_acks_total')).toBe(3)
    expect(value(all, 'ferry_relay_fetched_envelopes_total', { payload: 'group' })).toBe(1)
    expect(value(all, 'ferry_relay_fetched_envelopes_total', { payload: 'pairwise' })).toBe(2)
    expect(value(all, 'ferry_relay_fetch_sessions_total', { result: 'authorised' })).toBe(1)
    // acked by their only mailbox: the payloads are gone
    expect(value(all, 'ferry_relay_stored_envelopes')).toBe(0)
    expect(value(all, 'ferry_relay_stored_bytes')).toBe(0)
    expect(value(all, 'ferry_relay_connections')).toBeGreaterThanOrEqual(1)
    expect(value(all, 'ferry_relay_build_info', { version: '0.1.0' })).toBe(1)
    expect(value(all, 'ferry_relay_anonymous_memory_bytes')).toBeGreaterThan(0)
    expect(value(all, 'ferry_relay_storage_batches_total')).toBeGreaterThan(0)
    for (const quantile of ['0.5', '0.99', '1']) {
      expect(value(all, 'ferry_relay_event_loop_delay_seconds', { quantile })).toBeGreaterThanOrEqual(0)
    }

    // the durable-write histogram: seconds, cumulative buckets, +Inf equal to the count
    expect(types.get('ferry_relay_durable_write_seconds')).toBe('histogram')
    const buckets = all.filter(([name]) => name === 'ferry_relay_durable_write_seconds_bucket')
    expect(buckets.length).toBeGreaterThan(5)
    for (let i = 1; i < buckets.length; i++) {
      expect(buckets[i]![2]).toBeGreaterThanOrEqual(buckets[i - 1]![2])
    }
    expect(buckets.at(-1)![1].le).toBe('+Inf')
    expect(buckets.at(-1)![2]).toBe(4)
    expect(value(all, 'ferry_relay_durable_write_seconds_count')).toBe(4)
    expect(value(all, 'ferry_relay_durable_write_seconds_sum')).toBeLessThan(60)
  })

  it('/readyz answers 503 while the relay drains on SIGTERM, /healthz stays 200, and the relay exits 0', async () => {
    relay.child.kill('SIGTERM')
    let readiness = await get('/readyz')
    const deadline = Date.now() + 1_000
    while (readiness.status === 200 && Date.now() < deadline) {
      readiness = await get('/readyz')
    }
    expect(readiness).toMatchObject({ status: 503, body: 'not ready: draining\n' })
    expect((await get('/healthz')).status).toBe(200)
    expect(await relay.exited).toEqual({ code: 0, signal: null })
  })
})
