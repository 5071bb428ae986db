/**
 * Configuration resolution: defaults, the file's nested keys, FERRY_RELAY_* variables and flags in
 * that order of precedence, every kind of value checked with the key and source named, unknown keys
 * and variables refused, and the rules between keys.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig, resolveConfig } from '../../src/config/resolve.js'
import { envName, KEYS } from '../../src/config/schema.js'

const file = (data: unknown) => ({ path: 'relay.json', data })

describe('resolveConfig', () => {
  it('gives every key its default, each of which passes its own check', () => {
    const config = defaultConfig()
    expect(config.listen).toEqual(['/ip4/0.0.0.0/tcp/4001', '/ip4/0.0.0.0/tcp/4002/ws'])
    expect(config.mailbox.maxTtlMs).toBe(30 * 24 * 3600_000)
    expect(config.circuitRelay.durationLimitMs).toBeGreaterThan(2 * 60_000) // above libp2p's 2 minutes
    expect(config.circuitRelay.dataLimitBytes).toBeGreaterThan(128 * 1024) // above libp2p's 128 KiB
    expect(config.connections.maxConnections).toBeGreaterThan(300)
    expect(config.connections.inboundConnectionThreshold).toBeGreaterThan(5)
    // the defaults written out as a file are a valid file
    expect(resolveConfig({ file: file(config) }).errors).toEqual([])
  })

  it('reads nested keys from the file', () => {
    const { config, errors } = resolveConfig({
      file: file({ mailbox: { maxTtlMs: 60_000, depositRatePerPeerPerSecond: 0.5 }, metrics: { port: 0 } }),
    })
    expect(errors).toEqual([])
    expect(config!.mailbox.maxTtlMs).toBe(60_000)
    expect(config!.mailbox.depositRatePerPeerPerSecond).toBe(0.5)
    expect(config!.metrics.port).toBe(0)
    // a lower cap lowers the default TTL with it
    expect(config!.mailbox.defaultTtlMs).toBe(60_000)
  })

  it('takes flags over environment variables over the file', () => {
    const inputs = {
      file: file({ metrics: { port: 1 }, listen: ['/ip4/127.0.0.1/tcp/1'] }),
      env: {
        FERRY_RELAY_METRICS_PORT: '2',
        FERRY_RELAY_LISTEN: '/ip4/127.0.0.1/tcp/2, /ip4/127.0.0.1/tcp/3/ws',
      },
    }
    expect(resolveConfig(inputs).config!.metrics.port).toBe(2)
    expect(resolveConfig(inputs).config!.listen).toEqual(['/ip4/127.0.0.1/tcp/2', '/ip4/127.0.0.1/tcp/3/ws'])
    const flagged = resolveConfig({
      ...inputs,
      flags: { 'metrics.port': '3', listen: ['/ip4/127.0.0.1/tcp/4'] },
    })
    expect(flagged.config!.metrics.port).toBe(3)
    expect(flagged.config!.listen).toEqual(['/ip4/127.0.0.1/tcp/4'])
    // variables of other programs are ignored
    expect(resolveConfig({ env: { PATH: '/bin', FERRY_HOME: '/x' } }).errors).toEqual([])
  })

  it('parses every kind from text and refuses what does not fit, naming key and source', () => {
    const ok = resolveConfig({
      env: {
        FERRY_RELAY_CIRCUIT_RELAY_APPLY_LIMITS: 'false',
        FERRY_RELAY_DHT_PRIVATE_ADDRESSES: '1',
        FERRY_RELAY_MAILBOX_QUERY_RATE_PER_PEER_PER_SECOND: '2.5e1',
        FERRY_RELAY_LOG_LEVEL: 'debug',
        FERRY_RELAY_METRICS_HOST: '::1',
      },
    })
    expect(ok.errors).toEqual([])
    expect(ok.config!.circuitRelay.applyLimits).toBe(false)
    expect(ok.config!.dht.privateAddresses).toBe(true)
    expect(ok.config!.mailbox.queryRatePerPeerPerSecond).toBe(25)
    expect(ok.config!.log.level).toBe('debug')
    expect(ok.config!.metrics.host).toBe('::1')

    const bad = resolveConfig({
      env: {
        FERRY_RELAY_CIRCUIT_RELAY_APPLY_LIMITS: 'maybe',
        FERRY_RELAY_MAILBOX_QUERY_RATE_PER_PEER_PER_SECOND: '0',
        FERRY_RELAY_METRICS_PORT: '1.5',
        FERRY_RELAY_LOG_LEVEL: 'loud',
        FERRY_RELAY_LISTEN: '/ip4/1.2.3/tcp/1',
        FERRY_RELAY_METRICS_HOST: 'a b',
      },
    })
    expect(bad.config).toBeUndefined()
    expect(bad.errors.map((e) => e.key).sort()).toEqual(
      [
        'circuitRelay.applyLimits',
        'listen',
        'log.level',
        'mailbox.queryRatePerPeerPerSecond',
        'metrics.host',
        'metrics.port',
      ].sort(),
    )
    for (const error of bad.errors) {
      expect(error.name).toBe('ConfigError')
      expect(error.message).toContain(`environment ${envName(error.key)}: ${error.key}: `)
    }
  })

  it('refuses wrong JSON types, out-of-range values, unknown keys and unknown FERRY_RELAY_* variables', () => {
    const { errors } = resolveConfig({
      file: file({
        mailbox: { maxTtlMs: '1000', maxEnvelopeBytes: 10 * 1024 * 1024, nested: { deeper: 1 } },
        metrics: 9464,
        listen: '/ip4/0.0.0.0/tcp/1',
        streams: { frameTimeoutMs: 1 },
        circuitRelay: { applyLimits: 1 },
      }),
      env: { FERRY_RELAY_MAILBOX_MAXTTL: '5' },
    })
    const byKey = new Map(errors.map((e) => [e.key, e.message]))
    expect(byKey.get('mailbox.maxTtlMs')).toContain('relay.json: mailbox.maxTtlMs: must be an integer')
    expect(byKey.get('mailbox.maxEnvelopeBytes')).toContain('from 1 to 73728')
    expect(byKey.get('mailbox.nested')).toContain('unknown key')
    expect(byKey.get('metrics')).toContain('must be an object (got 9464)')
    expect(byKey.get('listen')).toContain('must be a list of multiaddr strings')
    expect(byKey.get('streams.frameTimeoutMs')).toContain('from 10 to')
    expect(byKey.get('circuitRelay.applyLimits')).toContain('must be true or false')
    expect(byKey.get('FERRY_RELAY_MAILBOX_MAXTTL')).toContain('unknown environment variable')
    expect(resolveConfig({ file: file([1, 2]) }).errors[0]!.message).toContain('must hold one JSON object')
  })

  it('applies the rules between keys', () => {
    const high = resolveConfig({ file: file({ mailbox: { maxTtlMs: 1000, defaultTtlMs: 2000 } }) })
    expect(high.errors.map((e) => e.key)).toEqual(['mailbox.defaultTtlMs'])
    expect(resolveConfig({ file: file({ listen: [] }) }).errors.map((e) => e.key)).toEqual(['listen'])
  })

  it('names every key as a FERRY_RELAY_* variable without collisions', () => {
    const names = KEYS.map((spec) => envName(spec.key))
    expect(new Set(names).size).toBe(names.length)
    expect(envName('mailbox.maxTtlMs')).toBe('FERRY_RELAY_MAILBOX_MAX_TTL_MS')
    expect(envName('circuitRelay.dataLimitBytes')).toBe('FERRY_RELAY_CIRCUIT_RELAY_DATA_LIMIT_BYTES')
    for (const name of names) {
      expect(name).toMatch(/^FERRY_RELAY_[A-Z0-9_]+$/)
    }
  })
})
