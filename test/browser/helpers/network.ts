/**
 * The other ends of a browser test, in the test process: a relay (the relay node's `startRelay`, with
 * its LevelDB store in a temporary directory, TCP and WebSockets on an address of the test's choice)
 * and Node users (@ferry/client's createMessenger over memory-level).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMessenger, type Messenger, type MessengerEvent } from '@ferry/client'
import { MemoryLevel } from 'memory-level'
import { type RelayHandle, startRelay } from '../../../relay-node/src/index.js'

export interface TestRelay {
  readonly handle: RelayHandle
  readonly dataDir: string
  readonly ports: { tcp: number; ws: number }
  /** The WebSocket address (what browsers dial), ending in /p2p/<relay>. */
  readonly ws: string
  readonly tcp: string
  stop(): Promise<void>
}

/**
 * A relay on `host`. With `dataDir` (kept on stop) and `ports` it comes back as the same relay: same
 * identity, same addresses.
 */
export async function startTestRelay(
  host = '127.0.0.1',
  options: { dataDir?: string; ports?: { tcp: number; ws: number } } = {},
): Promise<TestRelay> {
  const { dataDir, ports } = options
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'ferry-relay-'))
  const handle = await startRelay({
    dataDir: dir,
    config: {
      listen: [`/ip4/${host}/tcp/${ports?.tcp ?? 0}`, `/ip4/${host}/tcp/${ports?.ws ?? 0}/ws`],
      metrics: { enabled: false },
      dht: { privateAddresses: true },
    },
  })
  const ws = handle.addrs.find((a) => a.includes('/ws/'))
  const tcp = handle.addrs.find((a) => !a.includes('/ws/'))
  if (ws === undefined || tcp === undefined) {
    throw new Error(`the relay listens on no WebSocket or TCP address: ${handle.addrs.join(' ')}`)
  }
  let stopped = false
  const port = (addr: string) => Number(addr.split('/')[4])
  return {
    handle,
    dataDir: dir,
    ports: { tcp: port(tcp), ws: port(ws) },
    ws,
    tcp,
    async stop() {
      if (stopped) {
        return
      }
      stopped = true
      await handle.stop()
      if (dataDir === undefined) {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

/** A Node user with an account on `relay` (listed WebSocket first: browsers reach it through that). */
export async function nodeUser(relay: TestRelay): Promise<Messenger> {
  const messenger = await createMessenger({
    db: new MemoryLevel() as never,
    listen: ['/ip4/127.0.0.1/tcp/0'],
  })
  await messenger.createAccount({ relays: [relay.ws, relay.tcp] })
  await messenger.start()
  return messenger
}

/** Resolves with the next event of `type` that `accept` takes, or rejects after `ms`. */
export function nextEvent<T extends MessengerEvent['type']>(
  messenger: Messenger,
  type: T,
  accept: (event: Extract<MessengerEvent, { type: T }>) => boolean = () => true,
  ms = 30_000,
): Promise<Extract<MessengerEvent, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`no ${type} event within ${ms} ms`))
    }, ms)
    const off = messenger.on(type, (event) => {
      if (accept(event as Extract<MessengerEvent, { type: T }>)) {
        clearTimeout(timer)
        off()
        resolve(event as Extract<MessengerEvent, { type: T }>)
      }
    })
  })
}

/** Polls `check` every `intervalMs` until it holds, or throws after `ms`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  ms = 30_000,
  what = 'condition',
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
