/**
 * Commands about this device and its account: init, id, daemon, link new, link join, devices.
 */
import { createInterface } from 'node:readline/promises'
import type { AccountInfo } from '@ferry/client'
import type { LocalBackend, OpenResult } from '../backend.js'
import { runDaemon } from '../daemon.js'
import { AccountExistsError, EXIT, UsageError } from '../errors.js'
import { ensureDataDir } from '../paths.js'
import { integerFlag, listFlag } from './args.js'
import type { CommandContext } from './context.js'
import { accountText, time } from './format.js'
import { withBackend } from './open.js'
import { renderQr } from './qr.js'

export async function init(ctx: CommandContext): Promise<number> {
  const relays = listFlag(ctx.parsed.values.relay)
  if (relays.length === 0) {
    throw new UsageError('init: give at least one --relay MULTIADDR (ending in /p2p/<relay peer id>)')
  }
  await ensureDataDir(ctx.data)
  return withBackend(ctx, { create: true }, async (opened) => {
    const backend = freshLocal(ctx, opened)
    ctx.out.progress('creating the account…')
    const info = await backend.messenger.createAccount({ relays })
    await publish(ctx, backend)
    await ctx.out.result(info, () => accountText(info, { qr: true }))
    return EXIT.OK
  })
}

export async function id(ctx: CommandContext): Promise<number> {
  return withBackend(ctx, {}, async ({ backend }) => {
    const info = (await backend.call('id', {})) as AccountInfo
    await ctx.out.result(info, () => accountText(info, { qr: true }))
    return EXIT.OK
  })
}

export async function daemon(ctx: CommandContext): Promise<number> {
  await runDaemon({
    data: ctx.data,
    listen: ctx.listen,
    progress: (text) => ctx.out.progress(text),
    stop: ctx.signal,
    ready: async (info) => {
      await ctx.out.result(
        { ready: true, ...info },
        () =>
          `ferry daemon running: account ${info.accountId}, device ${info.deviceId}, socket ${info.socket} (pid ${info.pid})`,
      )
    },
  })
  return EXIT.OK
}

export async function linkNew(ctx: CommandContext): Promise<number> {
  const yes = ctx.parsed.values.yes === true
  if (!yes && !ctx.io.stdinIsTty) {
    throw new UsageError('link new: standard input is not a terminal, so approve with --yes')
  }
  return withBackend(ctx, {}, async ({ backend }) => {
    const result = (await backend.call(
      'link.new',
      { yes },
      {
        signal: ctx.signal,
        notify: (method, params) => {
          if (method !== 'link.code') {
            return
          }
          const { code } = params as { code: string }
          void ctx.out.result({ code }, () =>
            [
              `Pairing code: ${code}`,
              '',
              renderQr(code),
              '',
              `On the new device, with a fresh data directory: ferry link join '${code}'`,
              'Waiting for the new device…',
            ].join('\n'),
          )
        },
        confirm: async (_method, params) => ask(ctx, (params as { deviceId: number }).deviceId),
      },
    )) as { deviceId: number }
    await ctx.out.result(result, () => `Linked device ${result.deviceId}.`)
    return EXIT.OK
  })
}

export async function linkJoin(ctx: CommandContext): Promise<number> {
  const code = ctx.parsed.args[0]!
  await ensureDataDir(ctx.data)
  return withBackend(ctx, { create: true }, async (opened) => {
    const backend = freshLocal(ctx, opened)
    ctx.out.progress('joining the account…')
    const info = await backend.messenger.linkDevice(code, { signal: ctx.signal })
    await publish(ctx, backend)
    await ctx.out.result(info, () => accountText(info, { qr: false }))
    return EXIT.OK
  })
}

export async function devicesList(ctx: CommandContext): Promise<number> {
  return withBackend(ctx, {}, async ({ backend }) => {
    const devices = (await backend.call('devices.list', {})) as Array<{
      deviceId: number
      current: boolean
      createdAt: number
    }>
    for (const device of devices) {
      await ctx.out.result(
        device,
        () =>
          `${device.deviceId}\tlinked ${time(device.createdAt)}${device.current ? '\t(this device)' : ''}`,
      )
    }
    return EXIT.OK
  })
}

export async function devicesRemove(ctx: CommandContext): Promise<number> {
  const deviceId = integerFlag(ctx.parsed.args[0], 'N', { min: 1, max: 0xffff_ffff })!
  return withBackend(ctx, {}, async ({ backend }) => {
    ctx.out.progress(`removing device ${deviceId}…`)
    const result = (await backend.call('devices.remove', { deviceId }, { signal: ctx.signal })) as {
      removed: number
    }
    await ctx.out.result(result, () => `Removed device ${result.removed}.`)
    return EXIT.OK
  })
}

/** The store of a data directory without an account, opened in this process (init, link join). */
function freshLocal(ctx: CommandContext, opened: OpenResult): LocalBackend {
  if (opened.kind === 'daemon') {
    throw new AccountExistsError(
      `${ctx.data.dir} already has an account (its daemon is running): ferry id shows it`,
    )
  }
  if (opened.backend.messenger.hasAccount) {
    throw new AccountExistsError(`${ctx.data.dir} already has an account: ferry id shows it`)
  }
  return opened.backend
}

/**
 * Starts the node, which returns once the device list and the first pre-keys are on the relays, so
 * that contacts can reach this device before it runs again; the node stops when the command ends.
 */
async function publish(ctx: CommandContext, backend: LocalBackend): Promise<void> {
  ctx.out.progress('publishing the device list and pre-keys on the relays…')
  await backend.start()
  ctx.signal.throwIfAborted()
}

/** The y/N question of `link new`, on the terminal. */
async function ask(ctx: CommandContext, deviceId: number): Promise<boolean> {
  ctx.out.clearProgress()
  const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr })
  try {
    const answer = await rl.question(`Link device ${deviceId} to this account? [y/N] `, {
      signal: ctx.signal,
    })
    return /^y(es)?$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}
