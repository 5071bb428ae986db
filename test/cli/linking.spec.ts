/**
 * Devices and trust with the `ferry` command: `link new` on the primary (through its daemon, so the
 * pairing code and the result travel over the socket) and `link join` on a fresh directory, messages
 * reaching both devices, `devices list` and `devices remove`, and `verify` (safety number digits, a
 * wrong number refused, `--approve`).
 */
import { mkdtempSync, rmSync } from 'node:fs'
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
  startDaemon,
} from './helpers/ferry.js'

const EXIT_USAGE = 2
const EXIT_NOT_FOUND = 4
const EXIT_UNTRUSTED = 6

const root = mkdtempSync(join(tmpdir(), 'ferry-cli-link-'))
const aliceDir = join(root, 'alice')
const laptopDir = join(root, 'alice-laptop')
const bobDir = join(root, 'bob')
let relay: Relay
let alice: Line
let bob: Line
const running: FerryProcess[] = []

beforeAll(async () => {
  buildBins()
  relay = await Relay.start(join(root, 'relay'))
  ;[alice, bob] = await Promise.all([
    ferryOne(['--data', aliceDir, 'init', '--relay', relay.addrs[0]!]),
    ferryOne(['--data', bobDir, 'init', '--relay', relay.addrs[0]!]),
  ])
  await Promise.all([
    ferryOne(['--data', aliceDir, 'contacts', 'add', bob.invite, '--name', 'bob']),
    ferryOne(['--data', bobDir, 'contacts', 'add', alice.invite, '--name', 'alice']),
  ])
}, 120_000)

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')))
  await relay?.stop()
  rmSync(root, { recursive: true, force: true })
})

/** `receive --json` until a message with `text` is printed (bounded). */
async function receiveText(dir: string, text: string): Promise<Line> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const found = (await ferryJson(['--data', dir, 'receive', '--timeout', '1'])).find(
      (e) => e.type === 'message' && e.text === text,
    )
    if (found !== undefined) {
      return found
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for "${text}" in ${dir}`)
    }
  }
}

describe('linking devices', () => {
  it('link new refuses to wait for an approval it cannot ask for (stdin not a terminal, no --yes)', async () => {
    const result = await ferry(['--data', aliceDir, 'link', 'new'])
    expect(result.code).toBe(EXIT_USAGE)
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'ferry: link new: standard input is not a terminal, so approve with --yes',
    ])
  })

  it('link new through the daemon and link join on a fresh directory make device 2, which gets messages', async () => {
    const daemon = await startDaemon(aliceDir)
    running.push(daemon)
    const linking = new FerryProcess(['--data', aliceDir, '--json', 'link', 'new', '--yes'])
    running.push(linking)
    const { code } = await linking.waitForLine((line) => typeof line.code === 'string')
    expect(code).toMatch(/^ferry-link:[A-Za-z0-9_-]+$/)

    const joined = await ferryOne(['--data', laptopDir, 'link', 'join', code])
    expect(joined).toMatchObject({ accountId: alice.accountId, deviceId: 2, primary: false })
    expect(await linking.exited).toEqual({ code: 0, signal: null })
    expect(linking.lines()).toEqual([{ code }, { deviceId: 2 }])

    // both devices know the new list
    const expected = [
      { deviceId: 1, current: true, createdAt: expect.any(Number) },
      { deviceId: 2, current: false, createdAt: expect.any(Number) },
    ]
    expect(await ferryJson(['--data', aliceDir, 'devices', 'list'])).toEqual(expected)
    expect(await ferryJson(['--data', laptopDir, 'devices', 'list'])).toEqual([
      { ...expected[0], current: false },
      { ...expected[1], current: true },
    ])

    // a code is used once: joining again on another fresh directory fails in one line
    const again = await ferry(['--data', join(root, 'third'), 'link', 'join', code])
    expect(again.code).not.toBe(0)
    expect(again.stderr.trimEnd().split('\n')).toHaveLength(1)

    // Bob writes to Alice: both of her devices get it
    const sent = await ferryOne(['--data', bobDir, 'send', 'alice', 'to all of you'])
    expect(sent.devices.map((d: Line) => d.device).sort()).toEqual([1, 2])
    const onLaptop = await receiveText(laptopDir, 'to all of you')
    expect(onLaptop).toMatchObject({ from: bob.accountId, direction: 'in' })
    const onPrimary = await receiveText(aliceDir, 'to all of you')
    expect(onPrimary.id).toBe(onLaptop.id)

    // what the primary sends shows on the laptop as sent by this account
    await ferryOne(['--data', aliceDir, 'send', 'bob', 'from my phone'])
    const transcript = await receiveText(laptopDir, 'from my phone')
    expect(transcript).toMatchObject({
      direction: 'out',
      from: alice.accountId,
      fromDevice: 1,
      conversation: bob.accountId,
    })
  })

  it('devices remove takes device 2 out of the list; an unknown device is exit 4', async () => {
    expect(await ferryOne(['--data', aliceDir, 'devices', 'remove', '2'])).toEqual({ removed: 2 })
    expect((await ferryJson(['--data', aliceDir, 'devices', 'list'])).map((d) => d.deviceId)).toEqual([1])
    const unknown = await ferry(['--data', aliceDir, 'devices', 'remove', '7'])
    expect(unknown.code).toBe(EXIT_NOT_FOUND)
    expect(unknown.stderr.trimEnd().split('\n')).toEqual(['ferry: this account has no device 7'])
  })
})

describe('verify', () => {
  it('shows the same 60-digit safety number on both sides, with a QR code in text mode', async () => {
    const atAlice = await ferryOne(['--data', aliceDir, 'verify', 'bob'])
    const atBob = await ferryOne(['--data', bobDir, 'verify', 'alice'])
    expect(Object.keys(atAlice).sort()).toEqual(['account', 'safetyNumber'])
    expect(atAlice.account).toBe(bob.accountId)
    expect(atAlice.safetyNumber.replace(/\s/g, '')).toMatch(/^\d{60}$/)
    expect(atBob.safetyNumber).toBe(atAlice.safetyNumber)
    const text = await ferry(['--data', bobDir, 'verify', 'alice'])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^(\d{5} ){3}\d{5}$/m)
    expect(text.stdout).toMatch(/[▀▄█]{20,}/)
  })

  it('--safety-number checks the digits; --approve accepts, and refuses a wrong number (exit 6)', async () => {
    const { safetyNumber } = await ferryOne(['--data', bobDir, 'verify', 'alice'])
    expect(await ferryOne(['--data', bobDir, 'verify', 'alice', '--safety-number', safetyNumber])).toEqual({
      account: alice.accountId,
      safetyNumber,
      matches: true,
    })
    const wrong = `${'0'.repeat(59)}1`
    const mismatch = await ferry(['--data', bobDir, 'verify', 'alice', '--approve', '--safety-number', wrong])
    expect(mismatch.code).toBe(EXIT_UNTRUSTED)
    expect(mismatch.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(
      await ferryOne(['--data', bobDir, 'verify', 'alice', '--approve', '--safety-number', safetyNumber]),
    ).toEqual({ account: alice.accountId, approved: true })
  })
})
