/**
 * JSON-RPC 2.0 over a stream socket, one JSON object per line, in both directions: either end may
 * call the other (the daemon asks the client to approve a joining device) and send notifications
 * (events of a subscription). Batches are not supported. Lines longer than the peer's bound end the
 * connection; a call pending when the connection ends fails with DaemonConnectionError.
 */
import type { Socket } from 'node:net'
import { DaemonConnectionError, nameOf, oneLine, RemoteError } from './errors.js'

/** JSON-RPC error codes (the standard ones, and one for errors of the method itself). */
export const RPC_ERROR = {
  PARSE: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  /** The method failed; `data.name` is the error's name (UnknownContactError, ...). */
  APPLICATION: -32000,
} as const

/** Thrown by a handler to answer with a specific JSON-RPC error code. */
export class RpcMethodError extends Error {
  override readonly name: string = 'RpcMethodError'
  constructor(
    readonly code: number,
    message: string,
    readonly errorName = 'UsageError',
  ) {
    super(message)
  }
}

export interface CallContext {
  /** Aborted when the connection closes. */
  readonly signal: AbortSignal
  readonly peer: RpcPeer
}

export type RpcHandler = (params: unknown, context: CallContext) => Promise<unknown>

export interface RpcPeerInit {
  readonly maxLineBytes: number
  readonly handlers?: Readonly<Record<string, RpcHandler>>
  readonly onNotification?: (method: string, params: unknown) => void
}

interface Pending {
  resolve(value: unknown): void
  reject(err: Error): void
}

export class RpcPeer {
  readonly socket: Socket
  readonly closed: Promise<void>
  readonly #init: RpcPeerInit
  readonly #pending = new Map<number | string, Pending>()
  readonly #closing = new AbortController()
  #nextId = 1
  #buffer: Buffer[] = []
  #buffered = 0

  constructor(socket: Socket, init: RpcPeerInit) {
    this.socket = socket
    this.#init = init
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#closing.abort(new DaemonConnectionError('the connection was closed'))
        for (const pending of this.#pending.values()) {
          pending.reject(new DaemonConnectionError('the connection to the daemon was lost'))
        }
        this.#pending.clear()
        resolve()
      })
    })
    socket.on('error', () => {
      // 'close' follows and settles everything
    })
    socket.on('data', (chunk: Buffer) => this.#receive(chunk))
  }

  /** Aborted once the connection has closed. */
  get signal(): AbortSignal {
    return this.#closing.signal
  }

  /** Calls `method` on the other end and resolves to its result (or rejects with a RemoteError). */
  call(method: string, params: unknown, options: { signal?: AbortSignal } = {}): Promise<unknown> {
    if (this.#closing.signal.aborted) {
      return Promise.reject(new DaemonConnectionError('the connection to the daemon is closed'))
    }
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      const signal = options.signal
      const onAbort = (): void => {
        this.#pending.delete(id)
        reject(signal?.reason instanceof Error ? signal.reason : new DaemonConnectionError('aborted'))
      }
      if (signal?.aborted === true) {
        onAbort()
        return
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#pending.set(id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort)
          resolve(value)
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort)
          reject(err)
        },
      })
      this.#write({ jsonrpc: '2.0', id, method, params })
    })
  }

  notify(method: string, params: unknown): void {
    this.#write({ jsonrpc: '2.0', method, params })
  }

  /** Bytes written but not yet taken by the other end. */
  get pendingWriteBytes(): number {
    return this.socket.writableLength
  }

  close(): void {
    this.socket.end()
  }

  destroy(): void {
    this.socket.destroy()
  }

  #write(message: unknown): void {
    if (!this.socket.destroyed && this.socket.writable) {
      this.socket.write(`${JSON.stringify(message)}\n`)
    }
  }

  #receive(chunk: Buffer): void {
    let start = 0
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, i)
      start = i + 1
      if (this.#buffered + part.byteLength > this.#init.maxLineBytes) {
        this.#tooLong()
        return
      }
      const line = this.#buffered === 0 ? part : Buffer.concat([...this.#buffer, part])
      this.#buffer = []
      this.#buffered = 0
      this.#line(line.toString('utf8'))
    }
    const rest = chunk.subarray(start)
    if (rest.byteLength > 0) {
      if (this.#buffered + rest.byteLength > this.#init.maxLineBytes) {
        this.#tooLong()
        return
      }
      this.#buffer.push(Buffer.from(rest))
      this.#buffered += rest.byteLength
    }
  }

  #tooLong(): void {
    this.#write({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: RPC_ERROR.INVALID_REQUEST,
        message: `a message is at most ${this.#init.maxLineBytes} bytes`,
      },
    })
    this.socket.end()
    this.socket.destroySoon()
    this.#buffer = []
    this.#buffered = 0
  }

  #line(text: string): void {
    if (text.trim() === '') {
      return
    }
    let message: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(text)
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        this.#write({
          jsonrpc: '2.0',
          id: null,
          error: { code: RPC_ERROR.INVALID_REQUEST, message: 'a message is one JSON object (no batches)' },
        })
        return
      }
      message = parsed as Record<string, unknown>
    } catch {
      this.#write({ jsonrpc: '2.0', id: null, error: { code: RPC_ERROR.PARSE, message: 'not JSON' } })
      return
    }
    const id = message.id
    const validId = typeof id === 'number' || typeof id === 'string'
    if (typeof message.method === 'string') {
      if (message.jsonrpc !== '2.0') {
        if (validId) {
          this.#write({
            jsonrpc: '2.0',
            id,
            error: { code: RPC_ERROR.INVALID_REQUEST, message: 'jsonrpc must be "2.0"' },
          })
        }
        return
      }
      if (id === undefined) {
        this.#init.onNotification?.(message.method, message.params)
        return
      }
      if (!validId) {
        this.#write({
          jsonrpc: '2.0',
          id: null,
          error: { code: RPC_ERROR.INVALID_REQUEST, message: 'id must be a number or a string' },
        })
        return
      }
      void this.#handle(id, message.method, message.params)
      return
    }
    if (validId && ('result' in message || 'error' in message)) {
      const pending = this.#pending.get(id)
      if (pending === undefined) {
        return
      }
      this.#pending.delete(id)
      if ('error' in message) {
        pending.reject(remoteErrorOf(message.error))
      } else {
        pending.resolve(message.result)
      }
      return
    }
    this.#write({
      jsonrpc: '2.0',
      id: validId ? id : null,
      error: { code: RPC_ERROR.INVALID_REQUEST, message: 'not a JSON-RPC 2.0 request' },
    })
  }

  async #handle(id: number | string, method: string, params: unknown): Promise<void> {
    const handler = Object.hasOwn(this.#init.handlers ?? {}, method)
      ? this.#init.handlers![method]
      : undefined
    if (handler === undefined) {
      this.#write({
        jsonrpc: '2.0',
        id,
        error: {
          code: RPC_ERROR.METHOD_NOT_FOUND,
          message: `unknown method ${JSON.stringify(method.slice(0, 64))}`,
        },
      })
      return
    }
    try {
      const result = await handler(params, { signal: this.#closing.signal, peer: this })
      this.#write({ jsonrpc: '2.0', id, result: result ?? null })
    } catch (err) {
      const code = err instanceof RpcMethodError ? err.code : RPC_ERROR.APPLICATION
      const name = err instanceof RpcMethodError ? err.errorName : nameOf(err)
      this.#write({ jsonrpc: '2.0', id, error: { code, message: oneLine(err), data: { name } } })
    }
  }
}

function remoteErrorOf(error: unknown): Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    message?: unknown
    data?: { name?: unknown }
    code?: unknown
  }
  const message = typeof e.message === 'string' ? e.message : 'the daemon reported an error'
  const name =
    typeof e.data?.name === 'string'
      ? e.data.name
      : e.code === RPC_ERROR.METHOD_NOT_FOUND || e.code === RPC_ERROR.INVALID_PARAMS
        ? 'UsageError'
        : 'DaemonConnectionError'
  return new RemoteError(name, message)
}
