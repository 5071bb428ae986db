/**
 * The Vite plugins of the browser builds (browser/build): gossipsub's metric set is cut out of the
 * installed @libp2p/gossipsub without touching what gossipsub uses at run time; @libp2p/crypto's
 * RSA, secp256k1 and ECDSA modules are replaced by ones with the same exports that refuse; protobuf
 * codecs lose their streaming decoders and keep encode and decode byte for byte; @libp2p/webrtc's
 * dialer waits on its init channel by the channel's state; and a module of an unexpected shape stops
 * the build.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { UnsupportedKeyTypeError } from '@libp2p/interface'
import { parseAst, transformWithOxc } from 'vite'
import { describe, expect, it } from 'vitest'
import { refusingModule } from '../../browser/build/ed25519-keys-only.js'
import { UnexpectedModuleShapeError, withoutGetMetrics } from '../../browser/build/no-gossipsub-metrics.js'
import {
  STAND_IN_ID,
  streamingStandIn,
  withoutStreamingDecoders,
} from '../../browser/build/no-protobuf-streaming.js'
import {
  ORIGINAL_WAITS,
  STATE_AWARE_WAITS,
  withStateAwareInitChannel,
} from '../../browser/build/webrtc-init-channel.js'
import { DepositRequest } from '../../packages/wire/src/proto/relay.js'

function installedMetricsModule(): string {
  const path = new URL('../../node_modules/@libp2p/gossipsub/dist/src/metrics.js', import.meta.url)
  return readFileSync(fileURLToPath(path), 'utf8')
}

describe('noGossipsubMetrics', () => {
  it('keeps every export but getMetrics of the installed module, and getMetrics throws a named error', async () => {
    const original = installedMetricsModule()
    const exportsOf = (code: string) =>
      [...code.matchAll(/^export (?:var|function|class) (\w+)/gm)].map((m) => m[1])
    const rewritten = withoutGetMetrics(original)
    expect(rewritten.length).toBeLessThan(original.length / 4)
    expect(exportsOf(rewritten)).toEqual([
      ...exportsOf(original).filter((name) => name !== 'getMetrics'),
      'GossipsubMetricsUnavailableError',
      'getMetrics',
    ])
    // the replacement itself, evaluated on its own
    const tail = rewritten.slice(rewritten.indexOf('export class GossipsubMetricsUnavailableError'))
    const module = (await import(`data:text/javascript,${encodeURIComponent(tail)}`)) as {
      getMetrics: () => unknown
    }
    expect(() => module.getMetrics()).toThrow(/metricsRegister/)
  })

  it('refuses a module without getMetrics, with two, or with exports after it', () => {
    const enums = 'export var A;\n(function (A) { A["x"] = "x"; })(A || (A = {}));\n'
    const fn = 'export function getMetrics(register) {\n  return {}\n}\n'
    expect(() => withoutGetMetrics(enums)).toThrow(UnexpectedModuleShapeError)
    expect(() => withoutGetMetrics(enums + fn + fn)).toThrow(UnexpectedModuleShapeError)
    expect(() => withoutGetMetrics(`${enums}${fn}export const late = 1\n`)).toThrow(
      UnexpectedModuleShapeError,
    )
    expect(withoutGetMetrics(enums + fn)).toContain(enums)
  })
})

const KEY_MODULES = ['rsa/utils', 'rsa/der', 'ecdsa/utils', 'secp256k1/utils'] as const

function keyModulePath(name: string): string {
  return fileURLToPath(new URL(`../../node_modules/@libp2p/crypto/dist/src/keys/${name}.js`, import.meta.url))
}

/** Evaluates a stand-in module, with @libp2p/interface's error class handed in. */
async function evaluate(code: string): Promise<Record<string, unknown>> {
  const holder = globalThis as { ferryKeyErrors?: unknown }
  holder.ferryKeyErrors = { UnsupportedKeyTypeError }
  const local = code.replace(
    "import { UnsupportedKeyTypeError } from '@libp2p/interface'",
    'const { UnsupportedKeyTypeError } = globalThis.ferryKeyErrors',
  )
  expect(local).not.toEqual(code)
  return (await import(`data:text/javascript,${encodeURIComponent(local)}`)) as Record<string, unknown>
}

describe('ed25519KeysOnly', () => {
  it.each(KEY_MODULES)(
    'stands in for keys/%s: the same exports, constants kept, functions refuse',
    async (name) => {
      const path = keyModulePath(name)
      const original = (await import(pathToFileURL(path).href)) as Record<string, unknown>
      const standIn = await evaluate(refusingModule(readFileSync(path, 'utf8'), name))
      expect(Object.keys(standIn).sort()).toEqual(Object.keys(original).sort())
      for (const [key, value] of Object.entries(standIn)) {
        if (typeof value !== 'function') {
          expect(value).toEqual(original[key])
          continue
        }
        let outcome: unknown
        try {
          outcome = (value as () => unknown)()
        } catch (err) {
          outcome = err
        }
        if (outcome instanceof Promise) {
          await expect(outcome).rejects.toBeInstanceOf(UnsupportedKeyTypeError)
        } else {
          expect(outcome).toBeInstanceOf(UnsupportedKeyTypeError)
        }
      }
    },
  )

  it('refuses an export form it cannot stand in for', () => {
    expect(() => refusingModule('export class Key {}\n', 'RSA')).toThrow(UnexpectedModuleShapeError)
    expect(() => refusingModule('export const table = { a: 1 };\n', 'RSA')).toThrow(
      UnexpectedModuleShapeError,
    )
    expect(() => refusingModule('export * from "./x.js";\n', 'RSA')).toThrow(UnexpectedModuleShapeError)
    expect(() => refusingModule('const x = 1;\n', 'RSA')).toThrow(UnexpectedModuleShapeError)
  })
})

/** Writes `code` beside the repository's node_modules (so its bare imports resolve) and imports it. */
async function importModule(code: string, name: string): Promise<Record<string, unknown>> {
  const dir = join(fileURLToPath(new URL('../../.artifacts/build-plugins/', import.meta.url)))
  mkdirSync(dir, { recursive: true })
  const standIn = join(dir, 'no-protobuf-streaming.mjs')
  writeFileSync(standIn, streamingStandIn())
  const file = join(dir, `${name}-${process.pid}.mjs`)
  // without the original's source map comment, which would point beside the copy
  const local = code
    .replaceAll(STAND_IN_ID, pathToFileURL(standIn).href)
    .replace(/^\/\/# sourceMappingURL=.*$/m, '')
  writeFileSync(file, local)
  try {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } finally {
    rmSync(file)
  }
}

interface Codecs {
  encode(value: unknown): Uint8Array
  decode(bytes: Uint8Array): unknown
  stream(bytes: Uint8Array): Iterable<unknown>
}

const CIRCUIT_PB = '../../node_modules/@libp2p/circuit-relay-v2/dist/src/pb/index.js'
const FERRY_RELAY_PB = '../../packages/wire/src/proto/relay.ts'

describe('noProtobufStreaming', () => {
  it('leaves encode and decode of libp2p codecs as they were; stream() throws a named error', async () => {
    const path = fileURLToPath(new URL(CIRCUIT_PB, import.meta.url))
    const code = readFileSync(path, 'utf8')
    const rewritten = withoutStreamingDecoders(code, path)
    expect(rewritten).not.toBeNull()
    // the same length (generators are blanked in place), a good part of it whitespace now
    const visible = (text: string) => text.replace(/\s+/g, '').length
    expect(visible(rewritten!)).toBeLessThan(visible(code) * 0.8)
    const original = (await import(pathToFileURL(path).href)) as Record<string, Codecs>
    const module = (await importModule(rewritten!, 'circuit-pb')) as Record<string, Codecs>
    const value = {
      type: 1,
      peer: { id: new Uint8Array([1, 2, 3]), addrs: [new Uint8Array([4, 5])] },
      reservation: { expire: 123n, addrs: [new Uint8Array([6])], voucher: new Uint8Array([7, 8]) },
      limit: { duration: 60, data: 1024n },
      status: 100,
    }
    const bytes = original.HopMessage!.encode(value)
    expect(module.HopMessage!.encode(value)).toEqual(bytes)
    expect(module.HopMessage!.decode(bytes)).toEqual(original.HopMessage!.decode(bytes))
    expect([...original.HopMessage!.stream(bytes)].length).toBeGreaterThan(3)
    expect(() => [...module.HopMessage!.stream(bytes)]).toThrow(
      expect.objectContaining({ name: 'ProtobufStreamingUnavailableError' }),
    )
  })

  it("rewrites Ferry's generated TypeScript codecs once stripped, keeping every other line in place", async () => {
    const path = fileURLToPath(new URL(FERRY_RELAY_PB, import.meta.url))
    const { code } = await transformWithOxc(readFileSync(path, 'utf8'), path)
    const rewritten = withoutStreamingDecoders(code, path)
    expect(rewritten).not.toBeNull()
    // only the generators' own lines change; the import goes after the last line
    const before = code.split('\n')
    const after = rewritten!.split('\n')
    expect(after.length).toBe(before.length + 2)
    const changed = before.filter((line, i) => after[i] !== line)
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.every((line) => !/\bw\.|\bobj\.[a-zA-Z]+ = /.test(line))).toBe(true)
    expect(rewritten).not.toMatch(/function\s*\*/)
    const module = (await importModule(rewritten!, 'ferry-relay-pb')) as Record<string, Codecs>
    const value = {
      seq: 7,
      envelopeId: new Uint8Array(16).fill(2),
      payload: new Uint8Array([9, 8, 7]),
      mailboxIds: [new Uint8Array(16).fill(1), new Uint8Array(16).fill(3)],
      ttlMs: 86_400_000,
    }
    const bytes = module.DepositRequest!.encode(value)
    expect(bytes).toEqual(DepositRequest.encode(value))
    expect(module.DepositRequest!.decode(bytes)).toEqual(DepositRequest.decode(bytes))
    expect(() => [...module.DepositRequest!.stream(bytes)]).toThrow(
      expect.objectContaining({ name: 'ProtobufStreamingUnavailableError' }),
    )
  })

  it('leaves modules without protons codecs, and older two-argument codecs, alone', () => {
    expect(withoutStreamingDecoders('export const x = 1\n', 'x.js')).toBeNull()
    const older =
      "import { message } from 'protons-runtime'\nexport const c = message((o, w) => {}, (r, l) => ({}))\n"
    expect(withoutStreamingDecoders(older, 'older.js')).toBeNull()
  })

  it('stops the build on a message() call of another shape', () => {
    const head = "import { message as m } from 'protons-runtime'\n"
    expect(() =>
      withoutStreamingDecoders(`${head}m((o, w) => {}, (r, l) => ({}), () => {})\n`, 'arrow.js'),
    ).toThrow(UnexpectedModuleShapeError)
    expect(() => withoutStreamingDecoders(`${head}m(a, b, function * () {}, d)\n`, 'four.js')).toThrow(
      UnexpectedModuleShapeError,
    )
    expect(() => withoutStreamingDecoders(`${head}m(a, b, function*(){})\n`, 'short.js')).toThrow(
      UnexpectedModuleShapeError,
    )
  })
})

const INITIATE_CONNECTION =
  '../../node_modules/@libp2p/webrtc/dist/src/private-to-private/initiate-connection.js'

/** An RTCDataChannel's states and events, as the dialer's waits see them. */
class StandInChannel extends EventTarget {
  closeCalls = 0
  constructor(public readyState: RTCDataChannelState) {
    super()
  }
  /** The channel's own close: closing now, closed (and the event) a moment later. */
  close(): void {
    this.closeCalls++
    if (this.readyState === 'closing' || this.readyState === 'closed') {
      return
    }
    this.readyState = 'closing'
    setTimeout(() => this.closedByRemote(), 5)
  }
  opened(): void {
    this.readyState = 'open'
    this.dispatchEvent(new Event('open'))
  }
  closedByRemote(): void {
    this.readyState = 'closed'
    this.dispatchEvent(new Event('close'))
  }
}

type Waits = (channel: StandInChannel, signal: AbortSignal) => Promise<void>

/** The lines of `waits` as a function of the names they use. */
async function asFunction(waits: readonly string[]): Promise<Waits> {
  const { pEvent } = await import('p-event')
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>
  const body = new AsyncFunction('channel', 'pEvent', 'log', 'signal', waits.join('\n'))
  const log = { trace: () => {} }
  return (channel, signal) => body(channel, pEvent, log, signal)
}

describe('webRTCInitChannel', () => {
  it("replaces the installed dialer's waits, every other line in place", () => {
    const code = readFileSync(fileURLToPath(new URL(INITIATE_CONNECTION, import.meta.url)), 'utf8')
    const rewritten = withStateAwareInitChannel(code)
    const before = code.split('\n')
    const after = rewritten.split('\n')
    expect(after.length).toBe(before.length)
    const changed = before.map((_, i) => i).filter((i) => after[i] !== before[i])
    expect(changed.length).toBeGreaterThan(ORIGINAL_WAITS.length / 2)
    expect((changed.at(-1) ?? 0) - (changed[0] ?? 0)).toBeLessThan(ORIGINAL_WAITS.length)
    expect(rewritten).toContain("await pEvent(channel, ['open', 'close'], { signal });")
    expect(() => parseAst(rewritten, { lang: 'js' })).not.toThrow()
  })

  it('stops the build on a module without the waits, or with them twice', () => {
    expect(() => withStateAwareInitChannel('export const x = 1\n')).toThrow(UnexpectedModuleShapeError)
    const twice = [...ORIGINAL_WAITS, ...ORIGINAL_WAITS].join('\n')
    expect(() => withStateAwareInitChannel(twice)).toThrow(UnexpectedModuleShapeError)
    expect(withStateAwareInitChannel(ORIGINAL_WAITS.join('\n')).split('\n')).toEqual(STATE_AWARE_WAITS)
  })

  it('the original waits hang on a channel the recipient already closed; the new ones return', async () => {
    const original = await asFunction(ORIGINAL_WAITS)
    const patched = await asFunction(STATE_AWARE_WAITS)
    await expect(original(new StandInChannel('closed'), AbortSignal.timeout(100))).rejects.toThrow(
      expect.objectContaining({ name: 'TimeoutError' }),
    )
    const closed = new StandInChannel('closed')
    await patched(closed, AbortSignal.timeout(1000))
    expect(closed.closeCalls).toBe(0)
    // closed without ever opening, while the dialer waited for it to open
    const neverOpened = new StandInChannel('connecting')
    const waiting = patched(neverOpened, AbortSignal.timeout(1000))
    neverOpened.closedByRemote()
    await waiting
    const stuck = new StandInChannel('connecting')
    const hanging = original(stuck, AbortSignal.timeout(100))
    stuck.closedByRemote()
    await expect(hanging).rejects.toThrow(expect.objectContaining({ name: 'TimeoutError' }))
    // closing: no second close, the close event ends the wait
    const closing = new StandInChannel('closing')
    const ending = patched(closing, AbortSignal.timeout(1000))
    closing.closedByRemote()
    await ending
    expect(closing.readyState).toBe('closed')
  })

  it('the usual order still opens, closes and waits for the close', async () => {
    for (const waits of [ORIGINAL_WAITS, STATE_AWARE_WAITS]) {
      const run = await asFunction(waits)
      const channel = new StandInChannel('connecting')
      const done = run(channel, AbortSignal.timeout(1000))
      channel.opened()
      await done
      expect(channel.closeCalls).toBe(1)
      expect(channel.readyState).toBe('closed')
      const open = new StandInChannel('open')
      await run(open, AbortSignal.timeout(1000))
      expect(open.readyState).toBe('closed')
    }
  })
})
