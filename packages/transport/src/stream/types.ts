/**
 * The narrow slices of a libp2p node that Ferry's protocol services and clients use, so a service
 * asks for exactly what it touches (a libp2p node or its components satisfy them structurally), and
 * the mapping of read and decode failures to the status codes sent back.
 */

import { OversizedError, StatusCode, UnknownVersionError } from '@ferry/wire'
import type { AbortOptions, ComponentLogger, Connection, DialTarget, PeerId, Stream } from '@libp2p/interface'
import { FrameTooLargeError } from '../errors.js'

/** The handler options Ferry services set (a subset of libp2p's StreamHandlerOptions). */
export interface ProtocolHandlerOptions {
  maxInboundStreams?: number
  maxOutboundStreams?: number
  runOnLimitedConnection?: boolean
}

/**
 * Registers protocol handlers (libp2p's registrar component). Declared structurally, with only what
 * the services use, so registrars typed against any 3.x @libp2p/interface satisfy it.
 */
export interface ProtocolRegistrar {
  handle(
    protocol: string,
    handler: (stream: Stream, connection: Connection) => void | Promise<void>,
    options?: ProtocolHandlerOptions,
  ): Promise<void>
  unhandle(protocol: string, options?: AbortOptions): Promise<void>
}

/** What every protocol server takes from libp2p's components. */
export interface ServerComponents {
  registrar: ProtocolRegistrar
  peerId: PeerId
  logger: ComponentLogger
}

/**
 * What every protocol client takes: the local PeerId and a way to get a connection (a libp2p node,
 * `Pick<Libp2p, 'peerId' | 'dial' | 'getConnections'>`, satisfies it; libp2p reuses an open
 * connection). With `getConnections`, a pooled channel to a peer moves off a limited connection once
 * an unlimited one is open.
 */
export interface ClientComponents {
  peerId: PeerId
  dial(target: DialTarget, options?: AbortOptions): Promise<Connection>
  getConnections?(peer?: PeerId): Connection[]
}

/** The status code answering a frame that could not be read or decoded. */
export function statusForReadError(err: unknown): number {
  if (err instanceof FrameTooLargeError || err instanceof OversizedError) {
    return StatusCode.TOO_LARGE
  }
  if (err instanceof UnknownVersionError) {
    return StatusCode.UNKNOWN_VERSION
  }
  return StatusCode.MALFORMED
}

/** A short, data-free description of a read or decode failure for a reply. */
export function describeReadError(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown }
  const name = typeof e?.name === 'string' ? e.name : 'Error'
  const message = typeof e?.message === 'string' ? e.message : 'unreadable frame'
  // wire errors name the field and the limit, never the data; cut to stay within the reply's cap
  return `${name}: ${message}`.slice(0, 80)
}
