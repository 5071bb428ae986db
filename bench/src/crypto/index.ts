/**
 * `npm run bench -- crypto`: Ferry's session crypto beside @signalapp/libsignal-client, measured in
 * the same process, round by round: Double Ratchet ping-pong and one-way burst with 200-byte
 * messages, PQXDH session set-ups, and sender keys in a 100-device group. Ferry runs on each of its
 * providers (node:crypto for the targets; WebCrypto and noble for reference).
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { CryptoProvider } from '@ferry/crypto'
import { nobleProvider } from '@ferry/crypto/provider/noble'
import { nodeProvider } from '@ferry/crypto/provider/node'
import { webCryptoProvider } from '@ferry/crypto/provider/webcrypto'
import {
  type Benchmark,
  type BenchOptions,
  type BenchRow,
  comparisonTable,
  jsonLine,
  machine,
  measure,
  pairedRatios,
  printer,
  type Rates,
  type Side,
  scaled,
  spread,
} from '../harness.js'
import { ferryScenarios } from './ferry.js'
import { libsignalScenarios } from './libsignal.js'
import type { RoundFactory, Scenarios } from './scenarios.js'

/** Plaintext size of every pairwise and group message, on both sides. */
export const MESSAGE_BYTES = 200
/** A 100-device group: the sender and 99 members who decrypt each message. */
export const GROUP_MEMBERS = 99

export const ROUNDS = 8
export const QUICK_ROUNDS = 2
export const WARMUP_ROUNDS = 1
/** Counts are divided by this in quick mode. */
const QUICK_DIVISOR = 10

export type Variant = 'node' | 'webcrypto' | 'noble'
export const VARIANTS: readonly Variant[] = ['node', 'webcrypto', 'noble']

const PROVIDERS: Record<Variant, { provider: CryptoProvider; scale: number; about: string }> = {
  node: {
    provider: nodeProvider,
    scale: 1,
    about: 'node:crypto (OpenSSL); ML-KEM-768 from liboqs (@oqs/liboqs-js, WebAssembly)',
  },
  webcrypto: {
    provider: webCryptoProvider,
    scale: 1,
    about: 'crypto.subtle (awaited per call); ML-KEM-768 from @noble/post-quantum',
  },
  // noble's X25519 is ~30x slower than OpenSSL's: fewer operations keep its rounds short
  noble: { provider: nobleProvider, scale: 0.25, about: '@noble/* 2.x (pure JavaScript)' },
}

interface ScenarioSpec {
  readonly key: keyof Scenarios
  readonly label: string
  readonly unit: string
  /** Operations per round at full size. */
  readonly count: number
  /** Node-provider target: lowest acceptable Ferry / libsignal ratio. */
  readonly target?: number
  /** Further rows derived from the same timing (rate multiplied by `factor`). */
  readonly derived?: readonly { readonly label: string; readonly unit: string; readonly factor: number }[]
}

export const SCENARIOS: readonly ScenarioSpec[] = [
  {
    key: 'pingPong',
    label: 'Double Ratchet ping-pong (DH step every message)',
    unit: 'msgs/s',
    count: 400,
    target: 1.5,
  },
  {
    key: 'burst',
    label: 'one-way burst (encrypt n, then decrypt n)',
    unit: 'msgs/s',
    count: 1000,
    target: 3,
  },
  { key: 'sessionSetup', label: 'PQXDH session set-up, both sides', unit: 'setups/s', count: 60, target: 1 },
  {
    key: 'group',
    label: `sender keys, ${GROUP_MEMBERS + 1}-device group: 1 encrypt + ${GROUP_MEMBERS} decrypts`,
    unit: 'msgs/s',
    count: 10,
    derived: [{ label: '  the same, per member decrypt', unit: 'decrypts/s', factor: GROUP_MEMBERS }],
  },
]

const BASELINE = 'libsignal'

function libsignalVersion(): string {
  const require = createRequire(import.meta.url)
  const main = require.resolve('@signalapp/libsignal-client')
  const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as {
    version: string
  }
  return pkg.version
}

function isVariant(name: string): name is Variant {
  return (VARIANTS as readonly string[]).includes(name)
}

export async function run(options: BenchOptions = {}): Promise<BenchRow[]> {
  const print = printer(options)
  const unknown = options.variants?.filter((v) => !isVariant(v)) ?? []
  if (unknown.length > 0) {
    throw new RangeError(`crypto: unknown provider ${unknown.join(', ')} (known: ${VARIANTS.join(', ')})`)
  }
  const variants = VARIANTS.filter((v) => options.variants?.includes(v) ?? true)
  const rounds = options.rounds ?? (options.quick ? QUICK_ROUNDS : ROUNDS)
  const plan = { rounds, warmup: WARMUP_ROUNDS }
  const plaintext = new Uint8Array(randomBytes(MESSAGE_BYTES))
  const implementations: [string, Scenarios][] = [
    [BASELINE, libsignalScenarios()],
    ...variants.map((v): [string, Scenarios] => [v, ferryScenarios(PROVIDERS[v].provider)]),
  ]
  const curves = variants.includes('webcrypto') ? await webCryptoProvider.curveSupport() : undefined
  const meta = {
    type: 'meta',
    benchmark: 'crypto',
    baseline: `@signalapp/libsignal-client ${libsignalVersion()}`,
    messageBytes: MESSAGE_BYTES,
    groupDevices: GROUP_MEMBERS + 1,
    rounds,
    warmup: WARMUP_ROUNDS,
    ...(curves === undefined ? {} : { webcryptoCurves: curves }),
    ...machine(),
  }
  if (options.json) {
    print(JSON.stringify(meta))
  } else {
    print(
      `Ferry crypto beside ${meta.baseline}, in one process (${meta.node}, ${meta.platform}, ${meta.cpus} CPUs`,
    )
    print(`${meta.cpuModel}, load average ${meta.loadAverage} at start), ${meta.date}`)
    print(
      `${rounds} measured rounds after ${WARMUP_ROUNDS} warm-up; the sides run in rotating order each round.`,
    )
    print('Figures: median (min–max) over rounds; ratio = Ferry / libsignal, paired round by round.')
    print(`${MESSAGE_BYTES}-byte plaintexts. Pre-key and device generation happen outside the timed region.`)
    if (options.quick) {
      print(
        'Quick run: a smoke test. Its counts are too small, and the code too cold, for its figures to mean anything.',
      )
    }
    print('')
  }

  const measured = new Map<string, Map<string, Rates>>()
  for (const spec of SCENARIOS) {
    const sides: Side[] = []
    for (const [name, scenarios] of implementations) {
      const factory: RoundFactory =
        spec.key === 'group'
          ? await scenarios.group(plaintext, GROUP_MEMBERS)
          : await scenarios[spec.key](plaintext)
      const count = scaled(
        spec.count * (name === BASELINE ? 1 : PROVIDERS[name as Variant].scale),
        quickScale(options),
      )
      sides.push({ name, count, prepare: factory })
    }
    measured.set(spec.key, await measure(sides, plan))
  }

  const rows: BenchRow[] = []
  for (const variant of variants) {
    for (const spec of SCENARIOS) {
      const rates = measured.get(spec.key)!
      const ferry = rates.get(variant)!
      const baseline = rates.get(BASELINE)!
      const ratio = spread(pairedRatios(ferry.wall, baseline.wall))
      const target = variant === 'node' ? spec.target : undefined
      const base = {
        benchmark: 'crypto',
        variant,
        count: scaled(spec.count * PROVIDERS[variant].scale, quickScale(options)),
        baselineCount: scaled(spec.count, quickScale(options)),
        baselineName: BASELINE,
        ...(target === undefined ? {} : { target, pass: ratio.median >= target }),
      }
      const figures = (factor: number) => {
        const times = (values: number[]) => values.map((v) => v * factor)
        return {
          value: spread(times(ferry.wall)),
          baseline: spread(times(baseline.wall)),
          ratio,
          cpu: {
            value: spread(times(ferry.cpu)),
            baseline: spread(times(baseline.cpu)),
            ratio: spread(pairedRatios(ferry.cpu, baseline.cpu)),
          },
        }
      }
      rows.push({ ...base, scenario: spec.label, unit: spec.unit, ...figures(1) })
      for (const d of spec.derived ?? []) {
        rows.push({ ...base, scenario: d.label, unit: d.unit, ...figures(d.factor) })
      }
    }
  }

  if (options.json) {
    for (const row of rows) {
      print(jsonLine(row))
    }
  } else {
    for (const variant of variants) {
      const about = PROVIDERS[variant].about
      const curveNote =
        variant === 'webcrypto' && curves !== undefined
          ? ` (X25519 on ${curves.x25519}, Ed25519 on ${curves.ed25519})`
          : ''
      print(`Ferry provider: ${variant} — ${about}${curveNote}`)
      print('')
      for (const line of comparisonTable(rows.filter((r) => r.variant === variant))) {
        print(line)
      }
      print('')
    }
    print(
      "libsignal's Kyber pre-keys are Kyber-1024 (its only KEM key type); Ferry's are ML-KEM-768. Ferry's bundle",
    )
    print('check verifies two Ed25519 signatures (signed pre-key, KEM pre-key) and the device certificate,')
    print('whose verification is remembered by its bytes: every set-up here claims a bundle of the same')
    print("responder, so after the first its signature is not checked again. libsignal's check verifies")
    print('two XEdDSA signatures (signed pre-key, Kyber pre-key) and has no certificate.')
  }
  return rows
}

/** Quick mode divides every count; an explicit scale multiplies on top. */
function quickScale(options: BenchOptions): BenchOptions {
  return { scale: (options.scale ?? 1) / (options.quick ? QUICK_DIVISOR : 1) }
}

export const cryptoBenchmark: Benchmark = {
  name: 'crypto',
  description:
    'Double Ratchet ping-pong and burst, PQXDH set-up, 100-device sender keys: Ferry beside libsignal-client',
  run,
}
