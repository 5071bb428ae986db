/**
 * Dialing `/ws` addresses from Node needs a global `WebSocket`: Node >= 22 has one, Node 20 only
 * behind `--experimental-websocket`. This installs the `ws` implementation (the one
 * @libp2p/websockets itself uses for listening) when the global is missing. Node only.
 */
import { TransportError } from '../errors.js'

/** Makes `globalThis.WebSocket` available on Node 20. Idempotent; a no-op where it exists. */
export async function installNodeWebSocket(): Promise<void> {
  const global = globalThis as { WebSocket?: unknown }
  if (typeof global.WebSocket === 'function') {
    return
  }
  // a variable specifier keeps bundlers from pulling a Node-only module into browser builds
  const specifier = 'ws'
  try {
    const ws = (await import(specifier)) as { WebSocket?: unknown; default?: unknown }
    global.WebSocket = ws.WebSocket ?? ws.default
  } catch {
    throw new TransportError(
      'no global WebSocket: run on Node >= 22, start Node 20 with --experimental-websocket, or install `ws`',
    )
  }
}
