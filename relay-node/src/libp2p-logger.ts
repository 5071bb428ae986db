/**
 * The component logger the relay gives libp2p. libp2p's own (the `debug` package) builds several
 * logger functions for every connection, muxer and stream (about 8 per connection here, each with
 * its namespace strings and closures), which stay allocated for the connection's life even though
 * nothing is printed unless `DEBUG` names them. Without `DEBUG` the relay hands every component one
 * shared silent logger instead; with `DEBUG` set, libp2p's logger as before.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'

function nothing(): void {}

const silent: Logger = Object.assign(nothing.bind(null), {
  error: nothing,
  trace: nothing,
  enabled: false,
  newScope: (): Logger => silent,
})

/** Every component's logger is the same silent one. */
export const silentComponentLogger: ComponentLogger = {
  forComponent: () => silent,
}

/** The logger for libp2p: silent unless `DEBUG` is set (then undefined: libp2p's debug logger). */
export function libp2pLogger(env: { DEBUG?: string | undefined }): ComponentLogger | undefined {
  return env.DEBUG === undefined || env.DEBUG.trim() === '' ? silentComponentLogger : undefined
}
