/**
 * The `ferry` command line: parses, prints help, runs the command, and turns what went wrong into one
 * line on stderr and an exit code (errors.ts).
 */
import { ENV_LISTEN } from '../constants.js'
import { EXIT, exitCodeOf, InterruptedError } from '../errors.js'
import { resolveDataDir } from '../paths.js'
import { FERRY_VERSION } from '../version.js'
import { listFlag, type Parsed, parse, stringFlag } from './args.js'
import type { CliIo, CommandContext } from './context.js'
import { commandHelp, groupHelp, mainHelp } from './help.js'
import { Output } from './output.js'

type Runner = (ctx: CommandContext) => Promise<number>

/** The commands, loaded when one runs (they load the messenger core). */
async function runnerOf(name: string): Promise<Runner> {
  const [account, messages, groups, { receive }] = await Promise.all([
    import('./account-commands.js'),
    import('./message-commands.js'),
    import('./group-commands.js'),
    import('./receive.js'),
  ])
  const runners: Readonly<Record<string, Runner>> = {
    init: account.init,
    id: account.id,
    daemon: account.daemon,
    'link new': account.linkNew,
    'link join': account.linkJoin,
    'devices list': account.devicesList,
    'devices remove': account.devicesRemove,
    'contacts add': messages.contactsAdd,
    'contacts list': messages.contactsList,
    send: messages.send,
    history: messages.history,
    status: messages.status,
    verify: messages.verify,
    'group create': groups.groupCreate,
    'group add': groups.groupAdd,
    'group remove': groups.groupRemove,
    'group leave': groups.groupLeave,
    'group send': groups.groupSend,
    'group list': groups.groupList,
    'group info': groups.groupInfo,
    receive,
  }
  return runners[name]!
}

/**
 * Answers what needs no node (help, version, usage errors) without loading the messenger core, so
 * that these stay instant; undefined when there is a command to run.
 */
export async function answerWithoutNode(io: CliIo): Promise<number | undefined> {
  let parsed: Parsed
  try {
    parsed = parse(io.argv)
  } catch (err) {
    outputFor(io, io.argv.includes('--json')).error(err)
    return exitCodeOf(err)
  }
  const out = outputFor(io, parsed.json)
  if (parsed.version) {
    await out.line(FERRY_VERSION)
    return EXIT.OK
  }
  if (parsed.help || parsed.command === undefined) {
    const group = parsed.args[0]
    await out.line(
      (parsed.command !== undefined
        ? commandHelp(parsed.command)
        : group !== undefined
          ? groupHelp(group)
          : mainHelp(FERRY_VERSION)
      ).trimEnd(),
    )
    return EXIT.OK
  }
  return undefined
}

/** Runs the command line; resolves to the exit code. */
export async function runCli(io: CliIo): Promise<number> {
  const early = await answerWithoutNode(io)
  if (early !== undefined) {
    return early
  }
  const parsed = parse(io.argv)
  if (parsed.command === undefined) {
    return EXIT.USAGE
  }
  const out = outputFor(io, parsed.json)
  const interrupt = new AbortController()
  const removeSignal = io.onSignal(() => {
    interrupt.abort(new InterruptedError('interrupted'))
  })
  try {
    const listen = listFlag(parsed.values.listen)
    const fromEnv = (io.env[ENV_LISTEN] ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '')
    const ctx: CommandContext = {
      io,
      out,
      parsed,
      data: resolveDataDir(stringFlag(parsed.values.data), io.env),
      listen: listen.length > 0 ? listen : fromEnv.length > 0 ? fromEnv : undefined,
      signal: interrupt.signal,
    }
    const runner = await runnerOf(parsed.command.name)
    return await runner(ctx)
  } catch (err) {
    // an interrupted command reports the interruption, not whatever it broke on the way out
    const reported = interrupt.signal.aborted ? interrupt.signal.reason : err
    out.error(reported)
    return exitCodeOf(reported)
  } finally {
    removeSignal()
  }
}

function outputFor(io: CliIo, json: boolean): Output {
  return new Output({ stdout: io.stdout, stderr: io.stderr, json, stderrIsTty: io.stderrIsTty })
}
