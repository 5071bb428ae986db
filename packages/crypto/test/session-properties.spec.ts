import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DuplicateMessageError } from '../src/errors.js'
import { nodeProvider } from '../src/provider/node.js'
import type { SessionMessage } from '../src/session-cipher.js'
import { makeDevice, read, type TestDevice, text } from './helpers/session-fixtures.js'

type Side = 'alice' | 'bob'

interface InFlight {
  readonly plaintext: string
  readonly message: SessionMessage
}

type Action =
  | { kind: 'send'; from: Side }
  | { kind: 'deliver'; to: Side; pick: number }
  | { kind: 'redeliver'; to: Side; pick: number }
  | { kind: 'drop'; to: Side; pick: number }

const side = fc.constantFrom<Side>('alice', 'bob')
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), from: side }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliver' as const), to: side, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliver' as const), to: side, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), to: side, pick: fc.nat() }) },
)

/**
 * Plays random sends, deliveries in any order, duplicates and drops in both directions, and checks
 * that every delivered message decrypts exactly once to what was sent.
 */
async function play(actions: Action[], simultaneous: boolean): Promise<void> {
  const devices: Record<Side, TestDevice> = {
    alice: await makeDevice(nodeProvider),
    bob: await makeDevice(nodeProvider),
  }
  await devices.alice.cipher.initiate(await devices.bob.bundle())
  if (simultaneous) {
    await devices.bob.cipher.initiate(await devices.alice.bundle())
  }
  const inFlight: Record<Side, InFlight[]> = { alice: [], bob: [] }
  const delivered: Record<Side, InFlight[]> = { alice: [], bob: [] }
  let sent = 0
  const other = (s: Side): Side => (s === 'alice' ? 'bob' : 'alice')

  for (const step of actions) {
    if (step.kind === 'send') {
      const from = devices[step.from]
      const to = devices[other(step.from)]
      if (!(await from.cipher.hasSession(to.local.address))) {
        continue // Bob can only answer once Alice's first message reached him
      }
      const plaintext = `${step.from}#${sent++}`
      inFlight[other(step.from)].push({
        plaintext,
        message: await from.cipher.encrypt(to.local.address, text(plaintext)),
      })
      continue
    }
    const queue = step.kind === 'redeliver' ? delivered[step.to] : inFlight[step.to]
    if (queue.length === 0) {
      continue
    }
    const index = step.pick % queue.length
    const item = queue[index]!
    if (step.kind === 'drop') {
      queue.splice(index, 1)
      continue
    }
    const receiver = devices[step.to]
    const sender = devices[other(step.to)]
    if (step.kind === 'redeliver') {
      await expect(receiver.cipher.decrypt(sender.local.address, item.message)).rejects.toThrow(
        DuplicateMessageError,
      )
      continue
    }
    const result = await receiver.cipher.decrypt(sender.local.address, item.message)
    expect(read(result.plaintext)).toBe(item.plaintext)
    queue.splice(index, 1)
    delivered[step.to].push(item)
  }
  // finally deliver everything still in flight, in reverse order: each decrypts exactly once
  for (const to of ['alice', 'bob'] as const) {
    for (const item of inFlight[to].reverse()) {
      const result = await devices[to].cipher.decrypt(devices[other(to)].local.address, item.message)
      expect(read(result.plaintext)).toBe(item.plaintext)
    }
  }
  // one round trip later both sides are on the same session: each reads the other's next message
  const { alice, bob } = devices
  const ping = await alice.cipher.encrypt(bob.local.address, text('ping'))
  expect(read((await bob.cipher.decrypt(alice.local.address, ping)).plaintext)).toBe('ping')
  const pong = await bob.cipher.encrypt(alice.local.address, text('pong'))
  expect(pong.type).toBe('RATCHET')
  expect(read((await alice.cipher.decrypt(bob.local.address, pong)).plaintext)).toBe('pong')
  const again = await alice.cipher.encrypt(bob.local.address, text('again'))
  expect(again.type).toBe('RATCHET')
  expect(read((await bob.cipher.decrypt(alice.local.address, again)).plaintext)).toBe('again')
}

describe('session properties', () => {
  it('decrypts every delivered message exactly once under random send / drop / reorder / duplicate in both directions (FAULTS 3)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 60 }), (actions) => play(actions, false)),
      { numRuns: 40 },
    )
  })

  it('converges after simultaneous initiation under random loss and reordering; everything delivered decrypts once (FAULTS 10)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 60 }), (actions) => play(actions, true)),
      { numRuns: 40 },
    )
  })
})
