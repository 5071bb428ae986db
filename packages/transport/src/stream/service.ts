/**
 * What every Ferry protocol server shares: registering its handler with stream limits, counting
 * streams per peer across connections, bounding each stream's buffers, and an idempotent start/stop
 * that lets open exchanges finish their in-flight writes before resetting what is left.
 */
import { type Connection, type Logger, type Startable, type Stream, setMaxListeners } from '@libp2p/interface'
import {
  MAX_STREAM_READ_BUFFER_BYTES,
  MAX_STREAM_WRITE_BUFFER_BYTES,
  SERVER_STOP_TIMEOUT_MS,
} from '../constants.js'
import { ServiceStoppingError, StreamLimitError } from '../errors.js'
import { StreamCounter } from './rate-limiter.js'
import type { ServerComponents } from './types.js'

export interface ProtocolServiceInit {
  protocol: string
  maxInboundStreams: number
  maxOutboundStreams: number
  maxStreamsPerPeer: number
  runOnLimitedConnection: boolean
  stopTimeoutMs?: number
  /** Called when a stream is refused because its peer is at its stream limit. */
  onStreamRefused?: () => void
}

export abstract class ProtocolService implements Startable {
  protected readonly components: ServerComponents
  protected readonly log: Logger
  readonly #init: ProtocolServiceInit
  readonly #perPeer: StreamCounter
  readonly #active = new Map<Stream, Promise<void>>()
  #stopping = new AbortController()
  #started = false

  constructor(components: ServerComponents, init: ProtocolServiceInit, component: string) {
    this.components = components
    this.#init = init
    this.log = components.logger.forComponent(component)
    this.#perPeer = new StreamCounter(init.maxStreamsPerPeer)
    this.onStream = this.onStream.bind(this)
  }

  /** The protocol this service answers. */
  get protocol(): string {
    return this.#init.protocol
  }

  /** Streams open right now. */
  get openStreams(): number {
    return this.#active.size
  }

  isStarted(): boolean {
    return this.#started
  }

  async start(): Promise<void> {
    if (this.#started) {
      return
    }
    this.#stopping = new AbortController()
    // every open stream waits on this one signal
    setMaxListeners(Number.POSITIVE_INFINITY, this.#stopping.signal)
    await this.components.registrar.handle(this.#init.protocol, this.onStream, {
      maxInboundStreams: this.#init.maxInboundStreams,
      maxOutboundStreams: this.#init.maxOutboundStreams,
      runOnLimitedConnection: this.#init.runOnLimitedConnection,
    })
    this.#started = true
  }

  async stop(): Promise<void> {
    if (!this.#started) {
      return
    }
    this.#started = false
    await this.components.registrar.unhandle(this.#init.protocol)
    this.#stopping.abort(new ServiceStoppingError('the service is stopping'))
    const pending = [...this.#active.values()]
    if (pending.length > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined
      await Promise.race([
        Promise.allSettled(pending),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, this.#init.stopTimeoutMs ?? SERVER_STOP_TIMEOUT_MS)
        }),
      ])
      clearTimeout(timer)
    }
    for (const stream of this.#active.keys()) {
      stream.abort(new ServiceStoppingError('the service stopped'))
    }
  }

  /** Handles one inbound stream until it is done. `stopping` aborts when the service stops. */
  protected abstract handleStream(
    stream: Stream,
    connection: Connection,
    stopping: AbortSignal,
  ): Promise<void>

  private onStream(stream: Stream, connection: Connection): void {
    const peer = connection.remotePeer.toString()
    if (!this.#started || !this.#perPeer.acquire(peer)) {
      stream.abort(new StreamLimitError('too many streams from this peer'))
      this.#init.onStreamRefused?.()
      return
    }
    stream.maxReadBufferLength = MAX_STREAM_READ_BUFFER_BYTES
    stream.maxWriteBufferLength = MAX_STREAM_WRITE_BUFFER_BYTES
    const run = this.handleStream(stream, connection, this.#stopping.signal)
      .catch((err: unknown) => {
        this.log('stream ended with %s', (err as Error)?.name)
        stream.abort(err as Error)
      })
      .finally(() => {
        this.#active.delete(stream)
        this.#perPeer.release(peer)
      })
    this.#active.set(stream, run)
  }
}
