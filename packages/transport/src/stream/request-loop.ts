/**
 * The server side of a sequential request/response stream (pre-keys, device lists): read a frame,
 * answer it, repeat until the client closes, the stream idles, or the service stops. Unreadable
 * frames are refused with a typed status and the stream is reset; a frame that stalls half-sent is
 * reset by the read timeout.
 */
import type { Stream } from '@libp2p/interface'
import { STREAM_CLOSE_TIMEOUT_MS } from '../constants.js'
import { FrameTooLargeError, IdleTimeoutError, MalformedFrameError, ReadTimeoutError } from '../errors.js'
import { FrameReader } from './frame-reader.js'
import { FrameWriter } from './frame-writer.js'
import { describeReadError, statusForReadError } from './types.js'

export interface RequestLoopInit {
  stream: Stream
  /** Aborts when the service stops: the loop finishes the current request and closes. */
  stopping: AbortSignal
  maxFrameBytes: number
  frameTimeoutMs: number
  idleTimeoutMs: number
  maxQueuedFrames: number
  /**
   * Answers one request frame. `fatal` ends the exchange after the reply (a refusal of an unreadable
   * or out-of-protocol request) by resetting the stream.
   */
  handle(frame: Uint8Array): Promise<{ reply: Uint8Array; fatal?: boolean }>
  /** Encodes a refusal of a frame that could not be read. */
  refusal(status: number, description: string): Uint8Array
  /** Told why a stream was refused (for metrics). */
  onRefused?(status: number | 'read-timeout'): void
}

export async function runRequestLoop(init: RequestLoopInit): Promise<void> {
  const { stream } = init
  const reader = new FrameReader(stream, {
    maxFrameBytes: init.maxFrameBytes,
    frameTimeoutMs: init.frameTimeoutMs,
    maxQueuedFrames: init.maxQueuedFrames,
  })
  const writer = new FrameWriter(stream)
  for (;;) {
    let frame: Uint8Array | null
    try {
      frame = await reader.next({ signal: init.stopping, idleTimeoutMs: init.idleTimeoutMs })
    } catch (err) {
      if (err instanceof IdleTimeoutError || init.stopping.aborted) {
        break
      }
      if (err instanceof ReadTimeoutError) {
        init.onRefused?.('read-timeout')
        return
      }
      if (err instanceof FrameTooLargeError || err instanceof MalformedFrameError) {
        const status = statusForReadError(err)
        init.onRefused?.(status)
        writer.write(init.refusal(status, describeReadError(err)))
        await writer.closeWrite(STREAM_CLOSE_TIMEOUT_MS)
        stream.abort(err)
      }
      // otherwise the remote reset the stream or the connection dropped
      return
    }
    if (frame === null) {
      break
    }
    const { reply, fatal } = await init.handle(frame)
    writer.write(reply)
    if (fatal === true) {
      await writer.closeWrite(STREAM_CLOSE_TIMEOUT_MS)
      stream.abort(new MalformedFrameError('request refused'))
      return
    }
    writer.flush()
  }
  await writer.close(STREAM_CLOSE_TIMEOUT_MS)
}
