/**
 * Opening the backend for a command (the daemon, or the store in this process) and closing it when
 * the command is done, with progress on the terminal. A node the command ran itself first hands on
 * what the command queued (drain), then stops.
 */

import type { AccountInfo, Contact, Messenger } from '@ferry/client'
import { type Backend, type OpenResult, openBackend } from '../backend.js'
import { loadClient } from '../client.js'
import { STANDALONE_DRAIN_TIMEOUT_MS } from '../constants.js'
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
      await drain(ctx, opened.backend.messenger)
      ctx.out.progress('stopping the node…')
    }
    await opened.backend.close()
    ctx.out.clearProgress()
  }
}

/**
 * Waits, up to STANDALONE_DRAIN_TIMEOUT_MS or an interrupt, until everything due in the outbox had its
 * first attempt: the copies for this account's other devices and the receipts are not left behind.
 */
async function drain(ctx: CommandContext, messenger: Messenger): Promise<void> {
  ctx.out.progress('handing on what is queued…')
  // through the loaded core (already loaded here): a static import would load it, and libp2p with it,
  // for every command, the ones a daemon serves too
  const { deadlineSignal } = await loadClient()
  const signal = deadlineSignal(STANDALONE_DRAIN_TIMEOUT_MS, ctx.signal)
  // a failure here must not hide the command's own result: it only means the outbox keeps its entries
  const drained = await messenger.drain({ signal }).catch(() => false)
  if (!drained && !ctx.signal.aborted) {
    ctx.out.note('some envelopes are still in the outbox: they go out the next time the node runs here')
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
