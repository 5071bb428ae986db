/**
 * The `ferry` process. The messenger core (and libp2p with it) is loaded only when this process runs
 * the node, and then the client's polyfills are installed before any of its code runs (client.ts);
 * help, usage errors and commands the daemon serves never load it, so they start in a fraction of the
 * time. SIGINT and SIGTERM go to the command (a second one exits at once); the process exits with the
 * command's code.
 */
import type { CliIo } from './cli/context.js'
import { answerWithoutNode } from './cli/run.js'

let signals = 0
const handlers = new Set<(signal: string) => void>()
const onSignal = (): void => {
  signals++
  if (signals > 1) {
    process.exit(130)
  }
  for (const handler of handlers) {
    handler('signal')
  }
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

const io: CliIo = {
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
}

// a stderr whose reader went away (EPIPE: a supervisor's log pipe closed) must not spin the process:
// unhandled, the stream's 'error' came back as a stray below, whose line failed again, a loop at full
// CPU that also kept SIGTERM from ending a daemon. Lines to it are dropped. (stdout's reader going
// away ends a command: cli/output.ts.)
let stderrGone = false
process.stderr.on('error', () => {
  stderrGone = true
})

let code = await answerWithoutNode(io)
if (code === undefined) {
  // a stray rejection from a connection's internals must not take the node down: what a command
  // needs is awaited and reported. The daemon notes strays on stderr in one line; other commands only
  // with DEBUG set (with the stack), so that a failing command still says why in one line.
  const daemon = io.argv.includes('daemon')
  const stray = (err: unknown): void => {
    if (stderrGone) {
      return
    }
    if (process.env.DEBUG !== undefined) {
      process.stderr.write(`ferry: stray error: ${(err as Error)?.stack ?? String(err)}\n`)
    } else if (daemon) {
      const message = String((err as Error)?.message ?? err).split('\n')[0]
      process.stderr.write(`ferry daemon: stray error: ${(err as Error)?.name ?? 'Error'}: ${message}\n`)
    }
  }
  process.on('unhandledRejection', stray)
  process.on('uncaughtException', stray)

  const { runCli } = await import('./cli/run.js')
  code = await runCli(io)
}

// libp2p leaves timers behind; the command has finished its work: flush and exit
process.stdout.write('', () => {
  process.exit(code)
})
