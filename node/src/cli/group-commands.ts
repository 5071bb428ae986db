/**
 * Commands about groups: group create, add, remove, leave, send, list, info.
 */
import type { GroupInfo, GroupSendResult } from '@ferry/client'
import { EXIT, UsageError } from '../errors.js'
import type { CommandContext } from './context.js'
import { groupSendText, groupText } from './format.js'
import { readStdin } from './message-commands.js'
import { namesFor, withBackend } from './open.js'

export async function groupCreate(ctx: CommandContext): Promise<number> {
  const [name, ...members] = ctx.parsed.args as [string, ...string[]]
  return withBackend(ctx, {}, async ({ backend }) => {
    ctx.out.progress('creating the group (telling every member device)…')
    const group = (await backend.call('group.create', { name, members }, { signal: ctx.signal })) as GroupInfo
    const names = await namesFor(ctx, backend)
    await ctx.out.result(group, () => groupText(group, names, { members: true }))
    return EXIT.OK
  })
}

export async function groupAdd(ctx: CommandContext): Promise<number> {
  const [group, ...members] = ctx.parsed.args as [string, ...string[]]
  return withBackend(ctx, {}, async ({ backend }) => {
    ctx.out.progress('adding (telling every member device)…')
    const info = (await backend.call('group.add', { group, members }, { signal: ctx.signal })) as GroupInfo
    const names = await namesFor(ctx, backend)
    await ctx.out.result(info, () => groupText(info, names, { members: true }))
    return EXIT.OK
  })
}

export async function groupRemove(ctx: CommandContext): Promise<number> {
  const [group, member] = ctx.parsed.args as [string, string]
  return withBackend(ctx, {}, async ({ backend }) => {
    ctx.out.progress('removing (a new group key for every remaining member device)…')
    const info = (await backend.call('group.remove', { group, member }, { signal: ctx.signal })) as GroupInfo
    const names = await namesFor(ctx, backend)
    await ctx.out.result(info, () => groupText(info, names, { members: true }))
    return EXIT.OK
  })
}

export async function groupLeave(ctx: CommandContext): Promise<number> {
  const [group] = ctx.parsed.args as [string]
  return withBackend(ctx, {}, async ({ backend }) => {
    ctx.out.progress('leaving the group…')
    const result = (await backend.call('group.leave', { group }, { signal: ctx.signal })) as {
      group: string
      left: boolean
    }
    await ctx.out.result(result, () => `Left the group ${result.group}.`)
    return EXIT.OK
  })
}

export async function groupSend(ctx: CommandContext): Promise<number> {
  const [group, textArg] = ctx.parsed.args as [string, string]
  const text = textArg === '-' ? await readStdin(ctx, 'group send') : textArg
  if (text === '') {
    throw new UsageError('group send: the text is empty')
  }
  return withBackend(ctx, {}, async ({ backend }) => {
    ctx.out.progress('sending (to the online members at once, then to the relays for the others)…')
    const result = (await backend.call(
      'group.send',
      { group, text },
      { signal: ctx.signal },
    )) as GroupSendResult
    const names = await namesFor(ctx, backend)
    await ctx.out.result(result, () => groupSendText(result, names))
    if (result.receipts.pending > 0) {
      ctx.out.note(
        `${result.receipts.pending} of ${result.receipts.total} devices are not covered yet: the outbox keeps trying (ferry status ${result.id})`,
      )
      return EXIT.INCOMPLETE
    }
    return EXIT.OK
  })
}

export async function groupList(ctx: CommandContext): Promise<number> {
  return withBackend(ctx, {}, async ({ backend }) => {
    const groups = (await backend.call('group.list', {})) as GroupInfo[]
    const names = await namesFor(ctx, backend)
    for (const group of groups) {
      await ctx.out.result(group, () => groupText(group, names, { members: false }))
    }
    return EXIT.OK
  })
}

export async function groupInfo(ctx: CommandContext): Promise<number> {
  return withBackend(ctx, {}, async ({ backend }) => {
    const group = (await backend.call('group.info', { group: ctx.parsed.args[0]! })) as GroupInfo
    const names = await namesFor(ctx, backend)
    await ctx.out.result(group, () => groupText(group, names, { members: true }))
    return EXIT.OK
  })
}
