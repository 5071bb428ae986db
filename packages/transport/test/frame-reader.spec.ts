import type { Stream } from '@libp2p/interface'
import { streamPair } from '@libp2p/utils'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'
import { appendPrefixed, FrameReader, varintLength } from '../src/stream/frame-reader.js'

const init = { maxFrameBytes: 1024, frameTimeoutMs: 10_000, maxQueuedFrames: 64 }

function prefixed(frames: Uint8Array[]): Uint8Array {
  const out = new Uint8ArrayList()
  for (const frame of frames) {
    appendPrefixed(out, frame)
  }
  return out.subarray()
}

async function pair(): Promise<[Stream, Stream]> {
  return streamPair({ delay: 0 })
}

describe('FrameReader', () => {
  it('reads frames however the bytes are split across network reads', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }),
        async (frames, cuts) => {
          const [outbound, inbound] = await pair()
          const reader = new FrameReader(inbound, init)
          const bytes = prefixed(frames)
          let offset = 0
          for (let i = 0; offset < bytes.byteLength; i++) {
            const size = cuts[i % cuts.length]!
            outbound.send(bytes.subarray(offset, offset + size))
            offset += size
          }
          await outbound.close()
          const read: Uint8Array[] = []
          for (;;) {
            const frame = await reader.next()
            if (frame === null) {
              break
            }
            read.push(Uint8Array.from(frame))
          }
          expect(read).toEqual(frames.map((f) => Uint8Array.from(f)))
        },
      ),
      { numRuns: 30 },
    )
  })

  it('hands out frames that own their bytes: a chunk reused by the layers below does not change them', async () => {
    // a stream stand-in that delivers exactly the chunk it is given, as a TCP read into a reused
    // buffer would (libp2p's in-memory stream pairs copy, which would hide the problem)
    const events = new EventTarget()
    const stream = Object.assign(events, {
      readStatus: 'readable',
      readBufferLength: 0,
      pause() {},
      resume() {},
    }) as unknown as Stream
    const reader = new FrameReader(stream, init)
    const chunk = prefixed([new Uint8Array([1, 2, 3, 4]), new Uint8Array([5, 6])])
    events.dispatchEvent(Object.assign(new Event('message'), { data: chunk }))
    const first = await reader.next()
    const second = await reader.next()
    chunk.fill(0xee)
    expect(first).toEqual(new Uint8Array([1, 2, 3, 4]))
    expect(second).toEqual(new Uint8Array([5, 6]))
  })

  it('refuses a length over the cap from its prefix alone', async () => {
    const [outbound, inbound] = await pair()
    const reader = new FrameReader(inbound, init)
    outbound.send(new Uint8Array([0x81, 0x08])) // 1025
    await expect(reader.next()).rejects.toMatchObject({ name: 'FrameTooLargeError' })
  })

  it('refuses a 2^32 prefix, and a runaway varint, before it ends', async () => {
    for (const prefix of [
      [0x80, 0x80, 0x80, 0x80, 0x10],
      [0xff, 0xff, 0xff],
    ]) {
      const [outbound, inbound] = await pair()
      const reader = new FrameReader(inbound, init)
      // only as many bytes as the cap's varint needs, plus one: the reader must decide without the rest
      outbound.send(new Uint8Array(prefix.slice(0, varintLength(init.maxFrameBytes) + 1)))
      await expect(reader.next()).rejects.toMatchObject({ name: 'FrameTooLargeError' })
    }
  })

  it('refuses non-minimal and empty prefixes', async () => {
    for (const bytes of [[0x81, 0x00, 1], [0x00]]) {
      const [outbound, inbound] = await pair()
      const reader = new FrameReader(inbound, init)
      outbound.send(new Uint8Array(bytes))
      await expect(reader.next()).rejects.toMatchObject({ name: 'MalformedFrameError' })
    }
  })

  it('reports a stream that ends inside a frame', async () => {
    const [outbound, inbound] = await pair()
    const reader = new FrameReader(inbound, init)
    outbound.send(new Uint8Array([5, 1, 2]))
    await outbound.close()
    await expect(reader.next()).rejects.toMatchObject({ name: 'MalformedFrameError' })
  })

  it('resets a stream whose frame stalls past the read timeout', async () => {
    const [outbound, inbound] = await pair()
    const reader = new FrameReader(inbound, { ...init, frameTimeoutMs: 50 })
    outbound.send(new Uint8Array([10, 1, 2, 3]))
    await expect(reader.next()).rejects.toMatchObject({ name: 'ReadTimeoutError' })
    expect(inbound.status).not.toBe('open')
  })

  it('times out an idle wait without touching the stream', async () => {
    const [, inbound] = await pair()
    const reader = new FrameReader(inbound, init)
    await expect(reader.next({ idleTimeoutMs: 20 })).rejects.toMatchObject({ name: 'IdleTimeoutError' })
    expect(inbound.status).toBe('open')
  })

  it('pauses the stream when unread frames pile up, and resumes as they are read', async () => {
    const [outbound, inbound] = await pair()
    const reader = new FrameReader(inbound, { ...init, maxQueuedFrames: 4 })
    outbound.send(prefixed(Array.from({ length: 10 }, (_, i) => new Uint8Array([i + 1]))))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(inbound.readStatus).toBe('paused')
    const read: number[] = []
    for (let i = 0; i < 10; i++) {
      read.push((await reader.next())![0]!)
    }
    expect(read).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(inbound.readStatus).toBe('readable')
  })
})
