/**
 * `npm start`: what Ferry is for, played on loopback in a temporary directory. A real `ferry-relay`
 * process and four devices (Alice and Bob, two devices each, each with its own LevelDB store): Bob is
 * offline while Alice writes; both of Bob's devices receive when they come online; Alice's second
 * device shows what she sent; receipts come back; and the relay reports each envelope deleted once
 * every device had it. Printed as a transcript; exits 0 (non-zero, with the reason, if a step fails).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createMessenger, installPolyfills, type Messenger, type MessengerEvent } from '@ferry/client'
import { ClassicLevel } from 'classic-level'

/** The whole demo must finish within this; each wait is bounded by STEP_TIMEOUT_MS. */
const DEMO_TIMEOUT_MS = 120_000
const STEP_TIMEOUT_MS = 30_000

const RELAY_BIN = fileURLToPath(new URL('../../../relay-node/bin/ferry-relay.js', import.meta.url))

function print(line: string): void {
  process.stdout.write(`${line}\n`)
}

const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)
const dim = (s: string): string => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s)
const started = Date.now()

function say(who: string, text: string): void {
  const at = ((Date.now() - started) / 1000).toFixed(1).padStart(5)
  print(`${dim(at)}  ${bold(who.padEnd(8))} ${text}`)
}

function short(id: string): string {
  return `${id.slice(0, 12)}…`
}

interface Relay {
  addrs: string[]
  metricsUrl: string
  stop(): Promise<void>
}

/** A free TCP port on loopback for the relay's metrics endpoint. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function startRelayProcess(dataDir: string): Promise<Relay> {
  const metricsPort = await freePort()
  const child = spawn(
    process.execPath,
    [
      RELAY_BIN,
      'start',
      '--data',
      dataDir,
      '--listen',
      '/ip4/127.0.0.1/tcp/0',
      '--metrics-port',
      String(metricsPort),
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  )
  const metricsUrl = `http://127.0.0.1:${metricsPort}`
  const ready = await new Promise<{ peerId: string; addrs: string[] }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the relay did not start')), STEP_TIMEOUT_MS)
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer)
      resolve(JSON.parse(line) as { peerId: string; addrs: string[] })
    })
    child.once('exit', (code) => reject(new Error(`the relay exited (${code})`)))
  })
  return {
    addrs: ready.addrs,
    metricsUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

async function storedEnvelopes(relay: Relay): Promise<number> {
  const text = await (await fetch(`${relay.metricsUrl}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith('ferry_relay_stored_envelopes '))
  return Number(line?.split(' ')[1] ?? Number.NaN)
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function collect(m: Messenger): MessengerEvent[] {
  const events: MessengerEvent[] = []
  m.on('*', (event) => events.push(event))
  return events
}

async function main(): Promise<void> {
  installPolyfills()
  const dir = await mkdtemp(join(tmpdir(), 'ferry-demo-'))
  const messengers: Messenger[] = []
  let relay: Relay | undefined
  const device = async (name: string): Promise<Messenger> => {
    const m = await createMessenger({
      db: new ClassicLevel(join(dir, name)) as never,
      listen: ['/ip4/127.0.0.1/tcp/0'],
    })
    messengers.push(m)
    return m
  }
  try {
    print(bold('Ferry: a relay and four devices on loopback, in a temporary directory.\n'))
    relay = await startRelayProcess(join(dir, 'relay'))
    say('relay', `a ferry-relay process, listening on ${relay.addrs[0]}`)

    const alice1 = await device('alice-1')
    const alice = await alice1.createAccount({ relays: relay.addrs })
    await alice1.start()
    say('alice/1', `new account ${short(alice.accountId)} (this is her primary device)`)
    const alice2 = await device('alice-2')
    const aliceLink = alice1.createPairing()
    await alice2.linkDevice(aliceLink.code)
    await alice2.start()
    say(
      'alice/2',
      `linked to Alice's account with a pairing code: device ${(await aliceLink.completed).deviceId}`,
    )

    const bob1 = await device('bob-1')
    const bob = await bob1.createAccount({ relays: relay.addrs })
    await bob1.start()
    say('bob/1', `new account ${short(bob.accountId)}`)
    const bob2 = await device('bob-2')
    const bobLink = bob1.createPairing()
    await bob2.linkDevice(bobLink.code)
    await bob2.start()
    say('bob/2', `linked to Bob's account: device ${(await bobLink.completed).deviceId}`)

    const contact = await alice1.addContact(bob.invite, { name: 'bob' })
    say(
      'alice/1',
      `adds Bob from his invite link; his signed device list names devices ${contact.devices.join(' and ')}`,
    )
    await bob1.addContact(alice.invite, { name: 'alice' })
    await bob2.addContact(alice.invite, { name: 'alice' })

    await bob1.stop()
    await bob2.stop()
    say('bob', dim('both devices go offline'))

    const onAlice2 = collect(alice2)
    const text = 'Hi Bob! Dinner on Friday?'
    const sent = await alice1.send('bob', text)
    say('alice/1', `→ bob: "${text}"`)
    for (const d of sent.devices) {
      say(
        '',
        dim(
          `bob/${d.device}: ${d.status}${d.status === 'stored' ? ' on the relay, encrypted for that device' : ''}`,
        ),
      )
    }
    await until(
      () => onAlice2.some((e) => e.type === 'message' && e.direction === 'out'),
      "Alice's sync transcript",
    )
    say('alice/2', `shows what Alice sent from her other device: "${text}"`)
    say('relay', `holds ${await storedEnvelopes(relay)} envelopes: ciphertext, sealed, one per Bob device`)

    const onBob1 = collect(bob1)
    const onBob2 = collect(bob2)
    await bob1.start()
    await bob2.start()
    say('bob', dim('both devices come back online and fetch their mailboxes'))
    const received = (events: MessengerEvent[]) => events.find((e) => e.type === 'message')
    await until(
      () => received(onBob1) !== undefined && received(onBob2) !== undefined,
      "Bob's devices to receive",
    )
    for (const [name, events] of [
      ['bob/1', onBob1],
      ['bob/2', onBob2],
    ] as const) {
      const m = received(events)
      say(name, `← alice: "${m?.type === 'message' ? m.text : ''}"`)
    }
    await until(async () => {
      const status = await alice1.status(sent.id)
      return status?.recipients.every((r) => r.status === 'delivered') ?? false
    }, 'the delivery receipts')
    say('alice/1', `receipts: delivered to ${sent.devices.map((d) => `bob/${d.device}`).join(' and ')}`)
    await until(async () => (await storedEnvelopes(relay!)) === 0, 'the relay to empty')
    say('relay', 'holds 0 envelopes: each was deleted once every device it was for had acknowledged it')

    const reply = 'Yes! See you at eight.'
    const answered = await bob2.send('alice', reply)
    say(
      'bob/2',
      `→ alice: "${reply}" (${answered.devices.map((d) => `alice/${d.device}: ${d.status}`).join(', ')})`,
    )
    await until(
      async () =>
        (await alice1.history('bob')).some((m) => m.text === reply) &&
        (await alice2.history(bob.accountId)).some((m) => m.text === reply),
      "Alice's devices to receive the reply",
    )
    say('alice', `← bob on both devices: "${reply}"`)
    const [firstFromBob] = (await alice1.history('bob')).filter((m) => m.direction === 'in')
    if (firstFromBob !== undefined) {
      await alice1.markRead([firstFromBob.id])
      await until(async () => {
        const s = await bob2.status(firstFromBob.id)
        return (
          s?.recipients.some((r) => r.account === alice.accountId && r.device === 1 && r.status === 'read') ??
          false
        )
      }, 'the read receipt')
      say('bob/2', 'read receipt: alice/1 has read it')
    }
    const safety = await alice1.safetyNumber('bob')
    say('alice/1', `safety number with Bob (compare it in person): ${safety.digits}`)
    print(`\n${bold('Done')} in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
  } finally {
    for (const m of messengers) {
      await m.close().catch(() => {})
    }
    await relay?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

const timeout = setTimeout(() => {
  process.stderr.write(`the demo did not finish within ${DEMO_TIMEOUT_MS / 1000} s\n`)
  process.exit(1)
}, DEMO_TIMEOUT_MS)
timeout.unref()

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`demo failed: ${(err as Error).message}\n`)
    process.exit(1)
  },
)
