/**
 * `npm run bench -- group`: what a group message costs its sender, beside fanning the same message
 * out pairwise, for groups of 10, 100 and 1,000 member devices (the full device counts, measured in
 * the same run, round by round): CPU time per message and bytes put on the network. Then delivery
 * latency p50/p99 to online members over gossipsub on loopback, with real libp2p hosts.
 *
 * Targets (issue 6): the sender's cost nearly flat in group size (1,000 devices <= 3x 10 devices), and
 * >= 50x cheaper than pairwise fan-out at 1,000 devices.
 */
import {
  type Benchmark,
  type BenchOptions,
  type BenchRow,
  formatSpread,
  jsonLine,
  machine,
  measure,
  pairedRatios,
  printer,
  type Side,
  spread,
  table,
} from '../harness.js'
import { gossipLatency, type LatencyResult } from './latency.js'
import { type Fixture, fixture } from './members.js'
import {
  checkGroupMessage,
  GOSSIP_MESH_DEGREE,
  groupBytes,
  pairwiseBytes,
  type SentBytes,
  sendGroup,
  sendPairwise,
} from './send.js'

export const SIZES = [10, 100, 1_000] as const
export const QUICK_SIZES = [10, 100] as const
export const ROUNDS = 5
export const QUICK_ROUNDS = 1
export const WARMUP_ROUNDS = 1
/** Group messages per round (per size). */
export const GROUP_MESSAGES = 200
/** Pairwise fan-out: about this many device encryptions per round, at least 2 messages. */
export const PAIRWISE_ENCRYPTIONS = 2_000
/** Flatness target: sender CPU per message at the largest size / at 10 devices. */
export const FLATNESS_TARGET = 3
/** Group vs pairwise at 1,000 devices, CPU time per message. */
export const PAIRWISE_TARGET = 50
/** Live hosts in the latency run (a smaller number than the largest group: one process hosts them all). */
export const LATENCY_NODES = 24
export const LATENCY_MESSAGES = 100
export const LATENCY_INTERVAL_MS = 100
const QUICK_DIVISOR = 10

const TEXT = 'x'.repeat(200)

interface SizeResult {
  readonly devices: number
  readonly row: BenchRow
  /** Sender CPU ms per message, per round. */
  readonly groupCpuMs: number[]
  readonly pairwiseCpuMs: number[]
  readonly group: SentBytes
  readonly pairwise: SentBytes
}

export async function run(options: BenchOptions = {}): Promise<BenchRow[]> {
  if (options.variants !== undefined) {
    throw new RangeError('group: --providers does not apply (the sender runs on node:crypto)')
  }
  const print = printer(options)
  const rounds = options.rounds ?? (options.quick ? QUICK_ROUNDS : ROUNDS)
  const sizes = options.quick ? QUICK_SIZES : SIZES
  const scale = (options.scale ?? 1) / (options.quick ? QUICK_DIVISOR : 1)
  const meta = {
    type: 'meta',
    benchmark: 'group',
    sizes,
    rounds,
    warmup: WARMUP_ROUNDS,
    textBytes: TEXT.length,
    meshDegree: GOSSIP_MESH_DEGREE,
    ...machine(),
  }
  if (options.json) {
    print(JSON.stringify(meta))
  } else {
    print(
      `Ferry group messages: the sender's cost beside pairwise fan-out, in one process (${meta.node}, ${meta.platform},`,
    )
    print(`${meta.cpus} CPUs ${meta.cpuModel}, load average ${meta.loadAverage} at start), ${meta.date}`)
    print(
      `${rounds} measured rounds after ${WARMUP_ROUNDS} warm-up; the two sides alternate first. ${TEXT.length}-byte texts.`,
    )
    print(
      'Both sides do what the messenger does in its state job, on node:crypto, in one client-store unit over',
    )
    print(
      'memory-level committed per message; sessions answered and sender keys handed out beforehand (untimed).',
    )
    if (options.quick) {
      print('Quick run: a smoke test with small groups and counts; its figures mean nothing.')
    }
    print('')
  }

  const results: SizeResult[] = []
  for (const devices of sizes) {
    progress(options, `group: setting up ${devices} member devices`)
    const f = await fixture(devices)
    try {
      results.push(await measureSize(f, devices, rounds, scale))
    } finally {
      await f.close()
    }
  }
  progress(options, `group: gossip latency on ${options.quick ? 8 : LATENCY_NODES} live hosts`)
  const latency = await gossipLatency(
    options.quick ? 8 : LATENCY_NODES,
    Math.max(5, Math.round(LATENCY_MESSAGES * (options.quick ? 0.1 : 1))),
    LATENCY_INTERVAL_MS,
  )
  const rows = results.map((r) => r.row)
  const first = results[0]!
  const last = results[results.length - 1]!
  const flatness = spread(pairedRatios(last.groupCpuMs, first.groupCpuMs))
  const flatRow: BenchRow = {
    benchmark: 'group',
    scenario: `sender CPU per message, ${last.devices} vs ${first.devices} devices`,
    variant: 'node',
    unit: 'x',
    count: last.row.count,
    baselineCount: first.row.count,
    value: spread(last.groupCpuMs),
    baselineName: `${first.devices} devices`,
    baseline: spread(first.groupCpuMs),
    ratio: flatness,
    cpu: { value: spread(last.groupCpuMs), baseline: spread(first.groupCpuMs), ratio: flatness },
    ...(last.devices === 1_000 ? { target: FLATNESS_TARGET, pass: flatness.median <= FLATNESS_TARGET } : {}),
  }
  rows.push(flatRow)
  if (options.json) {
    for (const row of rows) {
      print(jsonLine(row))
    }
    for (const r of results) {
      print(JSON.stringify({ type: 'bytes', devices: r.devices, group: r.group, pairwise: r.pairwise }))
    }
    print(JSON.stringify({ type: 'latency', ...latency }))
  } else {
    printTables(print, results, flatness, latency)
  }
  return rows
}

async function measureSize(f: Fixture, devices: number, rounds: number, scale: number): Promise<SizeResult> {
  const groupCount = Math.max(2, Math.round(GROUP_MESSAGES * scale))
  const pairwiseCount = Math.max(2, Math.round((PAIRWISE_ENCRYPTIONS / devices) * scale))
  let envelope: Uint8Array | undefined
  let sizes: number[] = []
  const sides: Side[] = [
    {
      name: 'group',
      count: groupCount,
      prepare: async (count) => async () => {
        for (let i = 0; i < count; i++) {
          envelope = await sendGroup(f, TEXT)
        }
      },
    },
    {
      name: 'pairwise',
      count: pairwiseCount,
      prepare: async (count) => async () => {
        for (let i = 0; i < count; i++) {
          sizes = await sendPairwise(f, TEXT)
        }
      },
    },
  ]
  const rates = await measure(sides, { rounds, warmup: WARMUP_ROUNDS })
  await checkGroupMessage(f, envelope!, TEXT)
  const group = rates.get('group')!
  const pairwise = rates.get('pairwise')!
  const ratio = spread(pairedRatios(group.cpu, pairwise.cpu))
  const target = devices === 1_000 ? PAIRWISE_TARGET : undefined
  const row: BenchRow = {
    benchmark: 'group',
    scenario: `send to ${devices} member devices`,
    variant: 'node',
    unit: 'msgs/CPU-s',
    count: groupCount,
    baselineCount: pairwiseCount,
    value: spread(group.cpu),
    baselineName: 'pairwise fan-out',
    baseline: spread(pairwise.cpu),
    ratio,
    cpu: { value: spread(group.cpu), baseline: spread(pairwise.cpu), ratio },
    ...(target === undefined ? {} : { target, pass: ratio.median >= target }),
  }
  return {
    devices,
    row,
    groupCpuMs: group.cpu.map((r) => 1000 / r),
    pairwiseCpuMs: pairwise.cpu.map((r) => 1000 / r),
    group: groupBytes(envelope!, devices),
    pairwise: pairwiseBytes(sizes),
  }
}

function printTables(
  print: (line: string) => void,
  results: readonly SizeResult[],
  flatness: ReturnType<typeof spread>,
  latency: LatencyResult,
): void {
  const ms = (v: number) => (v >= 10 ? v.toFixed(1) : v.toFixed(3))
  const x = (v: number) => `${v.toFixed(1)}x`
  print('Sender CPU time per message (ms; median (min–max) over rounds):')
  print('')
  for (const line of table(
    ['member devices', 'group', 'pairwise fan-out', 'pairwise / group', 'target'],
    results.map((r) => [
      String(r.devices),
      formatSpread(spread(r.groupCpuMs), ms),
      formatSpread(spread(r.pairwiseCpuMs), ms),
      formatSpread(r.row.ratio, x),
      r.row.target === undefined ? '' : `>= ${r.row.target}x ${r.row.pass ? 'PASS' : 'MISS'}`,
    ]),
  )) {
    print(line)
  }
  const last = results[results.length - 1]!
  const first = results[0]!
  print('')
  print(
    `Flatness: group sender CPU per message at ${last.devices} devices / at ${first.devices} devices: ${formatSpread(flatness, (v) => `${v.toFixed(2)}x`)}` +
      (last.devices === 1_000
        ? ` (target <= ${FLATNESS_TARGET}x: ${flatness.median <= FLATNESS_TARGET ? 'PASS' : 'MISS'})`
        : ''),
  )
  print('')
  print(
    'Bytes the sender puts on the network per message (envelopes as published or deposited; stream framing',
  )
  print(
    `not counted). Online: the group goes to its ${GOSSIP_MESH_DEGREE} gossip mesh peers; pairwise, one envelope per device.`,
  )
  print(
    'Offline: the group is one relay deposit listing every mailbox (32 bytes each); pairwise, one deposit per device.',
  )
  print('')
  for (const line of table(
    [
      'member devices',
      'group envelope',
      'group online',
      'pairwise online',
      'group offline',
      'pairwise offline',
    ],
    results.map((r) => [
      String(r.devices),
      String(r.group.envelope),
      String(r.group.online),
      String(r.pairwise.online),
      String(r.group.offline),
      String(r.pairwise.offline),
    ]),
  )) {
    print(line)
  }
  print('')
  print(
    `Delivery latency over gossipsub on loopback: ${latency.nodes} live hosts in this process (sender + ${latency.nodes - 1} members),`,
  )
  print(
    `${latency.messages} messages ${LATENCY_INTERVAL_MS} ms apart; from before encrypting to the plaintext at each member (validation opens`,
  )
  print('the envelope with the group key, then the sender-key message is decrypted).')
  print('')
  for (const line of table(
    ['hosts', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'peers per publish'],
    [
      [
        String(latency.nodes),
        `${latency.delivered} / ${latency.expected}`,
        ms(latency.p50),
        ms(latency.p99),
        ms(latency.max),
        latency.publishRecipients.toFixed(1),
      ],
    ],
  )) {
    print(line)
  }
}

function progress(options: BenchOptions, line: string): void {
  if (!options.json) {
    process.stderr.write(`${line}\n`)
  }
}

export const groupBenchmark: Benchmark = {
  name: 'group',
  description:
    'group messages (10, 100, 1,000 member devices): sender CPU and bytes beside pairwise fan-out; gossip latency',
  run,
}
