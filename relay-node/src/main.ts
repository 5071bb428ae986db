/**
 * The `ferry-relay` process: sets its V8 heap policy (heap.ts), fills Node 20's gaps before anything
 * touches libp2p, routes signals and stray errors, runs the command line, and exits with its code.
 * Everything else is in cli/run.ts.
 */
import { installPolyfills } from '@ferry/transport'
import { applyHeapPolicy } from './heap.js'

applyHeapPolicy({ execArgv: process.execArgv })
installPolyfills()

const { runCli, EXIT_FAILURE } = await import('./cli/run.js')

let stopping = false
const json = process.argv.includes('--json')

// an output whose reader went away (EPIPE: a supervisor's log pipe closed) must neither stop the relay
// nor spin it: unhandled, the stream's 'error' came back through report() below, whose write failed
// again, a loop at full CPU that also kept SIGTERM from ending the process. Lines to it are dropped.
let stderrGone = false
process.stdout.on('error', () => {})
process.stderr.on('error', () => {
  stderrGone = true
})

// a stray rejection or exception from a connection's internals must not take every mailbox down with
// it: acknowledged deposits are already on disk, so the relay logs it and keeps serving
function report(kind: string, err: unknown): void {
  const name = (err as { name?: unknown })?.name
  const message = (err as { message?: unknown })?.message
  if (stderrGone) {
    return
  }
  const record = {
    time: new Date().toISOString(),
    level: stopping ? 'warn' : 'error',
    msg: kind,
    error: typeof name === 'string' ? name : 'Error',
    detail: typeof message === 'string' ? message.slice(0, 200) : '',
  }
  process.stderr.write(
    json
      ? `${JSON.stringify(record)}\n`
      : `${record.time} ${record.level.toUpperCase().padEnd(5)} ${kind} error=${record.error} detail=${JSON.stringify(record.detail)}\n`,
  )
}
process.on('unhandledRejection', (err) => report('unhandled rejection', err))
process.on('uncaughtException', (err) => report('uncaught exception', err))

const code = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  onSignal: (handler) => {
    const listener = (signal: NodeJS.Signals): void => {
      stopping = true
      handler(signal)
    }
    process.on('SIGINT', listener)
    process.on('SIGTERM', listener)
    return () => {
      process.off('SIGINT', listener)
      process.off('SIGTERM', listener)
    }
  },
}).catch((err: unknown) => {
  report('failed', err)
  return EXIT_FAILURE
})

// libp2p and the HTTP server leave timers behind; the relay has finished its work: flush and exit
process.stdout.write('', () => {
  process.exit(code)
})
