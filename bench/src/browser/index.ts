/**
 * `npm run bench -- browser`: Ferry in Chromium, beside Node in the same run.
 * - The library bundle (browser/vite.lib.config.ts, no demo): minified and gzip bytes of what a page
 *   loads at start-up and of everything it can load (WebRTC and the crypto provider come on demand),
 *   against the 200 KiB gzip target.
 * - Page load to ready: navigation start to the messenger open (keys from IndexedDB), started and
 *   connected to its relay.
 * - One-way message latency, p50 and p90: browser to browser through a relay (WebRTC off; as shipped,
 *   then with relaxed IndexedDB durability, then without the read cache), browser to
 *   browser over WebRTC (inside a private network namespace, as the tests do; skipped, saying why,
 *   where one cannot be made), and Node to Node through the same kind of relay.
 *
 * The heavy modules (Vite, playwright-core, the client) are loaded only when the benchmark runs.
 */
import { type Benchmark, type BenchOptions, type BenchRow, machine, printer, table } from '../harness.js'
import type { Latencies } from './measure.js'

/** Gzip bytes the library may take (DESIGN: the libp2p stack alone is about 175 KiB). */
export const BUNDLE_TARGET_GZIP_BYTES = 200 * 1024
export const MESSAGES = 40
export const QUICK_MESSAGES = 8
export const WARMUP_MESSAGES = 5
export const READY_LOADS = 7
export const QUICK_READY_LOADS = 2
/** How long two browsers get to open their WebRTC connection. */
const WEBRTC_WAIT_MS = 60_000

interface Figures {
  bundle: Awaited<ReturnType<typeof import('./setup.js')['buildLibrary']>>
  ready: number[]
  relay: Latencies
  relayRelaxed: Latencies
  relayUncached: Latencies
  webrtc: Latencies | string
  node: Latencies
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : 'n/a')

async function measureAll(options: BenchOptions): Promise<Figures> {
  const setup = await import('./setup.js')
  const measure = await import('./measure.js')
  const { createMessenger } = await import('@ferry/client')
  const { MemoryLevel } = await import('memory-level')
  const count = options.quick === true ? QUICK_MESSAGES : MESSAGES
  const warmup = options.quick === true ? 1 : WARMUP_MESSAGES
  const loads = options.quick === true ? QUICK_READY_LOADS : READY_LOADS

  const bundle = await setup.buildLibrary()
  const pages = await setup.buildHarness()
  const cleanups: Array<() => Promise<void> | void> = []
  try {
    // ---- loopback: Node to Node, browser to browser through the relay, page load to ready
    const relay = await setup.startRelay('127.0.0.1')
    cleanups.push(() => relay.stop())
    const relays = [relay.ws, ...(relay.tcp === undefined ? [] : [relay.tcp])]
    const nodes = await Promise.all(
      [0, 1].map(async () => {
        // no listening address of their own: like the browsers, they reach each other only through
        // the relay's circuits
        const m = await createMessenger({ db: new MemoryLevel() as never, listen: [] })
        cleanups.push(() => m.close())
        await m.createAccount({ relays })
        await m.start()
        return m
      }),
    )
    const [alice, bob] = nodes as [(typeof nodes)[0], (typeof nodes)[0]]
    await alice.addContact(bob.account().invite, { name: 'bob' })
    await bob.addContact(alice.account().invite, { name: 'alice' })
    const node = await measure.nodeLatency(alice, bob, 'bob', warmup, count)

    const loopback = { connectionPolicy: 'loopback', webRTC: false }
    const browsers = await Promise.all([0, 1].map(() => setup.launchBrowser(pages)))
    for (const b of browsers) {
      cleanups.push(() => b.close())
    }
    const [pageA, pageB] = await Promise.all(
      browsers.map(async (b) => {
        const page = await b.context.newPage()
        await page.goto(b.url)
        return page
      }),
    )
    const a = await measure.pageAccount(pageA!, 'a', relay.ws, loopback)
    const b = await measure.pageAccount(pageB!, 'b', relay.ws, loopback)
    await measure.pageContacts(pageA!, pageB!, a.invite, b.invite)
    // the same path with one store setting changed, measured in turns with the shipped one: relaxed
    // IndexedDB durability (writes complete before they are flushed), and no read cache (every read
    // an IndexedDB transaction)
    const variant = async (suffix: string, change: Record<string, unknown>) => {
      const options = { ...loopback, ...change }
      const [va, vb] = await Promise.all(
        browsers.map(async (b) => {
          const page = await b.context.newPage()
          await page.goto(b.url)
          return page
        }),
      )
      const ia = await measure.pageAccount(va!, `a-${suffix}`, relay.ws, options)
      const ib = await measure.pageAccount(vb!, `b-${suffix}`, relay.ws, options)
      await measure.pageContacts(va!, vb!, ia.invite, ib.invite)
      return { label: suffix, from: va!, to: vb! }
    }
    const pairs = [
      { label: 'relay', from: pageA!, to: pageB! },
      await variant('relaxed', { durability: 'relaxed' }),
      await variant('uncached', { readCache: false }),
    ]
    const latencies = await measure.interleavedLatency(pairs, warmup, count)
    for (const pair of pairs.slice(1)) {
      await Promise.all([pair.from.close(), pair.to.close()])
    }
    const relayed = latencies.get('relay')!
    const relayRelaxed = latencies.get('relaxed')!
    const relayUncached = latencies.get('uncached')!
    const ready = await measure.readyTimes(pageA!, 'a', loopback, loads)

    // ---- WebRTC, inside a private network namespace
    let webrtc: Latencies | string
    const netns = setup.createNetns()
    if (typeof netns === 'string') {
      webrtc = netns
    } else {
      cleanups.push(() => netns.remove())
      const inner = await setup.startRelay(setup.NETNS_RELAY_HOST, netns.name)
      cleanups.push(() => inner.stop())
      const permissive = { connectionPolicy: 'permissive', webRTC: true }
      const rtcBrowsers = await Promise.all([0, 1].map(() => setup.launchBrowser(pages, netns.name)))
      for (const rb of rtcBrowsers) {
        cleanups.push(() => rb.close())
      }
      const [rtcA, rtcB] = await Promise.all(
        rtcBrowsers.map(async (rb) => {
          const page = await rb.context.newPage()
          await page.goto(rb.url)
          return page
        }),
      )
      const ra = await measure.pageAccount(rtcA!, 'a', inner.ws, permissive)
      const rb = await measure.pageAccount(rtcB!, 'b', inner.ws, permissive)
      await measure.pageContacts(rtcA!, rtcB!, ra.invite, rb.invite)
      await measure.pageLatency(rtcA!, rtcB!, 'first', 0, 1) // the relayed connection that carries the signalling
      try {
        await measure.waitForWebRTC(rtcA!, rb.peerId, WEBRTC_WAIT_MS)
        webrtc = await measure.pageLatency(rtcA!, rtcB!, 'webrtc', warmup, count)
      } catch (err) {
        webrtc = `no WebRTC connection: ${(err as Error).message}`
      }
    }
    return { bundle, ready, relay: relayed, relayRelaxed, relayUncached, webrtc, node }
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch(() => {})
    }
  }
}

function report(figures: Figures, options: BenchOptions): BenchRow[] {
  const print = printer(options)
  const latency = (l: Latencies | string) =>
    typeof l === 'string'
      ? { p50: Number.NaN, p90: Number.NaN, n: 0, note: l }
      : { p50: pct(l.samples, 50), p90: pct(l.samples, 90), n: l.samples.length, note: '' }
  const relay = latency(figures.relay)
  const relayRelaxed = latency(figures.relayRelaxed)
  const relayUncached = latency(figures.relayUncached)
  const webrtc = latency(figures.webrtc)
  const node = latency(figures.node)
  const ready = { p50: pct(figures.ready, 50), p90: pct(figures.ready, 90), n: figures.ready.length }
  const pass = figures.bundle.total.gzip <= BUNDLE_TARGET_GZIP_BYTES
  if (options.json === true) {
    print(
      JSON.stringify({
        type: 'meta',
        benchmark: 'browser',
        machine: machine(),
        chromium: '/usr/bin/chromium',
      }),
    )
    print(
      JSON.stringify({
        type: 'result',
        scenario: 'bundle',
        ...figures.bundle,
        targetGzip: BUNDLE_TARGET_GZIP_BYTES,
        pass,
      }),
    )
    print(JSON.stringify({ type: 'result', scenario: 'page load to ready', unit: 'ms', ...ready }))
    for (const [scenario, l] of [
      ['browser to browser, relay', relay],
      ['browser to browser, relay, relaxed durability', relayRelaxed],
      ['browser to browser, relay, no read cache', relayUncached],
      ['browser to browser, WebRTC', webrtc],
      ['Node to Node, relay', node],
    ] as const) {
      print(JSON.stringify({ type: 'result', scenario, unit: 'ms', ...l }))
    }
    return []
  }
  const m = machine()
  print(
    `Browser benchmark: Chromium (/usr/bin/chromium) and Node ${m.node}, ${m.cpus} × ${m.cpuModel}, load ${m.loadAverage}`,
  )
  if (options.quick === true) {
    print('(quick run: too few samples for the figures to mean anything)')
  }
  print('')
  for (const line of table(
    ['library bundle (no demo)', 'minified', 'gzip', 'target'],
    [
      ['loaded at start-up', kib(figures.bundle.startup.minified), kib(figures.bundle.startup.gzip), ''],
      [
        `everything, with on-demand chunks (${figures.bundle.files} files)`,
        kib(figures.bundle.total.minified),
        kib(figures.bundle.total.gzip),
        `<= ${kib(BUNDLE_TARGET_GZIP_BYTES)} ${pass ? 'PASS' : 'MISS'}`,
      ],
    ],
  )) {
    print(line)
  }
  print('')
  for (const line of table(
    ['scenario', 'n', 'p50', 'p90', 'note'],
    [
      [
        'page load to ready (keys loaded, relay connected)',
        String(ready.n),
        ms(ready.p50),
        ms(ready.p90),
        '',
      ],
      ['message, browser to browser, through the relay', String(relay.n), ms(relay.p50), ms(relay.p90), ''],
      [
        '  the same, IndexedDB durability relaxed',
        String(relayRelaxed.n),
        ms(relayRelaxed.p50),
        ms(relayRelaxed.p90),
        'writes complete before the flush',
      ],
      [
        '  the same, no read cache',
        String(relayUncached.n),
        ms(relayUncached.p50),
        ms(relayUncached.p90),
        'every read an IndexedDB transaction',
      ],
      ['message, browser to browser, WebRTC', String(webrtc.n), ms(webrtc.p50), ms(webrtc.p90), webrtc.note],
      ['message, Node to Node, through the relay', String(node.n), ms(node.p50), ms(node.p90), ''],
    ],
  )) {
    print(line)
  }
  return []
}

function pct(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) {
    return Number.NaN
  }
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}

export const browserBenchmark: Benchmark = {
  name: 'browser',
  description:
    'Ferry in Chromium: library bundle size, page load to ready, message latency browser to browser (relay, WebRTC) beside Node to Node',
  async run(options: BenchOptions = {}): Promise<BenchRow[]> {
    if (options.variants !== undefined) {
      throw new RangeError('the browser benchmark has no variants (--providers)')
    }
    const { existsSync } = await import('node:fs')
    const { CHROMIUM } = await import('./setup.js')
    if (!existsSync(CHROMIUM)) {
      throw new RangeError(`the browser benchmark needs ${CHROMIUM} (apt-get install chromium)`)
    }
    return report(await measureAll(options), options)
  },
}
