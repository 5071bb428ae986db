/**
 * The `ferry` process: fills Node 20's gaps before anything touches libp2p, routes SIGINT and SIGTERM
 * to the command (a second one exits at once), runs the command line, and exits with its code.
 */
import { installPolyfills } from '@ferry/client'

installPolyfills()

const { runCli } = await import('./cli/run.js')
const { EXIT } = await import('./errors.js')

let signals = 0
const handlers = new Set<(signal: string) => void>()
const onSignal = (signal: NodeJS.Signals): void => {
  signals++
  if (signals > 1) {
    process.exit(EXIT.INTERRUPTED)
  }
  for (const handler of handlers) {
    handler(signal)
  }
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

// a stray rejection from a connection's internals must not take the node down: what a command needs
// is awaited and reported. The daemon notes strays on stderr; other commands only with DEBUG set, so
// that a failing command still says why in one line.
const daemon = process.argv.slice(2).includes('daemon')
const stray = (err: unknown): void => {
  if (daemon || process.env.DEBUG !== undefined) {
    process.stderr.write(`ferry: stray error: ${(err as Error)?.stack ?? String(err)}\n`)
  }
}
process.on('unhandledRejection', stray)
process.on('uncaughtException', stray)

const code = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  stdinIsTty: process.stdin.isTTY === true,
  stderrIsTty: process.stderr.isTTY === true,
  onSignal: (handler) => {
    handlers.add(handler)
    return () => handlers.delete(handler)
  },
})

// libp2p leaves timers behind; the command has finished its work: flush and exit
process.stdout.write('', () => {
  process.exit(code)
})
