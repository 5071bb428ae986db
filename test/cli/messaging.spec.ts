/**
 * Two accounts exchanging messages through a relay with the `ferry` command, first with each command
 * running the node itself, then through a daemon: a follower attached to the daemon's socket, a
 * client attached late that resumes from its cursor, a daemon killed with SIGKILL and restarted, and
 * a second daemon on the same directory refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildBins,
  FerryProcess,
  ferry,
  ferryJson,
  ferryOne,
  type Line,
  Relay,
  sleep,
  startDaemon,
} from './helpers/ferry.js'

const EXIT_IN_USE = 5

const root = mkdtempSync(join(tmpdir(), 'ferry-cli-msg-'))
const aliceDir = join(root, 'alice')
const bobDir = join(root, 'bob')
let relay: Relay
let alice: { accountId: string; invite: string }
let bob: { accountId: string; invite: string }
const running: FerryProcess[] = []

beforeAll(async () => {
  buildBins()
  relay = await Relay.start(join(root, 'relay'))
  ;[alice, bob] = (await Promise.all([
    ferryOne(['--data', aliceDir, 'init', '--relay', relay.addrs[0]!]),
    ferryOne(['--data', bobDir, 'init', '--relay', relay.addrs[0]!]),
  ])) as [typeof alice, typeof bob]
  await Promise.all([
    ferryJson(['--data', aliceDir, 'contacts', 'add', bob.invite, '--name', 'bob']),
    ferryJson(['--data', bobDir, 'contacts', 'add', alice.invite, '--name', 'alice']),
  ])
}, 120_000)

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')))
  await relay?.stop()
  rmSync(root, { recursive: true, force: true })
})

/** Runs `receive --json` until a printed event satisfies `done` (bounded); returns every event printed. */
async function receiveUntil(
  dir: string,
  done: (events: Line[]) => boolean,
  extra: string[] = [],
): Promise<Line[]> {
  const events: Line[] = []
  const deadline = Date.now() + 30_000
  while (!done(events)) {
    if (Date.now() > deadline) {
      throw new Error(`timed out receiving; printed so far: ${JSON.stringify(events)}`)
    }
    events.push(...(await ferryJson(['--data', dir, 'receive', '--timeout', '1', ...extra])))
  }
  return events
}

const hasMessage = (id: string) => (events: Line[]) => events.some((e) => e.type === 'message' && e.id === id)

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await sleep(200)
  }
}

describe('without a daemon', () => {
  it('two accounts exchange messages with send and receive through the relay, each shown once', async () => {
    const sent = await ferryOne(['--data', aliceDir, 'send', 'bob', 'hello bob'])
    expect(sent.id).toMatch(/^[0-9a-f]{32}$/)
    expect(sent.devices).toEqual([
      { account: bob.accountId, device: 1, status: expect.stringMatching(/^(stored|delivered)$/) },
    ])

    const atBob = await receiveUntil(bobDir, hasMessage(sent.id))
    const message = atBob.find((e) => e.type === 'message' && e.id === sent.id)!
    expect(message).toEqual({
      type: 'message',
      cursor: expect.any(Number),
      id: sent.id,
      conversation: alice.accountId,
      direction: 'in',
      from: alice.accountId,
      fromDevice: 1,
      text: 'hello bob',
      sentAt: expect.any(Number),
      receivedAt: expect.any(Number),
    })

    // a reply, by name; the text comes from standard input
    const reply = await ferry(['--data', bobDir, '--json', 'send', 'alice', '-'], { input: 'hello alice\n' })
    expect(reply.code).toBe(0)
    const replyId = JSON.parse(reply.stdout).id as string
    const atAlice = await receiveUntil(aliceDir, hasMessage(replyId))
    expect(atAlice.find((e) => e.id === replyId && e.type === 'message')).toMatchObject({
      from: bob.accountId,
      text: 'hello alice',
    })

    // receive resumes after what it printed: the message is not shown again
    const again = await ferryJson(['--data', bobDir, 'receive', '--timeout', '1'])
    expect(again.filter((e) => e.type === 'message' && e.id === sent.id)).toEqual([])
    expect(Number(readFileSync(join(bobDir, 'cursors', 'cli'), 'utf8'))).toBeGreaterThanOrEqual(
      message.cursor,
    )

    // and both sides keep the conversation
    const history = await ferryJson(['--data', bobDir, 'history', 'alice'])
    expect(history.map((m) => [m.direction, m.text])).toEqual([
      ['in', 'hello bob'],
      ['out', 'hello alice'],
    ])
    const status = await ferryOne(['--data', aliceDir, 'status', sent.id])
    expect(status.recipients).toEqual([
      { account: bob.accountId, device: 1, status: expect.stringMatching(/^(stored|delivered|read)$/) },
    ])
  })
})

describe('with a daemon', () => {
  let daemon: FerryProcess
  let aliceDaemon: FerryProcess
  let follower: FerryProcess
  let followerCursor = 0

  it('receive --follow through the daemon socket sees a message sent while it is attached', async () => {
    // Alice sends through her own daemon from here on
    ;[daemon, aliceDaemon] = await Promise.all([startDaemon(bobDir), startDaemon(aliceDir)])
    running.push(daemon, aliceDaemon)
    const socket = join(bobDir, 'ferry.sock')
    expect(statSync(socket).isSocket()).toBe(true)
    expect(statSync(socket).mode & 0o777).toBe(0o600)

    // a new subscriber starts from the beginning: the backlog shows it is attached
    follower = new FerryProcess(['--data', bobDir, '--json', 'receive', '--follow', '--subscriber', 'follow'])
    running.push(follower)
    await follower.waitForLine((e) => e.type === 'message' && e.text === 'hello bob')

    const sent = await ferryOne(['--data', aliceDir, 'send', 'bob', 'while you listen'])
    const line = await follower.waitForLine((e) => e.type === 'message' && e.id === sent.id)
    expect(line).toMatchObject({ from: alice.accountId, fromDevice: 1, text: 'while you listen' })
    const cursors = follower.lines().map((e) => e.cursor)
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b))
    expect(new Set(cursors).size).toBe(cursors.length)

    expect(await follower.stop('SIGTERM')).toEqual({ code: 0, signal: null })
    followerCursor = Math.max(...follower.lines().map((e) => e.cursor))
    expect(Number(readFileSync(join(bobDir, 'cursors', 'follow'), 'utf8'))).toBe(followerCursor)
  })

  it('a client attached late misses nothing: with --since, or from its saved cursor', async () => {
    const ids: string[] = []
    for (const text of ['one', 'two', 'three']) {
      const sent = await ferryOne(['--data', aliceDir, 'send', 'bob', text])
      ids.push(sent.id)
    }
    // the daemon receives them with no client attached
    await waitFor(async () => {
      const history = await ferryJson(['--data', bobDir, 'history', 'alice'])
      return ids.every((id) => history.some((m) => m.id === id))
    }, 'the daemon to store the messages')

    const late = await ferryJson([
      '--data',
      bobDir,
      'receive',
      '--since',
      String(followerCursor),
      '--subscriber',
      'late',
    ])
    expect(late.filter((e) => e.type === 'message').map((e) => e.text)).toEqual(['one', 'two', 'three'])
    expect(late[0]!.cursor).toBe(followerCursor + 1)
    for (let i = 1; i < late.length; i++) {
      expect(late[i]!.cursor).toBe(late[i - 1]!.cursor + 1)
    }

    // the follower's subscriber, back without --since, resumes where it stopped
    const resumed = await ferryJson(['--data', bobDir, 'receive', '--subscriber', 'follow'])
    expect(resumed.slice(0, late.length)).toEqual(late)
  })

  it('the daemon killed with SIGKILL and restarted keeps every stored message and cursor', async () => {
    const before = await ferryJson(['--data', bobDir, 'receive', '--since', '0', '--subscriber', 'audit'])
    const saved = Number(readFileSync(join(bobDir, 'cursors', 'follow'), 'utf8'))
    expect(await daemon.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' })
    expect(existsSync(join(bobDir, 'ferry.sock'))).toBe(true) // left behind

    daemon = await startDaemon(bobDir)
    running.push(daemon)
    const after = await ferryJson(['--data', bobDir, 'receive', '--since', '0', '--subscriber', 'audit2'])
    expect(after.slice(0, before.length)).toEqual(before)
    const resumed = await ferryJson(['--data', bobDir, 'receive', '--subscriber', 'follow'])
    expect(resumed.every((e) => e.cursor > saved)).toBe(true)
    const history = await ferryJson(['--data', bobDir, 'history', 'alice'])
    expect(history.map((m) => m.text)).toEqual([
      'hello bob',
      'hello alice',
      'while you listen',
      'one',
      'two',
      'three',
    ])

    // and it keeps receiving, with cursors after the old ones
    const sent = await ferryOne(['--data', aliceDir, 'send', 'bob', 'after the restart'])
    const events = await receiveUntil(bobDir, hasMessage(sent.id), ['--subscriber', 'follow'])
    expect(events.find((e) => e.id === sent.id && e.type === 'message')!.cursor).toBeGreaterThan(
      Math.max(...before.map((e) => e.cursor)),
    )
  })

  it('a second daemon on the same directory is refused, and the first keeps serving', async () => {
    const second = await ferry(['--data', bobDir, 'daemon'])
    expect(second.code).toBe(EXIT_IN_USE)
    expect(second.stdout).toBe('')
    expect(second.stderr.trimEnd().split('\n')).toEqual([
      `ferry: a ferry daemon is already running on ${bobDir}`,
    ])
    expect(await ferryJson(['--data', bobDir, 'id'])).toMatchObject([{ accountId: bob.accountId }])
  })

  it('stops on SIGTERM with exit 0, removes its socket, and commands then run the node themselves', async () => {
    expect(await daemon.stop('SIGTERM')).toEqual({ code: 0, signal: null })
    expect(existsSync(join(bobDir, 'ferry.sock'))).toBe(false)
    expect(await aliceDaemon.stop('SIGINT')).toEqual({ code: 0, signal: null })
    const sent = await ferryOne(['--data', aliceDir, 'send', 'bob', 'no daemon now'])
    await receiveUntil(bobDir, hasMessage(sent.id))
  })
})
