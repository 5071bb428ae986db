/**
 * Command-line parsing: finds the command (one word, or a group and a subcommand), then parses the
 * flags that command and the global ones take, strictly. Flags may come before or after the command.
 */
import { parseArgs } from 'node:util'
import { UsageError } from '../errors.js'
import {
  COMMANDS,
  type CommandSpec,
  findCommand,
  GLOBAL_OPTIONS,
  GROUPS,
  type OptionSpec,
} from './commands.js'

export interface Parsed {
  /** undefined for `ferry --help`, `ferry --version` and `ferry help` without a command. */
  readonly command: CommandSpec | undefined
  readonly args: readonly string[]
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>
  readonly help: boolean
  readonly version: boolean
  readonly json: boolean
}

type ParseOptions = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>

function toParseOptions(...tables: Array<Readonly<Record<string, OptionSpec>>>): ParseOptions {
  const out: ParseOptions = {}
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      out[name] = {
        type: spec.type,
        ...(spec.multiple === true ? { multiple: true } : {}),
        ...(spec.short === undefined ? {} : { short: spec.short }),
      }
    }
  }
  return out
}

/** Every flag any command takes, so that a first loose pass knows which flags consume a value. */
const ALL_OPTIONS: ParseOptions = {
  ...toParseOptions(GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)),
  version: { type: 'boolean' },
}
// short flags differ per command (-f, -t, -y): the loose pass knows them all, the strict one only the command's

export function parse(argv: readonly string[]): Parsed {
  const loose = parseArgs({ args: [...argv], options: ALL_OPTIONS, allowPositionals: true, strict: false })
  const words = loose.positionals
  const help = loose.values.help === true || words[0] === 'help'
  const json = loose.values.json === true
  const commandWords = words[0] === 'help' ? words.slice(1) : words
  const first = commandWords[0]
  if (first === undefined) {
    if (help || loose.values.version === true) {
      return { command: undefined, args: [], values: {}, help, version: !help, json }
    }
    throw new UsageError('no command given (ferry --help lists the commands)')
  }
  let name = first
  let consumed = 1
  const subcommands = GROUPS[first]
  if (subcommands !== undefined) {
    const sub = commandWords[1]
    if (sub === undefined) {
      if (help) {
        return { command: undefined, args: [first], values: {}, help, version: false, json }
      }
      throw new UsageError(`${first} needs a subcommand: ${subcommands.join(', ')}`)
    }
    if (!subcommands.includes(sub)) {
      throw new UsageError(`unknown command '${first} ${sub}' (${first} takes: ${subcommands.join(', ')})`)
    }
    name = `${first} ${sub}`
    consumed = 2
  }
  const command = findCommand(name)
  if (command === undefined) {
    throw new UsageError(`unknown command '${first}' (ferry --help lists the commands)`)
  }
  if (help) {
    return { command, args: [], values: {}, help, version: false, json }
  }
  let strict: ReturnType<typeof parseArgs>
  try {
    strict = parseArgs({
      args: [...argv],
      options: toParseOptions(GLOBAL_OPTIONS, command.options),
      allowPositionals: true,
      strict: true,
    })
  } catch (err) {
    const reason = ((err as Error).message.split('\n')[0] ?? 'invalid arguments').replace(
      /\. To specify.*$/,
      '',
    )
    throw new UsageError(`${command.name}: ${reason}`)
  }
  const args = strict.positionals.slice(consumed)
  const required = command.args.filter((a) => !a.endsWith('?')).length
  if (args.length < required) {
    const missing = command.args[args.length]!.replace(/\?$|\.\.\.$/, '')
    throw new UsageError(`${command.name}: missing ${missing} (ferry ${command.name} --help)`)
  }
  const variadic = command.args[command.args.length - 1]?.endsWith('...') === true
  if (args.length > command.args.length && !variadic) {
    throw new UsageError(`${command.name}: unexpected argument '${shorten(args[command.args.length]!)}'`)
  }
  return {
    command,
    args,
    values: strict.values as Parsed['values'],
    help: false,
    version: false,
    json,
  }
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}

/** A flag's value as a non-negative integer, or a UsageError naming the flag. */
export function integerFlag(
  value: string | boolean | string[] | undefined,
  flag: string,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined) {
    return undefined
  }
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new UsageError(`--${flag} takes a whole number`)
  }
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(`--${flag} must be between ${range.min} and ${range.max}`)
  }
  return n
}

export function stringFlag(value: string | boolean | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}

export function listFlag(value: string | boolean | string[] | undefined): string[] {
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : []
}
