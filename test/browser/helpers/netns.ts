/**
 * A private test network for WebRTC between headless Chromium instances (which gather no ICE
 * candidates on loopback alone): a network namespace holding both ends of a veth pair, each with a
 * test address, and a default route into the pair. Nothing is connected to the outside: traffic in
 * the namespace stays in it. Needs root (or CAP_NET_ADMIN); `netnsUnavailable()` says why not.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'

/** The two ends of the pair (a /24 of the private range, never routed anywhere). */
export const NETNS_RELAY_HOST = '10.231.0.1'
const PEER_HOST = '10.231.0.2'

function ip(args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' })
}

/** Undefined when a namespace can be made here; otherwise the reason it cannot. */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') {
    return 'network namespaces need Linux'
  }
  if (process.getuid?.() !== 0) {
    return 'creating a network namespace needs root'
  }
  const probe = `ferry-probe-${process.pid}`
  try {
    ip(['netns', 'add', probe])
    ip(['netns', 'delete', probe])
    return undefined
  } catch (err) {
    return `ip netns add failed: ${String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim()}`
  }
}

export interface TestNetwork {
  readonly name: string
  /** Runs `command` inside the namespace. */
  spawn(command: string, args: string[], options?: { cwd?: string }): ChildProcess
  remove(): void
}

/** Deletes the namespaces of earlier runs whose process is gone (a run killed before its cleanup). */
function removeLeftovers(): void {
  let names: string[] = []
  try {
    names = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
  } catch {
    return
  }
  for (const name of names) {
    const pid = /^ferry-rtc-(\d+)$/.exec(name)?.[1]
    if (pid === undefined) {
      continue
    }
    try {
      process.kill(Number(pid), 0)
    } catch {
      try {
        ip(['netns', 'delete', name])
      } catch {
        // already gone
      }
    }
  }
}

export function createTestNetwork(): TestNetwork {
  removeLeftovers()
  const name = `ferry-rtc-${process.pid}`
  try {
    ip(['netns', 'delete', name])
  } catch {
    // none left over
  }
  ip(['netns', 'add', name])
  try {
    ip(['-n', name, 'link', 'set', 'lo', 'up'])
    ip(['-n', name, 'link', 'add', 'ferry0', 'type', 'veth', 'peer', 'name', 'ferry1'])
    ip(['-n', name, 'addr', 'add', `${NETNS_RELAY_HOST}/24`, 'dev', 'ferry0'])
    ip(['-n', name, 'addr', 'add', `${PEER_HOST}/24`, 'dev', 'ferry1'])
    ip(['-n', name, 'link', 'set', 'ferry0', 'up'])
    ip(['-n', name, 'link', 'set', 'ferry1', 'up'])
    ip(['-n', name, 'route', 'add', 'default', 'via', PEER_HOST, 'dev', 'ferry0'])
  } catch (err) {
    ip(['netns', 'delete', name])
    throw err
  }
  return {
    name,
    spawn: (command, args, options = {}) =>
      spawn('ip', ['netns', 'exec', name, command, ...args], {
        cwd: options.cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    remove: () => {
      try {
        ip(['netns', 'delete', name])
      } catch {
        // already gone
      }
    },
  }
}
