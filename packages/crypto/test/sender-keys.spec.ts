import {
  KEY_BYTES,
  RatchetHeader,
  RatchetMessage,
  SenderKeyDistribution,
  SenderKeyMessage,
  SenderKeyMessageBody,
  WireError,
  WrongTypeError,
} from '@ferry/wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { concat, utf8 } from '../src/bytes.js'
import {
  MAX_SENDER_KEY_FORWARD_JUMP,
  MAX_SENDER_KEY_SKIPPED,
  MAX_SENDER_KEY_STATES,
} from '../src/constants.js'
import {
  AuthenticationError,
  CryptoError,
  DuplicateMessageError,
  InvalidRecordError,
  InvalidSignatureError,
  MessageTooFarAheadError,
  NoSenderKeyError,
} from '../src/errors.js'
import { nobleProvider } from '../src/provider/noble.js'
import { nodeProvider } from '../src/provider/node.js'
import type { CryptoProvider } from '../src/provider/types.js'
import {
  decodeSenderKeyRecord,
  encodeSenderKeyRecord,
  nextChainKey,
  sendingState,
} from '../src/sender-key-state.js'
import {
  createSenderKeyDistribution,
  groupDecrypt,
  groupEncrypt,
  processSenderKeyDistribution,
  rotateSenderKey,
} from '../src/sender-keys.js'
import { InMemorySenderKeyStore, type SenderKeyStore } from '../src/stores.js'
import type { CryptoContext, DeviceAddress } from '../src/types.js'

const providers: Array<[string, CryptoProvider]> = [
  ['node', nodeProvider],
  ['noble', nobleProvider],
]

// ------------------------------------------------------------------------------ helpers

const randomBytes = (length: number) => crypto.getRandomValues(new Uint8Array(length))

interface Member {
  readonly address: DeviceAddress
  readonly store: InMemorySenderKeyStore
}

function member(deviceId = 1): Member {
  return { address: { accountKey: randomBytes(KEY_BYTES), deviceId }, store: new InMemorySenderKeyStore() }
}

/** A provider that counts calls per method, to prove what was (not) derived. */
function spyOn(provider: CryptoProvider): { provider: CryptoProvider; calls: Map<string, number> } {
  const calls = new Map<string, number>()
  const spied = new Proxy(provider, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver)
      if (typeof value !== 'function') {
        return value
      }
      return (...args: unknown[]) => {
        calls.set(String(key), (calls.get(String(key)) ?? 0) + 1)
        return Reflect.apply(value, target, args)
      }
    },
  })
  return { provider: spied, calls }
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array<ArrayBuffer> {
  const out = Uint8Array.from(bytes)
  out[bit >> 3]! ^= 1 << (bit & 7)
  return out
}

async function rejects(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}

function iterationOf(message: Uint8Array): number {
  return SenderKeyMessageBody.decode(SenderKeyMessage.decode(message).body).iteration
}

function chainIdOf(message: Uint8Array): number {
  return SenderKeyMessageBody.decode(SenderKeyMessage.decode(message).body).chainId
}

/** Moves the sender's own chain `steps` iterations forward without sending (a sender who sent to others). */
async function fastForward(
  provider: CryptoProvider,
  store: SenderKeyStore,
  sender: DeviceAddress,
  distributionId: Uint8Array,
  steps: number,
  derive = true,
): Promise<void> {
  const record = decodeSenderKeyRecord((await store.loadSenderKey(sender, distributionId))!)
  const state = sendingState(record)!
  for (let i = 0; i < steps && derive; i++) {
    state.chainKey = await nextChainKey(provider, state.chainKey)
  }
  state.iteration += steps
  await store.storeSenderKey(sender, distributionId, encodeSenderKeyRecord(record))
}

// ------------------------------------------------------------------------------ tests

describe.each(providers)('sender keys (%s provider)', (_name, provider) => {
  const ctx: CryptoContext = { provider, now: () => 1_700_000_000_000 }
  const text = (s: string) => utf8(s)

  async function group(size: number) {
    const sender = member()
    const distributionId = randomBytes(16)
    const distribution = await createSenderKeyDistribution(ctx, sender.store, sender.address, distributionId)
    const members = Array.from({ length: size }, () => member())
    for (const m of members) {
      await processSenderKeyDistribution(ctx, m.store, sender.address, distribution)
    }
    return { sender, distributionId, distribution, members }
  }

  const stored = (m: Member, sender: Member, distributionId: Uint8Array) =>
    m.store.loadSenderKey(sender.address, distributionId)

  it('a 100-device group: one encryption, every member decrypts', async () => {
    const { sender, distributionId, members } = await group(100)
    const message = await groupEncrypt(
      ctx,
      sender.store,
      sender.address,
      distributionId,
      text('hello, group'),
    )
    for (const m of members) {
      expect(await groupDecrypt(ctx, m.store, sender.address, message)).toEqual(text('hello, group'))
    }
    const second = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('second'))
    expect(iterationOf(second)).toBe(1)
    for (const m of members) {
      expect(await groupDecrypt(ctx, m.store, sender.address, second)).toEqual(text('second'))
    }
  })

  it('out-of-order and skipped delivery within the limit decrypts every delivered message once', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const messages: Uint8Array[] = []
    for (let i = 0; i < 40; i++) {
      messages.push(await groupEncrypt(ctx, sender.store, sender.address, distributionId, text(`m${i}`)))
    }
    // deliver in a scrambled order, leaving every fifth message undelivered
    const order = [...messages.keys()]
      .filter((i) => i % 5 !== 2)
      .sort((a, b) => ((a * 17) % 40) - ((b * 17) % 40))
    for (const i of order) {
      expect(await groupDecrypt(ctx, receiver.store, sender.address, messages[i]!)).toEqual(text(`m${i}`))
    }
    for (const i of order) {
      expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, messages[i]!))).toBeInstanceOf(
        DuplicateMessageError,
      )
    }
    // the undelivered ones still decrypt later, once
    for (let i = 2; i < 40; i += 5) {
      expect(await groupDecrypt(ctx, receiver.store, sender.address, messages[i]!)).toEqual(text(`m${i}`))
    }
  })

  it('more skipped iterations than the stored-key limit: newer ones decrypt, the oldest are gone, storage bounded (FAULTS 5)', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const early = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('early'))
    await fastForward(provider, sender.store, sender.address, distributionId, MAX_SENDER_KEY_SKIPPED + 9)
    const late = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('late'))
    expect(iterationOf(late)).toBe(MAX_SENDER_KEY_SKIPPED + 10)
    expect(await groupDecrypt(ctx, receiver.store, sender.address, late)).toEqual(text('late'))
    const record = decodeSenderKeyRecord((await stored(receiver, sender, distributionId))!)
    expect(record.states[0]!.skipped).toHaveLength(MAX_SENDER_KEY_SKIPPED)
    expect(record.states[0]!.skipped[0]!.iteration).toBe(10)
    expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, early))).toBeInstanceOf(
      DuplicateMessageError,
    )
  })

  it('a duplicate is reported as DuplicateMessageError and leaves the state unchanged', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const first = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('once'))
    const third = [
      await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('two')),
      await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('three')),
    ][1]!
    await groupDecrypt(ctx, receiver.store, sender.address, first)
    await groupDecrypt(ctx, receiver.store, sender.address, third)
    const before = await stored(receiver, sender, distributionId)
    for (const message of [first, third]) {
      expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, message))).toBeInstanceOf(
        DuplicateMessageError,
      )
    }
    expect(await stored(receiver, sender, distributionId)).toEqual(before)
  })

  it('a group message with a bad signature (every bit of the signature flipped, in turn) is rejected, state unchanged (FAULTS 11)', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const message = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('signed'))
    const { body, signature } = SenderKeyMessage.decode(message)
    const before = await stored(receiver, sender, distributionId)
    for (let bit = 0; bit < signature.byteLength * 8; bit++) {
      const forged = SenderKeyMessage.encode({
        body,
        signature: flipBit(signature, bit),
      })
      expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, forged))).toBeInstanceOf(
        InvalidSignatureError,
      )
    }
    expect(await stored(receiver, sender, distributionId)).toEqual(before)
    expect(await groupDecrypt(ctx, receiver.store, sender.address, message)).toEqual(text('signed'))
  })

  it('a message signed by another chain key is rejected as InvalidSignatureError', async () => {
    const { sender, distributionId, members } = await group(1)
    const message = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('x'))
    const { body } = SenderKeyMessage.decode(message)
    const other = await provider.ed25519Keygen()
    const signature = await provider.ed25519Sign(
      other.secretKey,
      concat(utf8('ferry/sender-key-message/v1'), body),
    )
    const forged = SenderKeyMessage.encode({ body, signature: Uint8Array.from(signature) })
    expect(await rejects(groupDecrypt(ctx, members[0]!.store, sender.address, forged))).toBeInstanceOf(
      InvalidSignatureError,
    )
  })

  it('a correctly signed message with a corrupted ciphertext fails authentication, state unchanged', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const senderRecord = decodeSenderKeyRecord((await stored(sender, sender, distributionId))!)
    const signingSecret = sendingState(senderRecord)!.signingSecretKey!.bytes
    const message = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('payload'))
    const body = SenderKeyMessageBody.decode(SenderKeyMessage.decode(message).body)
    const before = await stored(receiver, sender, distributionId)
    for (const bit of [0, 13, body.ciphertext.byteLength * 8 - 1]) {
      const bad = SenderKeyMessageBody.encode({
        ...body,
        ciphertext: flipBit(body.ciphertext, bit),
      })
      const signature = await provider.ed25519Sign(
        signingSecret,
        concat(utf8('ferry/sender-key-message/v1'), bad),
      )
      const forged = SenderKeyMessage.encode({
        body: Uint8Array.from(bad),
        signature: Uint8Array.from(signature),
      })
      expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, forged))).toBeInstanceOf(
        AuthenticationError,
      )
    }
    expect(await stored(receiver, sender, distributionId)).toEqual(before)
    expect(await groupDecrypt(ctx, receiver.store, sender.address, message)).toEqual(text('payload'))
  })

  it('the sender device is bound into the ciphertext: the same chain under another address fails', async () => {
    const { sender, distributionId, distribution } = await group(0)
    const receiver = member()
    const impostor = member()
    await processSenderKeyDistribution(ctx, receiver.store, impostor.address, distribution)
    const message = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('mine'))
    expect(await rejects(groupDecrypt(ctx, receiver.store, impostor.address, message))).toBeInstanceOf(
      AuthenticationError,
    )
  })

  it('a message from an unknown sender device is held (NoSenderKeyError) and decrypts once after its distribution arrives', async () => {
    const sender = member(2)
    const receiver = member()
    const distributionId = randomBytes(16)
    const distribution = await createSenderKeyDistribution(ctx, sender.store, sender.address, distributionId)
    const held = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('held'))
    expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, held))).toBeInstanceOf(
      NoSenderKeyError,
    )
    expect(await receiver.store.loadSenderKey(sender.address, distributionId)).toBeUndefined()
    await processSenderKeyDistribution(ctx, receiver.store, sender.address, distribution)
    expect(await groupDecrypt(ctx, receiver.store, sender.address, held)).toEqual(text('held'))
    expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, held))).toBeInstanceOf(
      DuplicateMessageError,
    )
  })

  it('a far-ahead iteration is rejected without deriving any key', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    await fastForward(
      provider,
      sender.store,
      sender.address,
      distributionId,
      MAX_SENDER_KEY_FORWARD_JUMP + 1,
      false,
    )
    const far = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('far'))
    expect(iterationOf(far)).toBe(MAX_SENDER_KEY_FORWARD_JUMP + 1)
    const before = await stored(receiver, sender, distributionId)
    const spy = spyOn(provider)
    const err = await rejects(
      groupDecrypt({ ...ctx, provider: spy.provider }, receiver.store, sender.address, far),
    )
    expect(err).toBeInstanceOf(MessageTooFarAheadError)
    expect(spy.calls.get('ed25519Verify')).toBe(1)
    expect(spy.calls.get('hmacSha256') ?? 0).toBe(0)
    expect(spy.calls.get('hkdfSha256') ?? 0).toBe(0)
    expect(spy.calls.get('aesGcmDecrypt') ?? 0).toBe(0)
    expect(await stored(receiver, sender, distributionId)).toEqual(before)
  })

  it('a jump of exactly the limit is accepted', async () => {
    const { sender, distributionId, members } = await group(1)
    await fastForward(provider, sender.store, sender.address, distributionId, MAX_SENDER_KEY_FORWARD_JUMP)
    const edge = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('edge'))
    expect(await groupDecrypt(ctx, members[0]!.store, sender.address, edge)).toEqual(text('edge'))
  })

  it('a removed member cannot read messages after rotation', async () => {
    const { sender, distributionId, members } = await group(3)
    const [stay1, stay2, removed] = members as [Member, Member, Member]
    const inFlight = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('before'))
    const rotated = await rotateSenderKey(ctx, sender.store, sender.address, distributionId)
    for (const m of [stay1, stay2]) {
      await processSenderKeyDistribution(ctx, m.store, sender.address, rotated)
    }
    const after = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('after'))
    expect(chainIdOf(after)).not.toBe(chainIdOf(inFlight))
    expect(iterationOf(after)).toBe(0)
    for (const m of [stay1, stay2]) {
      expect(await groupDecrypt(ctx, m.store, sender.address, after)).toEqual(text('after'))
      // a message sent before the rotation still decrypts from the older chain
      expect(await groupDecrypt(ctx, m.store, sender.address, inFlight)).toEqual(text('before'))
    }
    expect(await groupDecrypt(ctx, removed.store, sender.address, inFlight)).toEqual(text('before'))
    expect(await rejects(groupDecrypt(ctx, removed.store, sender.address, after))).toBeInstanceOf(
      NoSenderKeyError,
    )
    // the old sending chain is gone: a fresh distribution is the rotated chain, not the old one
    const again = SenderKeyDistribution.decode(
      await createSenderKeyDistribution(ctx, sender.store, sender.address, distributionId),
    )
    expect(again.chainId).toBe(chainIdOf(after))
  })

  it(`older chains are kept up to MAX_SENDER_KEY_STATES (${MAX_SENDER_KEY_STATES}), then the oldest is dropped`, async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const first = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('chain 0'))
    const latest: Uint8Array[] = []
    for (let i = 1; i <= MAX_SENDER_KEY_STATES; i++) {
      const d = await rotateSenderKey(ctx, sender.store, sender.address, distributionId)
      await processSenderKeyDistribution(ctx, receiver.store, sender.address, d)
      latest.push(await groupEncrypt(ctx, sender.store, sender.address, distributionId, text(`chain ${i}`)))
    }
    const record = decodeSenderKeyRecord((await stored(receiver, sender, distributionId))!)
    expect(record.states).toHaveLength(MAX_SENDER_KEY_STATES)
    expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, first))).toBeInstanceOf(
      NoSenderKeyError,
    )
    for (const [i, m] of latest.entries()) {
      expect(await groupDecrypt(ctx, receiver.store, sender.address, m)).toEqual(text(`chain ${i + 1}`))
    }
  })

  it('a duplicate distribution, or an older one of a known chain, changes nothing', async () => {
    const { sender, distributionId, distribution, members } = await group(1)
    const receiver = members[0]!
    const messages = []
    for (let i = 0; i < 3; i++) {
      messages.push(await groupEncrypt(ctx, sender.store, sender.address, distributionId, text(`m${i}`)))
    }
    await groupDecrypt(ctx, receiver.store, sender.address, messages[2]!)
    const before = await stored(receiver, sender, distributionId)
    await processSenderKeyDistribution(ctx, receiver.store, sender.address, distribution)
    const newer = await createSenderKeyDistribution(ctx, sender.store, sender.address, distributionId)
    expect(SenderKeyDistribution.decode(newer).iteration).toBe(3)
    await processSenderKeyDistribution(ctx, receiver.store, sender.address, newer)
    expect(await stored(receiver, sender, distributionId)).toEqual(before)
    expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, messages[2]!))).toBeInstanceOf(
      DuplicateMessageError,
    )
    expect(await groupDecrypt(ctx, receiver.store, sender.address, messages[0]!)).toEqual(text('m0'))
  })

  it("a distribution claiming to be for this device's own sending chain is refused", async () => {
    const { sender, distributionId } = await group(0)
    const other = member()
    const foreign = await createSenderKeyDistribution(ctx, other.store, other.address, distributionId)
    const before = await stored(sender, sender, distributionId)
    expect(
      await rejects(processSenderKeyDistribution(ctx, sender.store, sender.address, foreign)),
    ).toBeInstanceOf(InvalidRecordError)
    expect(await stored(sender, sender, distributionId)).toEqual(before)
  })

  it('message lengths do not tell senders apart: equal plaintexts give equal lengths across chains', async () => {
    const lengths = new Set<number>()
    const distributionId = randomBytes(16)
    for (let i = 0; i < 30; i++) {
      const sender = member()
      await createSenderKeyDistribution(ctx, sender.store, sender.address, distributionId)
      await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('first'))
      const message = await groupEncrypt(
        ctx,
        sender.store,
        sender.address,
        distributionId,
        text('same length'),
      )
      expect(chainIdOf(message)).toBeGreaterThanOrEqual(2 ** 28)
      lengths.add(message.byteLength)
    }
    expect(lengths.size).toBe(1)
  })

  it('groupEncrypt without a sending chain is a NoSenderKeyError', async () => {
    const sender = member()
    expect(
      await rejects(groupEncrypt(ctx, sender.store, sender.address, randomBytes(16), text('x'))),
    ).toBeInstanceOf(NoSenderKeyError)
  })

  it('concurrent groupEncrypt calls take 200 distinct iterations that all decrypt', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const messages = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        groupEncrypt(ctx, sender.store, sender.address, distributionId, text(`c${i}`)),
      ),
    )
    const iterations = new Set(messages.map(iterationOf))
    expect(iterations.size).toBe(200)
    expect(Math.max(...iterations)).toBe(199)
    const plaintexts = await Promise.all(
      [...messages].reverse().map((m) => groupDecrypt(ctx, receiver.store, sender.address, m)),
    )
    expect(new Set(plaintexts.map((p) => new TextDecoder().decode(p))).size).toBe(200)
  })

  it('random bytes into groupDecrypt and processSenderKeyDistribution give typed errors only', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const valid = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('valid'))
    const typed = (err: unknown) => err instanceof WireError || err instanceof CryptoError
    // Each call that fails leaves the state as it was just before that call. A genuine message
    // decrypts (once) and advances the chain before the distribution call sees it: the near-valid
    // generator below makes one when it writes a byte's own value back.
    const check = async (bytes: Uint8Array, genuine: Uint8Array): Promise<void> => {
      for (const run of [groupDecrypt, processSenderKeyDistribution]) {
        const before = await stored(receiver, sender, distributionId)
        let threw = false
        try {
          await run(ctx, receiver.store, sender.address, bytes)
        } catch (err) {
          threw = true
          expect(typed(err)).toBe(true)
          expect(await stored(receiver, sender, distributionId)).toEqual(before)
        }
        if (!threw) {
          // only the genuine message decrypts, and nothing here is a distribution
          expect(run).toBe(groupDecrypt)
          expect(bytes).toEqual(genuine)
        }
      }
    }
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          // near-valid: a valid message with bytes overwritten, truncated or extended
          fc
            .tuple(
              fc.nat(valid.byteLength - 1),
              fc.integer({ min: 0, max: 255 }),
              fc.integer({ min: -8, max: 8 }),
            )
            .map(([at, value, resize]) => {
              const out = valid.slice()
              out[at] = value
              return resize < 0
                ? out.subarray(0, out.byteLength + resize)
                : concat(out, new Uint8Array(resize))
            }),
        ),
        (bytes) => check(bytes, valid),
      ),
    )
    // a genuine message in every run, not only when the generator happens on one: it decrypts, then
    // is a duplicate
    const fresh = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('genuine'))
    const known = await stored(receiver, sender, distributionId)
    await check(fresh, fresh)
    expect(await stored(receiver, sender, distributionId)).not.toEqual(known)
    await check(fresh, fresh)
  })

  it('a group ciphertext on the pairwise path is rejected by its wire kind (WrongTypeError), and vice versa', async () => {
    const { sender, distributionId, members } = await group(1)
    const message = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('group'))
    expect(() => RatchetMessage.decode(message)).toThrow(WrongTypeError)
    const pairwise = RatchetMessage.encode({
      header: Uint8Array.from(
        RatchetHeader.encode({ ratchetKey: randomBytes(32), counter: 1, previousCounter: 0 }),
      ),
      ciphertext: randomBytes(48),
    })
    expect(await rejects(groupDecrypt(ctx, members[0]!.store, sender.address, pairwise))).toBeInstanceOf(
      WrongTypeError,
    )
    const distribution = await createSenderKeyDistribution(ctx, sender.store, sender.address, distributionId)
    expect(await rejects(groupDecrypt(ctx, members[0]!.store, sender.address, distribution))).toBeInstanceOf(
      WrongTypeError,
    )
  })

  it('a corrupt stored record is an InvalidRecordError, never a foreign error', async () => {
    const { sender, distributionId, members } = await group(1)
    const receiver = members[0]!
    const message = await groupEncrypt(ctx, sender.store, sender.address, distributionId, text('x'))
    const good = (await stored(receiver, sender, distributionId))!
    for (const corrupt of [
      good.subarray(0, good.byteLength - 3),
      Uint8Array.of(0x08, 0x02),
      Uint8Array.of(0xff),
    ]) {
      await receiver.store.storeSenderKey(sender.address, distributionId, corrupt)
      expect(await rejects(groupDecrypt(ctx, receiver.store, sender.address, message))).toBeInstanceOf(
        InvalidRecordError,
      )
    }
  })

  it('stored chain keys print redacted', async () => {
    const { sender, distributionId } = await group(0)
    const record = decodeSenderKeyRecord((await stored(sender, sender, distributionId))!)
    const state = sendingState(record)!
    expect(JSON.stringify(record)).not.toContain(JSON.stringify(state.chainKey.bytes))
    expect(JSON.stringify(record)).toContain('[redacted]')
    expect(String(state.signingSecretKey)).toBe('[redacted]')
  })
})
