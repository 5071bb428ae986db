/**
 * Messengers for the group tests: accounts on one in-process relay (helpers/relay.ts), a second
 * device linked where asked, each messenger with a logger that also keeps what the group code logs
 * (log lines carry reasons and counts, never content).
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'
import { defaultLogger } from '@libp2p/logger'
import { MemoryLevel } from 'memory-level'
import { createMessenger, type MessageEvent, type Messenger } from '../../src/index.js'
import type { TestRelay } from './relay.js'

export interface Device {
  readonly messenger: Messenger
  readonly db: MemoryLevel
  /** Formatted log lines of the device's group code. */
  readonly groupLog: string[]
  /** Every message event, in order. */
  readonly messages: MessageEvent[]
}

function capturingLogger(lines: string[]): ComponentLogger {
  const base = defaultLogger()
  return {
    forComponent(name: string): Logger {
      const inner = base.forComponent(name)
      if (!name.startsWith('ferry:client:groups')) {
        return inner
      }
      const record = (formatter: unknown, ...args: unknown[]): void => {
        let i = 0
        lines.push(String(formatter).replace(/%[sdo]/g, () => String(args[i++])))
      }
      const log = Object.assign((formatter: unknown, ...args: unknown[]) => record(formatter, ...args), {
        error: (formatter: unknown, ...args: unknown[]) => record(formatter, ...args),
        trace: inner.trace,
        enabled: true,
        newScope: (scope: string) => inner.newScope(scope),
      })
      return log as Logger
    },
  }
}

export async function device(cleanups: Array<() => Promise<void>>, db = new MemoryLevel()): Promise<Device> {
  const groupLog: string[] = []
  const messenger = await createMessenger({
    db: db as never,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    logger: capturingLogger(groupLog),
  })
  cleanups.push(() => messenger.close())
  const messages: MessageEvent[] = []
  messenger.on('message', (event) => messages.push(event))
  return { messenger, db, groupLog, messages }
}

/** A started account with one device. */
export async function account(relay: TestRelay, cleanups: Array<() => Promise<void>>): Promise<Device> {
  const d = await device(cleanups)
  await d.messenger.createAccount({ relays: [relay.addr] })
  await d.messenger.start()
  return d
}

/** A second device linked to `primary`'s account, started. */
export async function linked(primary: Device, cleanups: Array<() => Promise<void>>): Promise<Device> {
  const d = await device(cleanups)
  const pairing = primary.messenger.createPairing()
  await d.messenger.linkDevice(pairing.code)
  await pairing.completed
  await d.messenger.start()
  return d
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for a condition')
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
