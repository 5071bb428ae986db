/**
 * The relay's HTTP endpoint for operators: `/metrics` (Prometheus text format), `/healthz` (the
 * process is alive and serving HTTP) and `/readyz` (storage open and libp2p listening; 503 before
 * that and while draining at shutdown, so a load balancer stops sending new clients first). GET and
 * HEAD only; nothing else is served.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { METRICS_REQUEST_TIMEOUT_MS } from '../constants.js'
import { RelayStartError } from '../errors.js'
import { PROMETHEUS_CONTENT_TYPE } from './registry.js'

export interface MetricsServerInit {
  host: string
  port: number
  /** The /metrics body. */
  render: () => string
  /** Undefined when ready; otherwise why not (`starting`, `draining`). */
  notReady: () => string | undefined
}

export interface MetricsServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

function reply(res: ServerResponse, req: IncomingMessage, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}

export async function startMetricsServer(init: MetricsServerInit): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD')
      reply(res, req, 405, 'text/plain; charset=utf-8', 'method not allowed\n')
      return
    }
    const path = (req.url ?? '/').split('?')[0]
    switch (path) {
      case '/metrics': {
        let body: string
        try {
          body = init.render()
        } catch {
          reply(res, req, 500, 'text/plain; charset=utf-8', 'metrics unavailable\n')
          return
        }
        reply(res, req, 200, PROMETHEUS_CONTENT_TYPE, body)
        return
      }
      case '/healthz':
        reply(res, req, 200, 'text/plain; charset=utf-8', 'ok\n')
        return
      case '/readyz': {
        const reason = init.notReady()
        if (reason === undefined) {
          reply(res, req, 200, 'text/plain; charset=utf-8', 'ready\n')
        } else {
          reply(res, req, 503, 'text/plain; charset=utf-8', `not ready: ${reason}\n`)
        }
        return
      }
      default:
        reply(res, req, 404, 'text/plain; charset=utf-8', 'not found (try /metrics, /healthz, /readyz)\n')
    }
  })
  server.requestTimeout = METRICS_REQUEST_TIMEOUT_MS
  server.headersTimeout = METRICS_REQUEST_TIMEOUT_MS
  server.keepAliveTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(
        new RelayStartError(
          `cannot serve metrics on ${init.host}:${init.port} (${(err as { code?: string }).code ?? err.message})`,
        ),
      )
    }
    server.once('error', onError)
    server.listen(init.port, init.host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const host = init.host.includes(':') ? `[${init.host}]` : init.host
  let closing: Promise<void> | undefined
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}
