/**
 * A real `ferry-relay` process from start to stop: the ready line, a persistent identity, refusals to
 * start (a second process on the same directory, corrupt files: FAULTS 21), and a graceful stop under
 * load that keeps every acknowledged deposit.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { terminateAfterPipesClose } from '../helpers/closed-pipes.js'
import {
  type DepositLog,
  type Device,
  depositLoop,
  fetchAll,
  newMailbox,
  randomId,
  startDevice,
} from './helpers/clients.js'
import { buildRelay, RelayProcess, runRelayCommand } from './helpers/relay-process.js'

const root = mkdtempSync(join(tmpdir(), 'ferry-relay-lifecycle-'))
let counter = 0
const freshDir = (): string => join(root, `relay-${++counter}`)

const running: RelayProcess[] = []
async function start(dataDir: string, args?: string[]): Promise<RelayProcess> {
  const relay = await RelayProcess.start(dataDir, args === undefined ? {} : { args })
  running.push(relay)
  return relay
}

beforeAll(() => {
  buildRelay()
}, 120_000)

afterEach(async () => {
  await Promise.all(running.splice(0).map(async (relay) => relay.stop('SIGKILL')))
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('ferry-relay start', () => {
  it('exits 0 on SIGTERM after the readers of its output went away (closed log pipes)', async () => {
    const relay = await start(freshDir())
    expect(await terminateAfterPipesClose(relay.child, relay.exited)).toEqual({ code: 0, signal: null })
  }, 30_000)

  it('prints exactly one JSON line with its PeerId and dialable TCP and WebSocket multiaddrs, and creates a private identity key', async () => {
    const dir = freshDir()
    const relay = await start(dir, [
      '--listen',
      '/ip4/127.0.0.1/tcp/0',
      '--listen',
      '/ip4/127.0.0.1/tcp/0/ws',
      '--metrics-port',
      '0',
    ])
    const lines = relay.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    const ready = JSON.parse(lines[0]!) as Record<string, unknown>
    expect(Object.keys(ready).sort()).toEqual(['addrs', 'peerId'])
    expect(ready.peerId).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]+$/)
    const addrs = ready.addrs as string[]
    expect(addrs.some((a) => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//.test(a))).toBe(true)
    expect(addrs.some((a) => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/ws\/p2p\//.test(a))).toBe(true)
    for (const addr of addrs) {
      expect(addr.endsWith(`/p2p/${ready.peerId}`)).toBe(true)
    }
    expect(statSync(join(dir, 'identity.key')).mode & 0o777).toBe(0o600)
    // logs are JSON lines without the full PeerId
    expect(relay.logs().some((record) => record.msg === 'relay ready')).toBe(true)
    expect(relay.stderr).not.toContain(ready.peerId as string)

    // a device can use it right away
    const device = await startDevice()
    try {
      const mailbox = await newMailbox(device, relay.peerId)
      const result = await device.mailboxes.deposit(relay.addrs, {
        envelopeId: randomId(),
        payload: new Uint8Array(100),
        mailboxIds: [mailbox.id],
      })
      expect(result.status).toBe('stored')
    } finally {
      await device.close()
    }
    expect(await relay.stop()).toEqual({ code: 0, signal: null })
  })

  it('keeps its identity across restarts', async () => {
    const dir = freshDir()
    const first = await start(dir)
    await first.stop()
    const second = await start(dir)
    expect(second.peerId).toBe(first.peerId)
  })

  it('refuses to start on a data directory another relay process holds, in one clear line, with a non-zero exit (FAULTS 21)', async () => {
    const dir = freshDir()
    const owner = await start(dir)
    const args = ['start', '--data', dir, '--listen', '/ip4/127.0.0.1/tcp/0', '--metrics-port', '0']

    const text = await runRelayCommand(args)
    expect(text.code).toBe(1)
    expect(text.stdout).toBe('')
    expect(text.stderr.trim().split('\n')).toHaveLength(1)
    expect(text.stderr).toMatch(/ERROR.*another ferry-relay process is using .*: stop it/)

    const json = await runRelayCommand([...args, '--json'])
    expect(json.code).toBe(1)
    expect(json.stdout).toBe('')
    const lines = json.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    const record = JSON.parse(lines[0]!) as Record<string, unknown>
    expect(record).toMatchObject({ level: 'error', error: 'DataDirLockedError' })
    expect(record.msg).toContain('another ferry-relay process is using')

    // the owner is unaffected
    const device = await startDevice()
    try {
      const mailbox = await newMailbox(device, owner.peerId)
      const result = await device.mailboxes.deposit(owner.addrs, {
        envelopeId: randomId(),
        payload: new Uint8Array(10),
        mailboxIds: [mailbox.id],
      })
      expect(result.status).toBe('stored')
    } finally {
      await device.close()
    }
  })

  it('refuses a corrupt identity key rather than replacing it (FAULTS 21)', async () => {
    const dir = freshDir()
    await (await start(dir)).stop()
    writeFileSync(join(dir, 'identity.key'), crypto.getRandomValues(new Uint8Array(68)))
    const run = await runRelayCommand([
      'start',
      '--data',
      dir,
      '--listen',
      '/ip4/127.0.0.1/tcp/0',
      '--metrics-port',
      '0',
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/identity key .* is not a ferry-relay identity file: restore it from a backup/)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('refuses corrupt database files (FAULTS 21)', async () => {
    const dir = freshDir()
    await (await start(dir)).stop()
    const store = join(dir, 'store')
    for (const name of readdirSync(store)) {
      if (name.startsWith('MANIFEST-')) {
        writeFileSync(join(store, name), crypto.getRandomValues(new Uint8Array(200)))
      }
    }
    const run = await runRelayCommand([
      'start',
      '--data',
      dir,
      '--listen',
      '/ip4/127.0.0.1/tcp/0',
      '--metrics-port',
      '0',
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/database in .* is corrupt: restore the data directory from a backup/)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('graceful shutdown', () => {
  it('on SIGTERM under load, exits 0 and keeps every acknowledged deposit, each once', async () => {
    const dir = freshDir()
    const relay = await start(dir)
    const devices: Device[] = await Promise.all([startDevice(), startDevice(), startDevice()])
    try {
      const mailboxes = await Promise.all(devices.map(async (d) => newMailbox(d, relay.peerId)))
      const stop = new AbortController()
      const logs: DepositLog[] = devices.map(() => ({
        acked: new Set(),
        attempted: new Set(),
        unanswered: new Set(),
        refused: 0,
      }))
      const loops = devices.map(async (device, i) =>
        depositLoop(device, relay.addrs, mailboxes[i]!, { stop: stop.signal, maxCount: 20_000 }, logs[i]),
      )
      // let load build (bounded), then stop the relay while deposits are in flight
      const deadline = Date.now() + 5_000
      while (logs.reduce((n, log) => n + log.acked.size, 0) < 300 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20))
      }
      const exit = await relay.stop('SIGTERM')
      stop.abort()
      await Promise.all(loops)
      expect(exit).toEqual({ code: 0, signal: null })
      expect(relay.logs().map((record) => record.msg)).toContain('stopped')
      expect(relay.logs().filter((record) => record.level === 'error')).toEqual([])
      const total = logs.reduce((n, log) => n + log.acked.size, 0)
      expect(total).toBeGreaterThan(0)

      const again = await start(dir)
      for (const [i, log] of logs.entries()) {
        const held = await fetchAll(devices[i]!, again.addrs, mailboxes[i]!)
        expect(new Set(held).size).toBe(held.length)
        for (const id of log.acked) {
          expect(held).toContain(id)
        }
        for (const id of held) {
          expect(log.attempted.has(id)).toBe(true)
        }
      }
    } finally {
      await Promise.all(devices.map(async (d) => d.close()))
    }
  })
})
