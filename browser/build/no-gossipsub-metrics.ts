/**
 * A Vite plugin for browser builds: gossipsub's metrics module without its Prometheus metric set.
 *
 * @libp2p/gossipsub imports `getMetrics` statically from dist/src/metrics.js (about 42 kB of source,
 * 4 KiB gzip of the bundle) but calls it only when it is given a `metricsRegister`. Ferry's group
 * gossip never passes one, so in a browser the function is dead weight. The plugin keeps the module's
 * enums (which gossipsub uses everywhere) and replaces `getMetrics`, the module's last export, with
 * one that throws GossipsubMetricsUnavailableError. If a gossipsub release changes the module's shape
 * (no `getMetrics`, or anything exported after it), the build fails instead of shipping a wrong
 * module.
 */
import type { Plugin } from 'vite'

/** The module replaced: gossipsub's metrics, wherever node_modules puts the package. */
const METRICS_MODULE = /[\\/]node_modules[\\/]@libp2p[\\/]gossipsub[\\/]dist[\\/]src[\\/]metrics\.js$/
const GET_METRICS = 'export function getMetrics('

const REPLACEMENT = `
export class GossipsubMetricsUnavailableError extends Error {
  constructor() {
    super('gossipsub metrics are left out of Ferry browser builds: do not pass metricsRegister')
    this.name = 'GossipsubMetricsUnavailableError'
  }
}
export function getMetrics() {
  throw new GossipsubMetricsUnavailableError()
}
`

/** The module to be rewritten is not shaped as this plugin expects (a gossipsub release changed it). */
export class UnexpectedModuleShapeError extends Error {
  override readonly name = 'UnexpectedModuleShapeError'
}

/** Cuts `getMetrics` out of gossipsub's metrics module; throws when the module's shape is not the expected one. */
export function withoutGetMetrics(code: string): string {
  const at = code.indexOf(GET_METRICS)
  if (at < 0 || code.indexOf(GET_METRICS, at + 1) >= 0) {
    throw new UnexpectedModuleShapeError('@libp2p/gossipsub metrics.js does not define getMetrics once')
  }
  const rest = code.slice(at)
  if (/^export\s/m.test(rest.slice(GET_METRICS.length))) {
    throw new UnexpectedModuleShapeError('@libp2p/gossipsub metrics.js exports more after getMetrics')
  }
  return `${code.slice(0, at)}${REPLACEMENT}`
}

export function noGossipsubMetrics(): Plugin {
  return {
    name: 'ferry:no-gossipsub-metrics',
    enforce: 'pre',
    transform: {
      filter: { id: METRICS_MODULE },
      handler(code, id) {
        if (!METRICS_MODULE.test(id)) {
          return null
        }
        return { code: withoutGetMetrics(code), map: null }
      },
    },
  }
}
