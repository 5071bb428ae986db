/**
 * The timed parts of the browser benchmark. One-way message latency is the time from the sender's
 * `send` call to the receiver's `message` event (the message decrypted and durably stored), one
 * message at a time; the two clocks are the same machine's (Node's in one process, Chromium's
 * `timeOrigin + now()` across browser processes). Page-load-to-ready is the time from navigation start
 * to the messenger being open, started, and connected to its relay, with keys already in IndexedDB.
 */
import type { Messenger } from '@ferry/client'
import type { Page } from 'playwright-core'

/** What the harness page (test/browser/harness/main.ts) offers, as far as the benchmark uses it. */
interface PageHarness {
  messenger:
    | {
        createAccount(options: { relays: readonly string[] }): Promise<{ invite: string; peerId: string }>
        account(): { invite: string; peerId: string }
        start(): Promise<void>
        addContact(invite: string, options: { name: string }): Promise<unknown>
        send(to: string, text: string): Promise<unknown>
        connections(): Array<{ peerId: string; transport: string }>
        on(type: 'message', listener: (event: { text: string }) => void): () => void
      }
    | undefined
  readonly arrivals: Record<string, number>
  now(): number
  open(options: Record<string, unknown>): Promise<string | undefined>
  ready(options: Record<string, unknown>): Promise<number>
}

declare global {
  var harness: PageHarness
}

export interface Latencies {
  /** Milliseconds, in the order measured. */
  readonly samples: number[]
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Node to Node: `count` messages after `warmup`, one at a time. */
export async function nodeLatency(
  from: Messenger,
  to: Messenger,
  toName: string,
  warmup: number,
  count: number,
): Promise<Latencies> {
  const samples: number[] = []
  for (let i = 0; i < warmup + count; i++) {
    const text = `node ${i}`
    let arrived = 0
    const got = new Promise<void>((resolve) => {
      const off = to.on('message', (event) => {
        if (event.text === text) {
          arrived = performance.now()
          off()
          resolve()
        }
      })
    })
    const start = performance.now()
    await from.send(toName, text)
    await got
    if (i >= warmup) {
      samples.push(arrived - start)
    }
  }
  return { samples }
}

/** A browser page opens store `name`, creates an account on `relay` and starts. */
export async function pageAccount(
  page: Page,
  name: string,
  relay: string,
  options: Record<string, unknown>,
): Promise<{ invite: string; peerId: string }> {
  const failure = await page.evaluate(([n, o]) => harness.open({ ...(o as object), name: n }), [
    name,
    options,
  ] as const)
  if (failure !== undefined) {
    throw new Error(`the messenger did not open: ${failure}`)
  }
  return page.evaluate(
    async (relays) => {
      const info = await harness.messenger!.createAccount({ relays })
      await harness.messenger!.start()
      return { invite: info.invite, peerId: info.peerId }
    },
    [relay],
  )
}

/** Makes two pages contacts of each other, named `a` and `b`. */
export async function pageContacts(a: Page, b: Page, aInvite: string, bInvite: string): Promise<void> {
  await a.evaluate((invite) => harness.messenger!.addContact(invite, { name: 'b' }), bInvite)
  await b.evaluate((invite) => harness.messenger!.addContact(invite, { name: 'a' }), aInvite)
}

/** One message from page `from` to page `to` (its contact `b`): the one-way latency in ms. */
async function oneMessage(from: Page, to: Page, text: string): Promise<number> {
  const start = await from.evaluate(async (t) => {
    const at = harness.now()
    void harness.messenger!.send('b', t)
    return at
  }, text)
  // waits inside the page (no polling over the DevTools protocol competing for the CPU)
  const arrived = await to.evaluate(
    (t) =>
      new Promise<number>((resolve, reject) => {
        setTimeout(() => reject(new Error(`message ${t} did not arrive`)), 30_000)
        const now = harness.arrivals[t]
        if (now !== undefined) {
          resolve(now)
          return
        }
        const off = harness.messenger!.on('message', (event: { text: string }) => {
          if (event.text === t) {
            off()
            resolve(harness.arrivals[t] ?? harness.now())
          }
        })
      }),
    text,
  )
  return arrived - start
}

/** Page `from` to page `to` (contact `b`): `count` messages after `warmup`, one at a time. */
export async function pageLatency(
  from: Page,
  to: Page,
  label: string,
  warmup: number,
  count: number,
): Promise<Latencies> {
  const samples: number[] = []
  for (let i = 0; i < warmup + count; i++) {
    const latency = await oneMessage(from, to, `${label} ${i}`)
    if (i >= warmup) {
      samples.push(latency)
    }
  }
  return { samples }
}

/**
 * Several sender/receiver pairs measured in turns, one message each per round, so that load that
 * drifts over the run weighs on every pair alike.
 */
export async function interleavedLatency(
  pairs: ReadonlyArray<{ label: string; from: Page; to: Page }>,
  warmup: number,
  count: number,
): Promise<Map<string, Latencies>> {
  const out = new Map(pairs.map((p) => [p.label, { samples: [] as number[] }]))
  for (let i = 0; i < warmup + count; i++) {
    for (const { label, from, to } of pairs) {
      const latency = await oneMessage(from, to, `${label} ${i}`)
      if (i >= warmup) {
        out.get(label)!.samples.push(latency)
      }
    }
  }
  return out
}

/** Waits until page `a` holds a WebRTC connection to the peer `peerId`. */
export async function waitForWebRTC(a: Page, peerId: string, ms: number): Promise<void> {
  await until(
    () =>
      a.evaluate(
        (peer) => harness.messenger!.connections().some((c) => c.peerId === peer && c.transport === 'webrtc'),
        peerId,
      ),
    ms,
    'a WebRTC connection',
  )
}

/** Reloads `page` `count` times and returns the page-load-to-ready times (ms). */
export async function readyTimes(
  page: Page,
  name: string,
  options: Record<string, unknown>,
  count: number,
): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < count; i++) {
    await page.reload()
    await page.waitForFunction(() => typeof globalThis.harness !== 'undefined')
    times.push(
      await page.evaluate(([n, o]) => harness.ready({ ...(o as object), name: n }), [name, options] as const),
    )
  }
  return times
}
