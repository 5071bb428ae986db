/**
 * The process crash.spec.ts kills. Plain JavaScript against the package's built dist (a child process
 * has no TypeScript transform; the spec builds the dist first): opens the client store in the given
 * directory, prints "ready", then commits units in a loop until it is killed. Unit n writes a session
 * record (device n, random size), message n, a seen mark for envelope n and one event whose payload
 * is n, and prints "n cursor" once its commit resolved.
 */
import { ClassicLevel } from 'classic-level'
import { openClientStore } from '../../dist/src/index.js'

const [dir, seedArg] = process.argv.slice(2)
let seed = Number(seedArg) >>> 0 || 1
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return seed / 2 ** 32
}
const u32 = (n) => {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n)
  return out
}
const tagged = (length, tag, n) => {
  const out = new Uint8Array(length)
  out[0] = tag
  new DataView(out.buffer).setUint32(length - 4, n)
  return out
}

const store = await openClientStore(new ClassicLevel(dir))
const latest = await store.events.latest()
let n = 0
if (latest > 0) {
  const [last] = await store.events.since(latest - 1, 1)
  n = new DataView(last.payload.buffer, last.payload.byteOffset).getUint32(0) + 1
}
process.stdout.write('ready\n')

const peer = tagged(32, 0xac, 1)
for (;;) {
  const unit = store.unit()
  const record = new Uint8Array(4 + Math.floor(random() * 8192)).fill(n & 0xff)
  record.set(u32(n))
  await unit.crypto.sessions.storeSession({ accountKey: peer, deviceId: n }, record)
  await unit.messages.put({
    messageId: tagged(16, 0x1d, n),
    conversation: peer,
    direction: 'in',
    sender: { accountKey: peer, deviceId: 1 },
    text: `unit ${n}`,
    sentAt: n,
    receivedAt: n,
    recipients: [],
  })
  await unit.inbox.markSeen(tagged(16, 0xee, n), n)
  await unit.events.append('message', u32(n))
  const { events } = await unit.commit()
  process.stdout.write(`${n} ${events[0].cursor}\n`)
  n++
}
