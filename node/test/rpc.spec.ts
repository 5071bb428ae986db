/**
 * The JSON-RPC peer over a real Unix socket: calls both ways, notifications, error codes, and hostile
 * input (not JSON, not a request, batches, prototype keys as methods, lines over the bound).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RemoteError } from '../src/errors.js'
import { RPC_ERROR, RpcMethodError, RpcPeer } from '../src/rpc.js'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

/** A server peer with `handlers` and a raw client socket connected to it. */
async function pair(
  init: ConstructorParameters<typeof RpcPeer>[1],
): Promise<{ server: RpcPeer; client: Socket }> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-rpc-'))
  const path = join(dir, 's')
  let serverPeer: RpcPeer | undefined
  const server: Server = createServer((socket) => {
    serverPeer = new RpcPeer(socket, init)
  })
  await new Promise<void>((resolve) => server.listen(path, resolve))
  const client = connect({ path })
  await new Promise<void>((resolve) => client.once('connect', resolve))
  while (serverPeer === undefined) await new Promise((resolve) => setTimeout(resolve, 1))
  cleanups.push(() => {
    client.destroy()
    server.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return { server: serverPeer, client }
}

/** Reads JSON lines the raw client receives. */
function lines(socket: Socket): { next(): Promise<Record<string, unknown>> } {
  let buffer = ''
  const queue: Array<Record<string, unknown>> = []
  const waiting: Array<(line: Record<string, unknown>) => void> = []
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk
    for (let i = buffer.indexOf('\n'); i !== -1; i = buffer.indexOf('\n')) {
      const line = JSON.parse(buffer.slice(0, i)) as Record<string, unknown>
      buffer = buffer.slice(i + 1)
      const waiter = waiting.shift()
      waiter === undefined ? queue.push(line) : waiter(line)
    }
  })
  return {
    next: () => {
      const line = queue.shift()
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve))
    },
  }
}

describe('RpcPeer', () => {
  it('answers requests with results, and failures with their code and error name', async () => {
    const { client } = await pair({
      maxLineBytes: 1024,
      handlers: {
        echo: async (params) => params,
        nothing: async () => undefined,
        fail: async () => {
          throw Object.assign(new Error('no such contact\nsecond line'), { name: 'UnknownContactError' })
        },
        bad: async () => {
          throw new RpcMethodError(RPC_ERROR.INVALID_PARAMS, 'params.to is required')
        },
      },
    })
    const read = lines(client)
    client.write('{"jsonrpc":"2.0","id":1,"method":"echo","params":{"a":1}}\n')
    expect(await read.next()).toEqual({ jsonrpc: '2.0', id: 1, result: { a: 1 } })
    client.write('{"jsonrpc":"2.0","id":"x","method":"nothing"}\n')
    expect(await read.next()).toEqual({ jsonrpc: '2.0', id: 'x', result: null })
    client.write('{"jsonrpc":"2.0","id":2,"method":"fail"}\n')
    expect(await read.next()).toEqual({
      jsonrpc: '2.0',
      id: 2,
      error: {
        code: RPC_ERROR.APPLICATION,
        message: 'no such contact',
        data: { name: 'UnknownContactError' },
      },
    })
    client.write('{"jsonrpc":"2.0","id":3,"method":"bad"}\n')
    expect(await read.next()).toMatchObject({ id: 3, error: { code: RPC_ERROR.INVALID_PARAMS } })
  })

  it('refuses what is not a request, unknown methods and prototype keys, and keeps serving', async () => {
    const { client } = await pair({ maxLineBytes: 1024, handlers: { ok: async () => 'ok' } })
    const read = lines(client)
    client.write('not json\n')
    expect(await read.next()).toMatchObject({ id: null, error: { code: RPC_ERROR.PARSE } })
    client.write('[{"jsonrpc":"2.0","id":1,"method":"ok"}]\n')
    expect(await read.next()).toMatchObject({ id: null, error: { code: RPC_ERROR.INVALID_REQUEST } })
    client.write('{"jsonrpc":"1.0","id":1,"method":"ok"}\n')
    expect(await read.next()).toMatchObject({ id: 1, error: { code: RPC_ERROR.INVALID_REQUEST } })
    client.write('{"jsonrpc":"2.0","id":{"x":1},"method":"ok"}\n')
    expect(await read.next()).toMatchObject({ id: null, error: { code: RPC_ERROR.INVALID_REQUEST } })
    for (const method of ['__proto__', 'constructor', 'toString', 'nope']) {
      client.write(`${JSON.stringify({ jsonrpc: '2.0', id: method, method })}\n`)
      expect(await read.next()).toMatchObject({ id: method, error: { code: RPC_ERROR.METHOD_NOT_FOUND } })
    }
    client.write('{"jsonrpc":"2.0","id":9,"method":"ok"}\n')
    expect(await read.next()).toEqual({ jsonrpc: '2.0', id: 9, result: 'ok' })
  })

  it('assembles a line split across reads, and closes a connection whose line runs over the bound', async () => {
    const { client } = await pair({ maxLineBytes: 64, handlers: { ok: async () => 'ok' } })
    const read = lines(client)
    client.write('{"jsonrpc":"2.0",')
    await new Promise((resolve) => setTimeout(resolve, 10))
    client.write('"id":1,"method":"ok"}\n')
    expect(await read.next()).toMatchObject({ id: 1, result: 'ok' })
    const closed = new Promise((resolve) => client.once('close', resolve))
    client.write('x'.repeat(100))
    expect(await read.next()).toMatchObject({ error: { code: RPC_ERROR.INVALID_REQUEST } })
    await closed
  })

  it('calls the other end and hears its notifications; pending calls fail when the connection closes', async () => {
    const heard: unknown[] = []
    const { server, client } = await pair({
      maxLineBytes: 1024,
      handlers: { slow: () => new Promise(() => {}) },
    })
    const clientPeer = new RpcPeer(client, {
      maxLineBytes: 1024,
      handlers: { 'link.approve': async (params) => (params as { deviceId: number }).deviceId === 2 },
      onNotification: (method, params) => heard.push([method, params]),
    })
    expect(await server.call('link.approve', { deviceId: 2 })).toBe(true)
    server.notify('link.code', { code: 'c' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(heard).toEqual([['link.code', { code: 'c' }]])

    const unknown = clientPeer.call('nope', {})
    await expect(unknown).rejects.toBeInstanceOf(RemoteError)
    await expect(unknown).rejects.toMatchObject({ name: 'UsageError' })

    const pending = server.call('never', {}) // the client has no handler: it answers method not found
    await expect(pending).rejects.toMatchObject({ name: 'UsageError' })
    const lost = clientPeer.call('slow', {})
    server.destroy()
    await expect(lost).rejects.toMatchObject({ name: 'DaemonConnectionError' })
    expect(clientPeer.signal.aborted).toBe(true)
  })
})
