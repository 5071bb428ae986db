/**
 * The text of `ferry-relay --help`: commands, flags, and every configuration key with its type,
 * default and environment variable, generated from the key table so it cannot miss one.
 */
import { ENV_CONFIG, ENV_DATA, envName, KEYS, type KeySpec } from '../config/schema.js'

/** Every flag `start` takes, with the config key it sets (if any). */
export const FLAGS: ReadonlyArray<{ flag: string; value?: string; key?: string; description: string }> = [
  {
    flag: '--data',
    value: 'DIR',
    description: `data directory: store and identity key (or ${ENV_DATA}); required`,
  },
  { flag: '--config', value: 'FILE', description: `JSON config file (or ${ENV_CONFIG})` },
  { flag: '--listen', value: 'MULTIADDR', key: 'listen', description: 'listen address; repeat for several' },
  {
    flag: '--announce',
    value: 'MULTIADDR',
    key: 'announce',
    description: 'announced address; repeat for several',
  },
  { flag: '--metrics-port', value: 'N', key: 'metrics.port', description: 'metrics and health HTTP port' },
  {
    flag: '--metrics-host',
    value: 'HOST',
    key: 'metrics.host',
    description: 'metrics and health HTTP address',
  },
  {
    flag: '--json',
    description: 'print the ready line as one JSON object on stdout and log JSON lines to stderr',
  },
  { flag: '--help', description: 'show this help' },
  { flag: '--version', description: 'print the version' },
]

function typeOf(spec: KeySpec): string {
  switch (spec.kind) {
    case 'integer':
      return `integer ${spec.min ?? 0}..${spec.max === Number.MAX_SAFE_INTEGER ? '' : spec.max}${spec.unit === undefined ? '' : ` (${spec.unit})`}`
    case 'rate':
      return `number > 0${spec.unit === undefined ? '' : ` (${spec.unit})`}`
    case 'boolean':
      return 'true | false'
    case 'multiaddrs':
      return 'list of multiaddrs (comma-separated in the environment)'
    case 'host':
      return 'host'
    case 'log-level':
      return 'debug | info | warn | error'
  }
}

function defaultOf(spec: KeySpec): string {
  return Array.isArray(spec.default)
    ? spec.default.length === 0
      ? '(none)'
      : spec.default.join(', ')
    : String(spec.default)
}

export function helpText(version: string): string {
  const lines = [
    `ferry-relay ${version}: a Ferry store-and-forward relay (mailboxes, pre-keys, device lists, circuit relay, DHT)`,
    '',
    'Usage:',
    '  ferry-relay start --data DIR [--listen MULTIADDR ...] [--config FILE] [--metrics-port N] [--json]',
    '  ferry-relay check-config FILE [--json]',
    '  ferry-relay --help | --version',
    '',
    'Commands:',
    '  start          run a relay until SIGINT or SIGTERM, then finish in-flight writes and exit 0',
    '  check-config   validate a config file; exits non-zero naming each offending key',
    '',
    'Flags of start:',
  ]
  const width = Math.max(...FLAGS.map((f) => `${f.flag}${f.value === undefined ? '' : ` ${f.value}`}`.length))
  for (const f of FLAGS) {
    const left = `${f.flag}${f.value === undefined ? '' : ` ${f.value}`}`.padEnd(width)
    lines.push(`  ${left}  ${f.description}${f.key === undefined ? '' : ` (config: ${f.key})`}`)
  }
  lines.push(
    '',
    'Precedence: flags over FERRY_RELAY_* environment variables over the config file over defaults.',
    'Unknown keys and unknown FERRY_RELAY_* variables are errors.',
    '',
    'Configuration keys (config file: nested JSON, e.g. {"mailbox": {"maxTtlMs": 604800000}}):',
  )
  for (const spec of KEYS) {
    lines.push(
      `  ${spec.key}`,
      `      ${spec.description}`,
      `      type: ${typeOf(spec)}; default: ${defaultOf(spec)}; env: ${envName(spec.key)}`,
    )
  }
  lines.push(
    '',
    'HTTP (metrics port): /metrics (Prometheus), /healthz (alive), /readyz (ready; 503 while starting or draining).',
    'Exit codes: 0 stopped cleanly or config valid; 1 could not start, failed, or config invalid; 2 usage error.',
  )
  return `${lines.join('\n')}\n`
}
