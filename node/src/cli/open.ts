/**
 * Opening the backend for a command (the daemon, or the store in this process) and closing it when
 * the command is done, with progress on the terminal.
 */

import type { AccountInfo, Contact } from '@ferry/client'
import { type Backend, type OpenResult, openBackend } from '../backend.js'
import type { CommandContext } from './context.js'
import { type Names, namesOf } from './format.js'

export async function withBackend<T>(
  ctx: CommandContext,
  options: { create?: boolean },
  run: (opened: OpenResult) => Promise<T>,
): Promise<T> {
  const opened = await openBackend({
    data: ctx.data,
    listen: ctx.listen,
    progress: (text) => ctx.out.progress(text),
    signal: ctx.signal,
    create: options.create === true,
  })
  try {
    return await run(opened)
  } finally {
    if (opened.kind === 'local' && opened.backend.messenger.started) {
      ctx.out.progress('stopping the node…')
    }
    await opened.backend.close()
    ctx.out.clearProgress()
  }
}

/** Contact names for text output (nothing is fetched with --json, which prints account IDs only). */
export async function namesFor(ctx: CommandContext, backend: Backend): Promise<Names> {
  if (ctx.out.json) {
    return namesOf([])
  }
  const [account, contacts] = await Promise.all([
    backend.call('id', {}) as Promise<AccountInfo>,
    backend.call('contacts.list', {}) as Promise<Contact[]>,
  ])
  return namesOf(contacts, account.accountId)
}
