/**
 * A byte echo on BENCH_ECHO_PROTOCOL, served only when the configuration turns `benchmark.echo` on.
 * The relay benchmark measures its deposits beside this echo on the same connections to the same
 * process: the echo is what libp2p alone costs (framing, noise, yamux, the event loop) with no
 * storage, so the ratio says how much of the ceiling the durable path reaches. Never on in production:
 * it answers anyone with whatever they send.
 */
import type { Stream } from '@libp2p/interface'

/** The echo's protocol ID (not a Ferry protocol: nothing but the benchmark speaks it). */
export const BENCH_ECHO_PROTOCOL = '/ferry-bench/echo/1'
/** Echo streams per connection: the benchmark opens one per sender. */
export const BENCH_ECHO_MAX_STREAMS = 64

/** Echoes every chunk back as it arrives, pausing reads while the send buffer drains. */
export function echoStream(stream: Stream): void {
  stream.addEventListener('message', (event) => {
    if (!stream.send(event.data)) {
      stream.pause()
      stream.onDrain().then(
        () => stream.resume(),
        () => {},
      )
    }
  })
  stream.addEventListener('remoteCloseWrite', () => {
    stream.close().catch(() => {})
  })
}
