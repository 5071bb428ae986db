/**
 * Crash atomicity with a real process (FAULTS 18, 37): a child Node process commits units in a loop
 * on classic-level, each unit writing a session record, a message, a dedup mark and an event; it is
 * SIGKILLed at random moments, five times. After every kill the store must hold every unit fully or
 * not at all, every unit whose commit resolved, units in order without holes, and event cursors that
 * strictly increase with the unit number, across restarts, never reused.
 *
 * The child (crash-child.mjs) is plain JavaScript against the package's dist build, because a child
 * process has none of vitest's TypeScript transform: `beforeAll` runs `tsc -b packages/storage` (a
 * no-op when `npm test` has just built it), so the child never runs stale code.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ClassicLevel } from 'classic-level'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openClientStore } from '../../src/index.js'
import { tempDir } from './helpers.js'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../../../..')
const CHILD = join(here, 'crash-child.mjs')
const KILLS = 5

const tagged = (length: number, tag: number, n: number) => {
  const out = new Uint8Array(length)
  out[0] = tag
  new DataView(out.buffer).setUint32(length - 4, n)
  return out
}
const peer = tagged(32, 0xac, 1)

let seed = 0x5eed
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return seed / 2 ** 32
}

let dir: { path: string; remove: () => Promise<void> }
const children: ChildProcess[] = []

beforeAll(async () => {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/storage'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
  if (!existsSync(join(root, 'packages/storage/dist/src/client/index.js'))) {
    throw new Error(`the storage dist build is missing: ${build.stdout}${build.stderr}`)
  }
  dir = await tempDir()
}, 60_000)

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
    }
  }
  await dir?.remove()
})

/** Runs the child until it has printed "ready", waits `ms` more, kills it; returns the units it acked. */
async function runAndKill(ms: number, run: number): Promise<Map<number, number>> {
  const acked = new Map<number, number>()
  const child = spawn(process.execPath, [CHILD, dir.path, String(run + 1)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stderr = ''
  let buffered = ''
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      buffered += s
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        if (line === 'ready') {
          setTimeout(() => {
            child.kill('SIGKILL')
            resolve()
          }, ms)
        } else {
          const [n, cursor] = line.split(' ').map(Number)
          acked.set(n!, cursor!)
        }
      }
    })
    child.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`the child exited by itself (${code}): ${stderr}`))
      }
    })
  })
  await exited
  return acked
}

interface Unit {
  session: boolean
  message: boolean
  seen: boolean
  cursor: number | undefined
}

/** Reads back every unit 0..upTo (and a few past it) from the directory. */
async function inspectStore(upTo: number): Promise<Unit[]> {
  const store = await openClientStore(new ClassicLevel(dir.path))
  try {
    const cursors = new Map<number, number>()
    let after = 0
    while (true) {
      const page = await store.events.since(after, 500)
      if (page.length === 0) {
        break
      }
      for (const event of page) {
        const n = new DataView(event.payload.buffer, event.payload.byteOffset).getUint32(0)
        expect(cursors.has(n)).toBe(false)
        cursors.set(n, event.cursor)
        after = event.cursor
      }
    }
    const probe = store.unit()
    const units: Unit[] = []
    const last = Math.max(upTo, ...cursors.keys()) + 3
    for (let n = 0; n <= last; n++) {
      const session = await probe.crypto.sessions.loadSession({ accountKey: peer, deviceId: n })
      if (session !== undefined) {
        expect(new DataView(session.buffer).getUint32(0)).toBe(n)
      }
      const message = await store.messages.get(tagged(16, 0x1d, n))
      if (message !== undefined) {
        expect(message.text).toBe(`unit ${n}`)
      }
      units.push({
        session: session !== undefined,
        message: message !== undefined,
        seen: await store.inbox.seen(tagged(16, 0xee, n)),
        cursor: cursors.get(n),
      })
    }
    probe.discard()
    return units
  } finally {
    await store.close()
  }
}

describe('client store under SIGKILL', () => {
  it(`FAULTS 37: every unit is fully present or fully absent after each of ${KILLS} kills; cursors only grow`, async () => {
    const everAcked = new Map<number, number>()
    let highestCursor = 0
    for (let run = 0; run < KILLS; run++) {
      const acked = await runAndKill(40 + Math.floor(random() * 360), run)
      for (const [n, cursor] of acked) {
        everAcked.set(n, cursor)
      }
      const units = await inspectStore(Math.max(-1, ...everAcked.keys()))
      const present = units.map((u) => u.session || u.message || u.seen || u.cursor !== undefined)
      units.forEach((u, n) => {
        const all = u.session && u.message && u.seen && u.cursor !== undefined
        // all or nothing
        expect({ n, partial: present[n] && !all }).toEqual({ n, partial: false })
      })
      // every acknowledged unit is there, with the cursor its commit reported
      for (const [n, cursor] of everAcked) {
        expect(units[n]?.cursor).toBe(cursor)
      }
      // units form a prefix 0..k (the child commits one after another) with strictly growing cursors
      const count = present.filter(Boolean).length
      expect(present.slice(0, count).every(Boolean)).toBe(true)
      const cursors = units.slice(0, count).map((u) => u.cursor!)
      cursors.forEach((c, i) => {
        expect(c).toBeGreaterThan(i === 0 ? 0 : cursors[i - 1]!)
      })
      // what a previous run committed is never renumbered; a new run only adds larger cursors
      expect(cursors.at(-1) ?? 0).toBeGreaterThanOrEqual(highestCursor)
      highestCursor = cursors.at(-1) ?? 0
    }
    expect(everAcked.size).toBeGreaterThan(0)
  }, 30_000)
})
