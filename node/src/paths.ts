/**
 * The data directory and what lives in it: the store (LevelDB, locked by the process that opens it),
 * the daemon's socket, and the cursor files of `receive`.
 */
import { mkdir } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { CURSOR_DIR_NAME, ENV_HOME, MAX_SOCKET_PATH_BYTES, SOCKET_NAME, STORE_DIR_NAME } from './constants.js'
import { SocketPathError } from './errors.js'

export interface DataDir {
  /** Absolute path of the data directory. */
  readonly dir: string
  readonly store: string
  readonly socket: string
  readonly cursors: string
}

/**
 * The data directory: `--data DIR`, else $FERRY_HOME, else $XDG_DATA_HOME/ferry, else
 * ~/.local/share/ferry (the XDG default).
 */
export function resolveDataDir(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): DataDir {
  const chosen =
    nonEmpty(flag) ??
    nonEmpty(env[ENV_HOME]) ??
    (nonEmpty(env.XDG_DATA_HOME) === undefined
      ? join(nonEmpty(env.HOME) ?? homedir(), '.local', 'share', 'ferry')
      : join(env.XDG_DATA_HOME!, 'ferry'))
  const dir = resolve(chosen)
  return {
    dir,
    store: join(dir, STORE_DIR_NAME),
    socket: join(dir, SOCKET_NAME),
    cursors: join(dir, CURSOR_DIR_NAME),
  }
}

/** Creates the data directory, readable by its owner only. */
export async function ensureDataDir(data: DataDir): Promise<void> {
  await mkdir(data.dir, { recursive: true, mode: 0o700 })
}

/** Throws SocketPathError when the socket's path is too long for a Unix socket. */
export function checkSocketPath(data: DataDir): void {
  if (Buffer.byteLength(data.socket) > MAX_SOCKET_PATH_BYTES) {
    throw new SocketPathError(
      `the data directory's path is too long for the daemon's Unix socket (at most ${MAX_SOCKET_PATH_BYTES - SOCKET_NAME.length - 1} bytes): choose a shorter --data`,
    )
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
