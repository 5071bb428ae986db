/**
 * `--help` texts, generated from the command table.
 */
import { EXIT } from '../errors.js'
import { COMMANDS, type CommandSpec, GLOBAL_OPTIONS, GROUPS, type OptionSpec } from './commands.js'

function usageOf(command: CommandSpec): string {
  const args = command.args.map((a) => (a.endsWith('?') ? `[${a.slice(0, -1)}]` : a))
  const flags = Object.entries(command.options).map(([name, spec]) =>
    spec.type === 'boolean'
      ? `[--${name}]`
      : `[--${name} ${spec.value ?? 'VALUE'}${spec.multiple ? ' ...' : ''}]`,
  )
  return ['ferry [--data DIR] [--json]', command.name, ...args, ...flags].join(' ')
}

function flagLines(options: Readonly<Record<string, OptionSpec>>): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const short = spec.short === undefined ? '    ' : `-${spec.short}, `
    const left = `${short}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`
    return { left, description: spec.description }
  })
  const width = Math.max(0, ...entries.map((e) => e.left.length))
  return entries.map((e) => `  ${e.left.padEnd(width)}  ${e.description}`)
}

export function commandHelp(command: CommandSpec): string {
  const lines = [
    `ferry ${command.name}: ${command.summary}`,
    '',
    'Usage:',
    `  ${usageOf(command)}`,
    '',
    ...command.description,
  ]
  if (Object.keys(command.options).length > 0) {
    lines.push('', 'Flags:', ...flagLines(command.options))
  }
  lines.push('', 'Global flags:', ...flagLines(GLOBAL_OPTIONS))
  lines.push('', `With --json: ${command.json}`)
  lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`), '')
  return lines.join('\n')
}

export function groupHelp(group: string): string {
  const commands = (GROUPS[group] ?? []).map((sub) => COMMANDS.find((c) => c.name === `${group} ${sub}`)!)
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    `ferry ${group}: ${commands.map((c) => c.name.split(' ')[1]).join(', ')}`,
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `ferry ${group} SUBCOMMAND --help shows the flags of each.`,
    '',
  ].join('\n')
}

export function mainHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    `ferry ${version}: a peer-to-peer, end-to-end-encrypted messenger (peer node and daemon)`,
    '',
    'Usage:',
    '  ferry [--data DIR] [--json] COMMAND [ARGS] [FLAGS]',
    '  ferry COMMAND --help | ferry --help | ferry --version',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global flags:',
    ...flagLines(GLOBAL_OPTIONS),
    '',
    'Commands go through the daemon of DIR when one runs (its socket DIR/ferry.sock), and otherwise',
    'open the store and run the node for the duration of the command.',
    '',
    'Exit codes:',
    `  ${EXIT.OK}    success`,
    `  ${EXIT.FAILURE}    runtime failure (network, relays, store, unexpected)`,
    `  ${EXIT.USAGE}    usage error (unknown command or flag, missing or malformed argument)`,
    `  ${EXIT.ACCOUNT}    account state (no account yet, one exists already, not the primary device)`,
    `  ${EXIT.NOT_FOUND}    not found (unknown contact, message or device)`,
    `  ${EXIT.IN_USE}    data directory in use (a daemon runs, or another process holds the store)`,
    `  ${EXIT.UNTRUSTED}    a contact's identity changed (ferry verify TO, then --approve)`,
    `  ${EXIT.INCOMPLETE}    send returned before every device was covered (the outbox keeps trying)`,
    `  ${EXIT.INTERRUPTED}  interrupted`,
    '',
  ].join('\n')
}
