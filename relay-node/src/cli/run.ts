/**
 * The `ferry-relay` command line: `start`, `check-config`, `--help`, `--version`. Parses flags,
 * resolves the configuration (flags over environment over file), starts the relay, prints the ready
 * line, and stops it gracefully on SIGINT or SIGTERM. Everything an operator reads is one line per
 * problem; exit codes are 0 (clean), 1 (could not start, failed, invalid config), 2 (usage).
 */
import { parseArgs } from 'node:util'
import { type ConfigInputs, readConfigFile, resolveConfig } from '../config/resolve.js'
import { ENV_CONFIG, ENV_DATA, type RelayConfig } from '../config/schema.js'
import { ConfigError, RelayError, UsageError } from '../errors.js'
import { createLogger, type RelayLogger } from '../logger.js'
import { type RelayHandle, startRelay } from '../relay.js'
import { RELAY_VERSION } from '../version.js'
import { FLAGS, helpText } from './help.js'

export interface CliIo {
  argv: readonly string[]
  env: Readonly<Record<string, string | undefined>>
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Registers a handler for SIGINT and SIGTERM; returns a function that removes it. */
  onSignal: (handler: (signal: string) => void) => () => void
}

export const EXIT_OK = 0
export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

const OPTIONS = {
  data: { type: 'string' },
  config: { type: 'string' },
  listen: { type: 'string', multiple: true },
  announce: { type: 'string', multiple: true },
  'metrics-port': { type: 'string' },
  'metrics-host': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>

function parse(argv: readonly string[]): Parsed {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'invalid arguments')
  }
}

/** Flags that set config keys, as the config resolver takes them. */
function configFlags(values: Parsed['values']): Record<string, string | string[]> {
  const flags: Record<string, string | string[]> = {}
  for (const { flag, key } of FLAGS) {
    const value = values[flag.slice(2) as keyof Parsed['values']]
    if (key !== undefined && value !== undefined && typeof value !== 'boolean') {
      flags[key] = value
    }
  }
  return flags
}

function readyText(handle: RelayHandle): string {
  const lines = [`ferry-relay ${RELAY_VERSION} ready`, `PeerId: ${handle.peerId.toString()}`, 'Listening on:']
  for (const addr of handle.addrs) {
    lines.push(`  ${addr}`)
  }
  if (handle.metricsUrl !== undefined) {
    lines.push(`Metrics: ${handle.metricsUrl}/metrics (health: /healthz, /readyz)`)
  }
  return `${lines.join('\n')}\n`
}

async function checkConfig(parsed: Parsed, io: CliIo): Promise<number> {
  const path = parsed.positionals[1]
  if (path === undefined || parsed.positionals.length > 2) {
    throw new UsageError('check-config takes one FILE')
  }
  let errors: ConfigError[]
  try {
    errors = resolveConfig({ file: await readConfigFile(path) }).errors
  } catch (err) {
    if (!(err instanceof ConfigError)) {
      throw err
    }
    errors = [err]
  }
  if (parsed.values.json === true) {
    io.stdout(
      `${JSON.stringify({ valid: errors.length === 0, errors: errors.map((e) => ({ key: e.key, message: e.message })) })}\n`,
    )
  } else if (errors.length === 0) {
    io.stdout(`${path}: valid\n`)
  } else {
    for (const error of errors) {
      io.stderr(`ferry-relay: invalid configuration: ${error.message}\n`)
    }
  }
  return errors.length === 0 ? EXIT_OK : EXIT_FAILURE
}

async function start(parsed: Parsed, io: CliIo): Promise<number> {
  if (parsed.positionals.length > 1) {
    throw new UsageError(`unexpected argument ${parsed.positionals[1]}`)
  }
  const json = parsed.values.json === true
  const dataDir = parsed.values.data ?? io.env[ENV_DATA]
  if (dataDir === undefined || dataDir === '') {
    throw new UsageError(`start needs --data DIR (or ${ENV_DATA})`)
  }
  const configPath = parsed.values.config ?? io.env[ENV_CONFIG]
  const inputs: ConfigInputs = { env: io.env, flags: configFlags(parsed.values) }
  let config: RelayConfig | undefined
  let errors: ConfigError[]
  try {
    if (configPath !== undefined && configPath !== '') {
      inputs.file = await readConfigFile(configPath)
    }
    ;({ config, errors } = resolveConfig(inputs))
  } catch (err) {
    if (!(err instanceof ConfigError)) {
      throw err
    }
    errors = [err]
  }
  const log = createLogger({
    format: json ? 'json' : 'text',
    level: config?.log.level ?? 'info',
    write: (line) => io.stderr(`${line}\n`),
  })
  if (config === undefined) {
    for (const error of errors) {
      log.error(`invalid configuration: ${error.message}`, { key: error.key })
    }
    return EXIT_FAILURE
  }

  let handle: RelayHandle
  try {
    handle = await startRelay({ dataDir, config, logger: log })
  } catch (err) {
    if (err instanceof RelayError) {
      log.error(err.message, { error: err.name })
      return EXIT_FAILURE
    }
    throw err
  }
  io.stdout(
    json
      ? `${JSON.stringify({ peerId: handle.peerId.toString(), addrs: handle.addrs })}\n`
      : readyText(handle),
  )
  return waitForSignal(handle, io, log)
}

/** Runs until SIGINT or SIGTERM, then drains; a second signal gives up on draining. */
async function waitForSignal(handle: RelayHandle, io: CliIo, log: RelayLogger): Promise<number> {
  return new Promise<number>((resolve) => {
    let signals = 0
    const remove = io.onSignal((signal) => {
      signals++
      if (signals > 1) {
        log.warn('second signal: exiting without finishing the drain', { signal })
        resolve(EXIT_FAILURE)
        return
      }
      log.info('stopping', { signal })
      handle.stop().then(
        () => {
          remove()
          resolve(EXIT_OK)
        },
        (err: unknown) => {
          log.error(`stopping failed: ${(err as Error)?.message ?? 'error'}`)
          remove()
          resolve(EXIT_FAILURE)
        },
      )
    })
  })
}

/** Runs the command line; resolves to the exit code. */
export async function runCli(io: CliIo): Promise<number> {
  try {
    const parsed = parse(io.argv)
    if (parsed.values.version === true) {
      io.stdout(`${RELAY_VERSION}\n`)
      return EXIT_OK
    }
    const command = parsed.positionals[0]
    if (parsed.values.help === true || command === 'help' || command === undefined) {
      io.stdout(helpText(RELAY_VERSION))
      return command === undefined && parsed.values.help !== true ? EXIT_USAGE : EXIT_OK
    }
    switch (command) {
      case 'start':
        return await start(parsed, io)
      case 'check-config':
        return await checkConfig(parsed, io)
      default:
        throw new UsageError(`unknown command ${command}`)
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`ferry-relay: ${err.message} (see ferry-relay --help)\n`)
      return EXIT_USAGE
    }
    throw err
  }
}
