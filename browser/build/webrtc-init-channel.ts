/**
 * A Vite plugin for browser builds: @libp2p/webrtc's dialer no longer hangs when the recipient
 * closed the `init` data channel first.
 *
 * Between two browsers the dialer creates a data channel labelled `init` before its SDP offer, waits
 * for the peer connection, then waits for that channel's `open` event, closes it and waits for its
 * `close` event. The recipient closes the `init` channel as soon as it sees it. When the recipient
 * gets there first (its side connected a few milliseconds earlier, the dialer still reading ICE
 * candidates from the relayed signalling stream), the dialer finds the channel already closing or
 * closed: its `open` event has passed, or never comes, and the dial hangs until its timeout while the
 * recipient holds a connection whose streams the dialer never answers. Seen about once in fifteen
 * runs of test/browser/webrtc.spec.ts.
 *
 * The plugin replaces those waits in the installed initiate-connection.js by ones that take the
 * channel's state into account: wait for `open` or `close` while the channel is connecting, and close
 * it and wait for `close` only while it is not closed. The replacement keeps every line of the module
 * on its line. A module without the expected text stops the build, so an upgrade of @libp2p/webrtc is
 * looked at again rather than shipped unpatched or patched wrongly.
 */
import type { Plugin } from 'vite'
import { UnexpectedModuleShapeError } from './no-gossipsub-metrics.js'

/** The module the plugin rewrites, by the end of its path. */
export const INITIATE_CONNECTION =
  /[\\/]@libp2p[\\/]webrtc[\\/]dist[\\/]src[\\/]private-to-private[\\/]initiate-connection\.js$/

/** The installed module's waits on the init channel (@libp2p/webrtc 6.0.33), indentation aside. */
export const ORIGINAL_WAITS = [
  "if (channel.readyState !== 'open') {",
  "    log.trace('wait for init channel to open');",
  "    await pEvent(channel, 'open', {",
  '        signal',
  '    });',
  '}',
  "log.trace('closing init channel');",
  'channel.close();',
  '// wait for init channel to close before proceeding, otherwise the channel',
  '// id can be reused before both sides have seen the channel close',
  "log.trace('waiting for init channel to close');",
  "await pEvent(channel, 'close', {",
  '    signal',
  '});',
]

/** What replaces them: as many lines. */
export const STATE_AWARE_WAITS = [
  '// the recipient closes the init channel when it sees it: it may be closing or closed by now',
  "if (channel.readyState === 'connecting') {",
  "    log.trace('wait for init channel to open');",
  "    await pEvent(channel, ['open', 'close'], { signal });",
  '}',
  "if (channel.readyState !== 'closed') {",
  "    log.trace('closing init channel');",
  '    channel.close();',
  '    // wait for init channel to close before proceeding, otherwise the channel',
  '    // id can be reused before both sides have seen the channel close',
  "    log.trace('waiting for init channel to close');",
  "    await pEvent(channel, 'close', { signal });",
  '}',
  '',
]

/**
 * `code` (initiate-connection.js) with the init channel's waits replaced; throws
 * UnexpectedModuleShapeError unless the original waits occur exactly once.
 */
export function withStateAwareInitChannel(code: string): string {
  const lines = code.split('\n')
  const starts: number[] = []
  lines.forEach((line, i) => {
    const indent = /^\s*/.exec(line)?.[0] ?? ''
    if (ORIGINAL_WAITS.every((expected, k) => lines[i + k] === indent + expected)) {
      starts.push(i)
    }
  })
  if (starts.length !== 1) {
    throw new UnexpectedModuleShapeError(
      `@libp2p/webrtc initiate-connection.js: the init channel's waits occur ${starts.length} times, not once`,
    )
  }
  const at = starts[0] as number
  const indent = /^\s*/.exec(lines[at] as string)?.[0] ?? ''
  lines.splice(
    at,
    ORIGINAL_WAITS.length,
    ...STATE_AWARE_WAITS.map((line) => (line === '' ? '' : indent + line)),
  )
  return lines.join('\n')
}

export function webRTCInitChannel(): Plugin {
  return {
    name: 'ferry:webrtc-init-channel',
    transform: {
      filter: { id: INITIATE_CONNECTION },
      handler(code, id) {
        return INITIATE_CONNECTION.test(id) ? { code: withStateAwareInitChannel(code), map: null } : null
      },
    },
  }
}
