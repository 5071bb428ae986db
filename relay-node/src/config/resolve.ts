/**
 * Turns the three sources of configuration into one validated RelayConfig: command-line flags over
 * FERRY_RELAY_* environment variables over the JSON config file over the defaults. Every value is
 * checked against its key's spec, unknown keys and unknown FERRY_RELAY_* variables are errors (a typo
 * must not silently fall back to a default), and each error names the key and where the value came from.
 */
import { readFile } from 'node:fs/promises'
import { multiaddr } from '@multiformats/multiaddr'
import { ConfigError } from '../errors.js'
import {
  ENV_CONFIG,
  ENV_DATA,
  envName,
  KEY_MAP,
  KEYS,
  type KeySpec,
  LOG_LEVELS,
  type RelayConfig,
} from './schema.js'

/** Largest config file read: a full config is about 2 KiB; anything far larger is not one. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024
/** Longest value quoted back in an error message. */
const MAX_QUOTED_CHARS = 60
/** Largest rate accepted (per second): beyond it a limit is no limit; say so with a large burst. */
const MAX_RATE = 1e9

export interface ConfigInputs {
  /** The parsed JSON of the config file and its path (for messages). */
  file?: { path: string; data: unknown }
  /** The environment (process.env); only FERRY_RELAY_* variables are read. */
  env?: Readonly<Record<string, string | undefined>>
  /** Values from flags, by config key, as typed on the command line. */
  flags?: Readonly<Record<string, string | readonly string[]>>
}

export interface ConfigResult {
  config?: RelayConfig
  errors: ConfigError[]
}

function quote(value: unknown): string {
  let text: string
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  return text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text
}

function describeBounds(spec: KeySpec): string {
  return `an integer from ${spec.min ?? 0} to ${spec.max ?? Number.MAX_SAFE_INTEGER}`
}

/** Checks a typed value (from JSON, or parsed from text) against the spec; returns the value or an error text. */
function check(spec: KeySpec, value: unknown): { value: unknown } | { error: string } {
  switch (spec.kind) {
    case 'integer': {
      const ok =
        typeof value === 'number' &&
        Number.isSafeInteger(value) &&
        value >= (spec.min ?? 0) &&
        value <= (spec.max ?? Number.MAX_SAFE_INTEGER)
      return ok ? { value } : { error: `must be ${describeBounds(spec)} (got ${quote(value)})` }
    }
    case 'rate': {
      const ok = typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_RATE
      return ok
        ? { value }
        : { error: `must be a number above 0 and at most ${MAX_RATE} (got ${quote(value)})` }
    }
    case 'boolean':
      return typeof value === 'boolean' ? { value } : { error: `must be true or false (got ${quote(value)})` }
    case 'host': {
      const ok = typeof value === 'string' && value.length > 0 && value.length <= 255 && !/\s/.test(value)
      return ok ? { value } : { error: `must be a host name or address (got ${quote(value)})` }
    }
    case 'log-level':
      return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value)
        ? { value }
        : { error: `must be one of ${LOG_LEVELS.join(', ')} (got ${quote(value)})` }
    case 'multiaddrs': {
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        return { error: `must be a list of multiaddr strings (got ${quote(value)})` }
      }
      for (const item of value as string[]) {
        try {
          multiaddr(item)
        } catch {
          return { error: `${quote(item)} is not a valid multiaddr` }
        }
      }
      return { value: [...(value as string[])] }
    }
  }
}

/** Parses text (an environment variable or a flag) into the spec's type, then checks it. */
function fromText(spec: KeySpec, text: string | readonly string[]): { value: unknown } | { error: string } {
  if (spec.kind === 'multiaddrs') {
    const items = (typeof text === 'string' ? [text] : text)
      .flatMap((item) => item.split(','))
      .map((item) => item.trim())
      .filter((item) => item.length > 0)
    return check(spec, items)
  }
  const raw = typeof text === 'string' ? text : text[text.length - 1]
  const value = (raw ?? '').trim()
  switch (spec.kind) {
    case 'integer':
      return check(spec, /^-?\d+$/.test(value) ? Number(value) : value)
    case 'rate':
      return check(spec, /^\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) ? Number(value) : value)
    case 'boolean':
      return check(
        spec,
        value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value,
      )
    default:
      return check(spec, value)
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The leaf values of a config file by dotted key; unknown keys become errors. */
function flattenFile(path: string, data: unknown, errors: ConfigError[]): Map<string, unknown> {
  const out = new Map<string, unknown>()
  if (!isPlainObject(data)) {
    errors.push(new ConfigError('(file)', 'must hold one JSON object', path))
    return out
  }
  const walk = (prefix: string, object: Record<string, unknown>): void => {
    for (const [name, value] of Object.entries(object)) {
      const key = prefix === '' ? name : `${prefix}.${name}`
      if (KEY_MAP.has(key)) {
        out.set(key, value)
      } else if (KEYS.some((spec) => spec.key.startsWith(`${key}.`))) {
        if (isPlainObject(value)) {
          walk(key, value)
        } else {
          errors.push(new ConfigError(key, `must be an object (got ${quote(value)})`, path))
        }
      } else {
        errors.push(new ConfigError(key, 'unknown key', path))
      }
    }
  }
  walk('', data)
  return out
}

/** Writes `value` at the dotted `key` of a nested object. */
function assign(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.')
  let node = target
  for (const part of parts.slice(0, -1)) {
    const next = node[part]
    if (isPlainObject(next)) {
      node = next
    } else {
      const created: Record<string, unknown> = {}
      node[part] = created
      node = created
    }
  }
  node[parts[parts.length - 1]!] = value
}

const KNOWN_ENV = new Set([...KEYS.map((spec) => envName(spec.key)), ENV_DATA, ENV_CONFIG])

/**
 * Resolves and validates the configuration. Collects every error rather than stopping at the first,
 * so an operator fixes a file in one pass; `config` is set only when there is none.
 */
export function resolveConfig(inputs: ConfigInputs): ConfigResult {
  const errors: ConfigError[] = []
  const chosen = new Map<string, unknown>()

  if (inputs.file !== undefined) {
    const { path } = inputs.file
    for (const [key, value] of flattenFile(path, inputs.file.data, errors)) {
      const result = check(KEY_MAP.get(key)!, value)
      if ('error' in result) {
        errors.push(new ConfigError(key, result.error, path))
      } else {
        chosen.set(key, result.value)
      }
    }
  }

  const env = inputs.env ?? {}
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith('FERRY_RELAY_') || text === undefined) {
      continue
    }
    if (!KNOWN_ENV.has(name)) {
      errors.push(new ConfigError(name, 'unknown environment variable', 'environment'))
    }
  }
  for (const spec of KEYS) {
    const text = env[envName(spec.key)]
    if (text === undefined) {
      continue
    }
    const result = fromText(spec, text)
    if ('error' in result) {
      errors.push(new ConfigError(spec.key, result.error, `environment ${envName(spec.key)}`))
    } else {
      chosen.set(spec.key, result.value)
    }
  }

  for (const [key, text] of Object.entries(inputs.flags ?? {})) {
    const spec = KEY_MAP.get(key)
    if (spec === undefined) {
      errors.push(new ConfigError(key, 'unknown key', 'command line'))
      continue
    }
    const result = fromText(spec, text)
    if ('error' in result) {
      errors.push(new ConfigError(key, result.error, 'command line'))
    } else {
      chosen.set(key, result.value)
    }
  }

  const config: Record<string, unknown> = {}
  for (const spec of KEYS) {
    const value = chosen.has(spec.key) ? chosen.get(spec.key) : structuredClone(spec.default)
    assign(config, spec.key, value)
  }
  const resolved = config as unknown as RelayConfig
  if (!chosen.has('mailbox.defaultTtlMs')) {
    // a lower TTL cap lowers the default TTL with it; only an explicit default above the cap is an error
    resolved.mailbox.defaultTtlMs = Math.min(resolved.mailbox.defaultTtlMs, resolved.mailbox.maxTtlMs)
  }
  crossCheck(resolved, errors)
  return errors.length === 0 ? { config: resolved, errors } : { errors }
}

/** Rules between keys. */
function crossCheck(config: RelayConfig, errors: ConfigError[]): void {
  if (config.mailbox.defaultTtlMs > config.mailbox.maxTtlMs) {
    errors.push(
      new ConfigError(
        'mailbox.defaultTtlMs',
        `must not exceed mailbox.maxTtlMs (${config.mailbox.defaultTtlMs} > ${config.mailbox.maxTtlMs})`,
      ),
    )
  }
  if (config.listen.length === 0) {
    errors.push(new ConfigError('listen', 'needs at least one address'))
  }
  if (config.streams.mailboxMaxStreamsPerPeer < 2) {
    errors.push(
      new ConfigError(
        'streams.mailboxMaxStreamsPerPeer',
        'must be at least 2 (a deposit stream and a fetch session)',
      ),
    )
  }
}

/** Reads and parses a config file; a missing, unreadable, oversized or non-JSON file is a ConfigError. */
export async function readConfigFile(path: string): Promise<{ path: string; data: unknown }> {
  let text: string
  try {
    const bytes = await readFile(path)
    if (bytes.byteLength > MAX_CONFIG_FILE_BYTES) {
      throw new ConfigError('(file)', `is larger than ${MAX_CONFIG_FILE_BYTES} bytes`, path)
    }
    text = bytes.toString('utf8')
  } catch (err) {
    if (err instanceof ConfigError) {
      throw err
    }
    const code = (err as { code?: unknown }).code
    throw new ConfigError(
      '(file)',
      code === 'ENOENT' ? 'does not exist' : `cannot be read (${String(code ?? 'error')})`,
      path,
    )
  }
  try {
    return { path, data: JSON.parse(text) as unknown }
  } catch (err) {
    throw new ConfigError('(file)', `is not valid JSON (${(err as Error).message})`, path)
  }
}

/** The configuration with every default: what a relay runs with when given nothing. */
export function defaultConfig(): RelayConfig {
  const { config } = resolveConfig({})
  return config!
}
