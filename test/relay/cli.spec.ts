/**
 * The `ferry-relay` command line as an operator meets it: `--help` documents every flag and key,
 * `--version`, usage errors, `check-config` naming each offending key, and configuration precedence
 * (flags over FERRY_RELAY_* environment variables over the config file) on a real `start`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FLAGS } from '../../relay-node/src/cli/help.js'
import { envName, KEYS } from '../../relay-node/src/config/schema.js'
import { buildRelay, RelayProcess, ROOT, runRelayCommand } from './helpers/relay-process.js'

const root = mkdtempSync(join(tmpdir(), 'ferry-relay-cli-'))
let files = 0
function configFile(content: unknown): string {
  const path = join(root, `config-${++files}.json`)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

/** A free TCP port on loopback (released before use: good enough for a test on one machine). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

beforeAll(() => {
  buildRelay()
}, 120_000)

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('ferry-relay --help and --version', () => {
  it('--help documents every flag and every config key with its environment variable', async () => {
    const run = await runRelayCommand(['--help'])
    expect(run.code).toBe(0)
    for (const { flag } of FLAGS) {
      expect(run.stdout).toContain(flag)
    }
    for (const flag of [
      '--data',
      '--listen',
      '--config',
      '--metrics-port',
      '--json',
      '--help',
      '--version',
    ]) {
      expect(run.stdout).toContain(flag)
    }
    for (const spec of KEYS) {
      expect(run.stdout).toContain(`  ${spec.key}\n`)
      expect(run.stdout).toContain(envName(spec.key))
    }
    expect(run.stdout).toContain('check-config')
    expect(run.stdout).toMatch(/\/metrics.*\/healthz.*\/readyz/)
  })

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'relay-node', 'package.json'), 'utf8')) as {
      version: string
    }
    const run = await runRelayCommand(['--version'])
    expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` })
  })

  it('usage errors exit 2 with one line naming the problem', async () => {
    const unknown = await runRelayCommand(['start', '--data', join(root, 'x'), '--bogus'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/^ferry-relay: .*--bogus.*\(see ferry-relay --help\)\n$/)
    const noData = await runRelayCommand(['start'])
    expect(noData.code).toBe(2)
    expect(noData.stderr).toContain('start needs --data DIR (or FERRY_RELAY_DATA)')
    const noCommand = await runRelayCommand([])
    expect(noCommand.code).toBe(2)
    expect((await runRelayCommand(['frobnicate'])).stderr).toContain('unknown command frobnicate')
  })
})

describe('ferry-relay check-config', () => {
  it('accepts a valid file', async () => {
    const path = configFile({
      listen: ['/ip4/0.0.0.0/tcp/4001', '/ip4/0.0.0.0/tcp/4002/ws'],
      metrics: { port: 9464, host: '0.0.0.0' },
      mailbox: { maxEnvelopesPerMailbox: 10_000, maxTtlMs: 604_800_000, depositRatePerPeerPerSecond: 0.5 },
      circuitRelay: { durationLimitMs: 600_000, dataLimitBytes: 16_777_216 },
    })
    const run = await runRelayCommand(['check-config', path])
    expect(run).toMatchObject({ code: 0, stdout: `${path}: valid\n`, stderr: '' })
  })

  it('exits non-zero naming every offending key', async () => {
    const path = configFile({
      mailbox: { maxTtlMs: -5, maxEnvelopesPerMailbx: 3, depositRatePerPeerPerSecond: 'fast' },
      listen: ['not a multiaddr'],
      metrics: { port: 70_000 },
      circuitRelay: { applyLimits: 'yes' },
      surprise: true,
    })
    const run = await runRelayCommand(['check-config', path])
    expect(run.code).toBe(1)
    const lines = run.stderr.trim().split('\n')
    for (const key of [
      'mailbox.maxTtlMs',
      'mailbox.maxEnvelopesPerMailbx',
      'mailbox.depositRatePerPeerPerSecond',
      'listen',
      'metrics.port',
      'circuitRelay.applyLimits',
      'surprise',
    ]) {
      expect(
        lines.some((line) => line.includes(`${path}: ${key}: `)),
        key,
      ).toBe(true)
    }
    expect(run.stderr).toContain('mailbox.maxEnvelopesPerMailbx: unknown key')
    expect(run.stderr).toContain('metrics.port: must be an integer from 0 to 65535 (got 70000)')

    const json = await runRelayCommand(['check-config', path, '--json'])
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout) as { valid: boolean; errors: Array<{ key: string }> }
    expect(report.valid).toBe(false)
    expect(report.errors.map((e) => e.key)).toContain('metrics.port')
  })

  it('refuses a file that is not JSON, missing, or an explicit default TTL above the cap', async () => {
    const broken = await runRelayCommand(['check-config', configFile('{"mailbox": ')])
    expect(broken.code).toBe(1)
    expect(broken.stderr).toContain('is not valid JSON')
    const missing = await runRelayCommand(['check-config', join(root, 'absent.json')])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('does not exist')
    const cross = await runRelayCommand([
      'check-config',
      configFile({ mailbox: { maxTtlMs: 1000, defaultTtlMs: 2000 } }),
    ])
    expect(cross.code).toBe(1)
    expect(cross.stderr).toContain('mailbox.defaultTtlMs: must not exceed mailbox.maxTtlMs')
  })
})

describe('configuration precedence on start', () => {
  it('flags over FERRY_RELAY_* over the config file over defaults', async () => {
    const [filePort, envPort, flagPort] = [await freePort(), await freePort(), await freePort()]
    const path = configFile({ listen: ['/ip4/127.0.0.1/tcp/0'], metrics: { port: filePort } })
    const dataDir = join(root, 'precedence')
    const metricsPortOf = async (relay: RelayProcess): Promise<number> => {
      const port = Number(new URL(relay.metricsUrl!).port)
      expect((await fetch(`${relay.metricsUrl}/healthz`)).status).toBe(200)
      await relay.stop()
      return port
    }

    const fileOnly = await RelayProcess.start(dataDir, { args: ['--config', path] })
    expect(await metricsPortOf(fileOnly)).toBe(filePort)

    const env = { FERRY_RELAY_METRICS_PORT: String(envPort) }
    const withEnv = await RelayProcess.start(dataDir, { args: ['--config', path], env })
    expect(await metricsPortOf(withEnv)).toBe(envPort)

    const withFlag = await RelayProcess.start(dataDir, {
      args: ['--config', path, '--metrics-port', String(flagPort)],
      env,
    })
    expect(await metricsPortOf(withFlag)).toBe(flagPort)

    // the config file can also come from FERRY_RELAY_CONFIG, and lists from comma-separated variables
    const fromEnv = await RelayProcess.start(dataDir, {
      args: [],
      env: {
        FERRY_RELAY_CONFIG: path,
        FERRY_RELAY_METRICS_PORT: '0',
        FERRY_RELAY_LISTEN: '/ip4/127.0.0.1/tcp/0,/ip4/127.0.0.1/tcp/0/ws',
      },
    })
    expect(fromEnv.addrs.some((addr) => addr.toString().includes('/ws/'))).toBe(true)
    expect(fromEnv.addrs.some((addr) => !addr.toString().includes('/ws/'))).toBe(true)
    await fromEnv.stop()
  })

  it('refuses to start on an invalid environment variable or an unknown FERRY_RELAY_* name, naming it', async () => {
    const dataDir = join(root, 'invalid-env')
    const args = ['start', '--data', dataDir, '--listen', '/ip4/127.0.0.1/tcp/0', '--metrics-port', '0']
    const bad = await runRelayCommand(args, { env: { FERRY_RELAY_MAILBOX_MAX_TTL_MS: 'forever' } })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain(
      'environment FERRY_RELAY_MAILBOX_MAX_TTL_MS: mailbox.maxTtlMs: must be an integer',
    )
    const typo = await runRelayCommand(args, { env: { FERRY_RELAY_MAILBOX_MAX_TTL: '1000' } })
    expect(typo.code).toBe(1)
    expect(typo.stderr).toContain('FERRY_RELAY_MAILBOX_MAX_TTL: unknown environment variable')
    const flag = await runRelayCommand([...args, '--metrics-port', 'eighty'])
    expect(flag.code).toBe(1)
    expect(flag.stderr).toContain('command line: metrics.port: must be an integer from 0 to 65535')
  })
})
