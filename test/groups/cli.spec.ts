/**
 * Groups with the `ferry` command, as real processes: a ferry-relay and three accounts, each running a
 * daemon (so its node stays up and joins the group's gossip mesh). Alice creates a group of the three,
 * everyone online gets a message (delivered to 2 of 2, as the receipts say), a non-admin's change is
 * refused with its exit code, a removed member gets nothing more, and the JSON shapes and help of
 * every group command.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildBins,
  type FerryProcess,
  ferry,
  ferryJson,
  ferryOne,
  type Line,
  Relay,
  sleep,
  startDaemon,
} from '../cli/helpers/ferry.js'

const EXIT_USAGE = 2
const EXIT_ACCOUNT = 3
const EXIT_NOT_FOUND = 4
const GROUP_COMMANDS = ['create', 'add', 'remove', 'leave', 'send', 'list', 'info']

const root = mkdtempSync(join(tmpdir(), 'ferry-cli-groups-'))
const dirs = { alice: join(root, 'alice'), bob: join(root, 'bob'), carol: join(root, 'carol') }
type Name = keyof typeof dirs
const accounts = {} as Record<Name, { accountId: string; invite: string }>
const daemons: FerryProcess[] = []
let relay: Relay
let group: Line

beforeAll(async () => {
  buildBins()
  relay = await Relay.start(join(root, 'relay'))
  for (const name of Object.keys(dirs) as Name[]) {
    accounts[name] = (await ferryOne(['--data', dirs[name], 'init', '--relay', relay.addrs[0]!])) as {
      accountId: string
      invite: string
    }
  }
  await ferryJson(['--data', dirs.alice, 'contacts', 'add', accounts.bob.invite, '--name', 'bob'])
  await ferryJson(['--data', dirs.alice, 'contacts', 'add', accounts.carol.invite, '--name', 'carol'])
  for (const name of Object.keys(dirs) as Name[]) {
    daemons.push(await startDaemon(dirs[name]))
  }
}, 120_000)

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.stop()))
  await relay?.stop()
  rmSync(root, { recursive: true, force: true })
})

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await sleep(200)
  }
}

async function info(name: Name): Promise<Line | undefined> {
  const result = await ferry(['--data', dirs[name], '--json', 'group', 'info', group.id])
  return result.code === 0 ? (JSON.parse(result.stdout) as Line) : undefined
}

async function groupMessages(name: Name): Promise<Line[]> {
  const history = await ferryJson(['--data', dirs[name], 'history', group.id])
  return history.filter((m) => m.group === group.id)
}

describe('ferry group', () => {
  it('group create makes a group every member device applies', async () => {
    group = await ferryOne(['--data', dirs.alice, 'group', 'create', 'crew', 'bob', 'carol'])
    expect(group).toMatchObject({ name: 'crew', revision: 1, admin: true, left: false })
    expect(group.id).toMatch(/^[0-9a-f]{32}$/)
    expect(group.members.map((m: Line) => m.account).sort()).toEqual(
      [accounts.alice.accountId, accounts.bob.accountId, accounts.carol.accountId].sort(),
    )
    for (const name of ['bob', 'carol'] as const) {
      await waitFor(async () => (await info(name))?.revision === 1, `${name} to apply the group`)
      expect((await info(name))?.admin).toBe(false)
    }
    const listed = await ferryJson(['--data', dirs.bob, 'group', 'list'])
    expect(listed.map((g) => g.id)).toEqual([group.id])
  }, 60_000)

  it('group send reaches every online member, and says so: delivered to 2 of 2', async () => {
    await waitFor(async () => (await info('alice'))?.online === 2, "alice's gossip mesh")
    const sent = await ferryOne(['--data', dirs.alice, 'group', 'send', 'crew', 'hello crew'])
    expect(sent).toMatchObject({ group: group.id, receipts: { total: 2, delivered: 2, pending: 0 } })
    for (const name of ['bob', 'carol'] as const) {
      await waitFor(
        async () => (await groupMessages(name)).some((m) => m.id === sent.id),
        `${name} to get it`,
      )
    }
    const atBob = (await groupMessages('bob')).find((m) => m.id === sent.id)!
    expect(atBob).toMatchObject({ text: 'hello crew', from: accounts.alice.accountId, direction: 'in' })
    // the text form names the receipts
    const text = await ferry(['--data', dirs.bob, 'group', 'send', group.id, 'hi from bob'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/delivered to \d of 2 devices/)
  }, 60_000)

  it('a non-admin cannot change the group (exit 3); an unknown group is exit 4; usage errors exit 2', async () => {
    const refused = await ferry([
      '--data',
      dirs.bob,
      '--json',
      'group',
      'remove',
      'crew',
      accounts.carol.accountId,
    ])
    expect(refused.code).toBe(EXIT_ACCOUNT)
    expect(JSON.parse(refused.stderr.trim())).toMatchObject({ error: 'NotGroupAdminError' })
    const unknown = await ferry(['--data', dirs.alice, 'group', 'info', 'no-such-group'])
    expect(unknown.code).toBe(EXIT_NOT_FOUND)
    const usage = await ferry(['--data', dirs.alice, 'group', 'create', 'lonely'])
    expect(usage.code).toBe(EXIT_USAGE)
  }, 60_000)

  it('group remove: the removed member is out and gets nothing more', async () => {
    const after = await ferryOne(['--data', dirs.alice, 'group', 'remove', 'crew', 'carol'])
    expect(after.revision).toBe(2)
    await waitFor(async () => (await info('carol'))?.left === true, 'carol to be out')
    await waitFor(async () => (await info('bob'))?.revision === 2, 'bob to apply the removal')
    const before = (await groupMessages('carol')).length
    const sent = await ferryOne(['--data', dirs.alice, 'group', 'send', 'crew', 'without carol'])
    expect(sent.receipts.total).toBe(1)
    await waitFor(async () => (await groupMessages('bob')).some((m) => m.id === sent.id), 'bob to get it')
    await sleep(500)
    expect(await groupMessages('carol')).toHaveLength(before)
  }, 60_000)

  it.each(GROUP_COMMANDS)('ferry group %s --help shows its usage and JSON shape', async (sub) => {
    const result = await ferry(['group', sub, '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`ferry [--data DIR] [--json] group ${sub}`)
    expect(result.stdout).toContain('With --json:')
  })
})
