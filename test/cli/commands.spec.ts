/**
 * The `ferry` command line as a process: help for every command, the JSON shapes of `init` and `id`,
 * and one-line errors with distinct exit codes for usage errors and runtime failures.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { terminateAfterPipesClose } from '../helpers/closed-pipes.js'
import { buildBins, FerryProcess, ferry, ferryJson, jsonLines, Relay } from './helpers/ferry.js'

const EXIT_USAGE = 2
const EXIT_ACCOUNT = 3
const EXIT_NOT_FOUND = 4

const COMMANDS = [
  'init',
  'id',
  'daemon',
  'contacts add',
  'contacts list',
  'send',
  'receive',
  'history',
  'status',
  'verify',
  'link new',
  'link join',
  'devices list',
  'devices remove',
  'group create',
  'group add',
  'group remove',
  'group leave',
  'group send',
  'group list',
  'group info',
]

const root = mkdtempSync(join(tmpdir(), 'ferry-cli-'))
let counter = 0
const freshDir = (): string => join(root, `d${++counter}`)
let relay: Relay
let alice: string
let aliceInfo: Record<string, unknown>

beforeAll(async () => {
  buildBins()
  relay = await Relay.start(join(root, 'relay'))
  alice = freshDir()
  ;[aliceInfo] = (await ferryJson(['--data', alice, 'init', '--relay', relay.addrs[0]!])) as [
    Record<string, unknown>,
  ]
}, 120_000)

afterAll(async () => {
  await relay?.stop()
  rmSync(root, { recursive: true, force: true })
})

/** Exactly one line on stderr, nothing on stdout. */
function expectOneLineError(result: { stdout: string; stderr: string }): string {
  expect(result.stdout).toBe('')
  const lines = result.stderr.trimEnd().split('\n')
  expect(lines).toHaveLength(1)
  return lines[0]!
}

describe('ferry --help', () => {
  it('a daemon exits 0 on SIGTERM after the readers of its output went away (closed log pipes)', async () => {
    // with libp2p's debug log on, lines keep coming to stderr after its reader is gone
    const daemon = new FerryProcess(['--data', alice, '--json', 'daemon'], { DEBUG: 'libp2p:*' })
    await daemon.waitForLine((line) => line.ready === true)
    try {
      expect(await terminateAfterPipesClose(daemon.child, daemon.exited)).toEqual({ code: 0, signal: null })
    } finally {
      await daemon.stop('SIGKILL')
    }
  }, 60_000)

  it('lists every command, and exits 0', async () => {
    const result = await ferry(['--help'])
    expect(result.code).toBe(0)
    const section = result.stdout.split('Commands:\n')[1]!.split('\n\n')[0]!
    const listed = section.split('\n').map((line) => line.trim().split(/\s{2,}/)[0])
    expect(listed).toEqual(COMMANDS)
    expect(result.stdout).toMatch(/Exit codes:/)
  })

  it.each(COMMANDS)('ferry %s --help shows its usage, flags and JSON shape', async (command) => {
    const result = await ferry([...command.split(' '), '--help'])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain(`ferry [--data DIR] [--json] ${command}`)
    expect(result.stdout).toContain('With --json:')
    expect(result.stdout).toContain('--data DIR')
  })

  it('ferry help COMMAND is the same as ferry COMMAND --help; a group alone lists its subcommands', async () => {
    expect((await ferry(['help', 'send'])).stdout).toBe((await ferry(['send', '--help'])).stdout)
    const group = await ferry(['contacts', '--help'])
    expect(group.code).toBe(0)
    expect(group.stdout).toContain('contacts add')
    expect(group.stdout).toContain('contacts list')
  })
})

describe('init and id', () => {
  it('init --json prints the account ID, device 1, the invite and the relays, and makes DIR private', async () => {
    expect(Object.keys(aliceInfo).sort()).toEqual([
      'accountId',
      'deviceId',
      'invite',
      'peerId',
      'primary',
      'relays',
    ])
    expect(aliceInfo.accountId).toMatch(/^ferry1[02-9ac-hj-np-z]+$/)
    expect(aliceInfo.deviceId).toBe(1)
    expect(aliceInfo.primary).toBe(true)
    expect(aliceInfo.invite).toMatch(new RegExp(`^ferry://invite/${aliceInfo.accountId as string}\\?relay=`))
    expect(aliceInfo.relays).toEqual([relay.addrs[0]])
    expect(aliceInfo.peerId).toMatch(/^12D3KooW/)
    expect(statSync(alice).mode & 0o777).toBe(0o700)
  })

  it('id --json prints the same object; id without --json shows it with a QR code', async () => {
    expect(await ferryJson(['--data', alice, 'id'])).toEqual([aliceInfo])
    const text = await ferry(['--data', alice, 'id'])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(`Account ID: ${aliceInfo.accountId as string}`)
    expect(text.stdout).toContain(aliceInfo.invite as string)
    expect(text.stdout).toMatch(/[▀▄█]{20,}/)
  })

  it('FERRY_HOME names the data directory when --data is absent', async () => {
    const result = await ferry(['--json', 'id'], { env: { FERRY_HOME: alice } })
    expect(jsonLines(result.stdout)).toEqual([aliceInfo])
  })

  it('init on a directory that has an account refuses, with exit 3', async () => {
    const result = await ferry(['--data', alice, 'init', '--relay', relay.addrs[0]!])
    expect(result.code).toBe(EXIT_ACCOUNT)
    expect(expectOneLineError(result)).toMatch(/^ferry: .*already has an account/)
  })
})

describe('errors: one line on stderr, a distinct exit code', () => {
  it('an unknown command is a usage error (2)', async () => {
    const result = await ferry(['frobnicate'])
    expect(result.code).toBe(EXIT_USAGE)
    expect(expectOneLineError(result)).toBe(
      "ferry: unknown command 'frobnicate' (ferry --help lists the commands)",
    )
  })

  it('an unknown flag, a missing argument and a malformed value are usage errors (2)', async () => {
    const flag = await ferry(['--data', alice, 'send', 'bob', 'hi', '--colour'])
    expect(flag.code).toBe(EXIT_USAGE)
    expect(expectOneLineError(flag)).toMatch(/^ferry: send: Unknown option '--colour'/)

    const missing = await ferry(['--data', alice, 'send', 'bob'])
    expect(missing.code).toBe(EXIT_USAGE)
    expect(expectOneLineError(missing)).toMatch(/^ferry: send: missing TEXT/)

    const limit = await ferry(['--data', alice, 'history', 'bob', '--limit', 'many'])
    expect(limit.code).toBe(EXIT_USAGE)
    expect(expectOneLineError(limit)).toBe('ferry: --limit takes a whole number')

    const none = await ferry([])
    expect(none.code).toBe(EXIT_USAGE)
    expect(expectOneLineError(none)).toMatch(/^ferry: no command given/)
  })

  it('a data directory without an account is exit 3, for every command that needs one', async () => {
    const empty = freshDir()
    for (const args of [['id'], ['contacts', 'list'], ['send', 'bob', 'hi'], ['receive']]) {
      const result = await ferry(['--data', empty, ...args])
      expect(result.code, args.join(' ')).toBe(EXIT_ACCOUNT)
      expect(expectOneLineError(result)).toMatch(/^ferry: no account in .*ferry init --relay/)
    }
  })

  it('an unknown contact is exit 4, with a JSON error line under --json', async () => {
    const text = await ferry(['--data', alice, 'send', 'nobody', 'hello'])
    expect(text.code).toBe(EXIT_NOT_FOUND)
    expect(expectOneLineError(text)).toMatch(/^ferry: .*nobody/)

    const json = await ferry(['--data', alice, '--json', 'history', 'nobody'])
    expect(json.code).toBe(EXIT_NOT_FOUND)
    expect(JSON.parse(expectOneLineError(json))).toMatchObject({ error: 'UnknownContactError' })

    const message = await ferry(['--data', alice, 'status', '00'.repeat(16)])
    expect(message.code).toBe(EXIT_NOT_FOUND)
    expect(expectOneLineError(message)).toBe('ferry: no message with that ID on this device')
  })

  it('a malformed invite or relay address is a usage error (2)', async () => {
    const invite = await ferry(['--data', alice, 'contacts', 'add', 'ferry1notachecksum'])
    expect(invite.code).toBe(EXIT_USAGE)
    expectOneLineError(invite)

    const relayAddr = await ferry(['--data', freshDir(), 'init', '--relay', '/ip4/127.0.0.1/tcp/1'])
    expect(relayAddr.code).toBe(EXIT_USAGE)
    expect(expectOneLineError(relayAddr)).toMatch(/\/p2p\//)
  })
})
