/**
 * Commands about contacts and messages: contacts add/list, send, history, status, verify.
 */
import type { Contact, Message, SendResult } from '@ferry/client'
import { HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT, STDIN_MAX_BYTES } from '../constants.js'
import { EXIT, SafetyNumberMismatchError, UsageError } from '../errors.js'
import { integerFlag, stringFlag } from './args.js'
import type { CommandContext } from './context.js'
import { contactText, messageText, safetyNumberText, sendText, shortId, statusText } from './format.js'
import { namesFor, withBackend } from './open.js'
import { renderQr } from './qr.js'

export async function contactsAdd(ctx: CommandContext): Promise<number> {
  const name = stringFlag(ctx.parsed.values.name)
  return withBackend(ctx, {}, async ({ backend }) => {
    ctx.out.progress('adding the contact (fetching its device list)…')
    const contact = (await backend.call(
      'contacts.add',
      { idOrInvite: ctx.parsed.args[0]!, ...(name === undefined ? {} : { name }) },
      { signal: ctx.signal },
    )) as Contact
    await ctx.out.result(contact, () =>
      contact.devices.length === 0
        ? `Added ${contact.name ?? shortId(contact.accountId)} (${contact.accountId}); its device list was not found yet: sending will look again`
        : `Added ${contact.name ?? shortId(contact.accountId)} (${contact.accountId}), devices ${contact.devices.join(', ')}`,
    )
    return EXIT.OK
  })
}

export async function contactsList(ctx: CommandContext): Promise<number> {
  return withBackend(ctx, {}, async ({ backend }) => {
    const contacts = (await backend.call('contacts.list', {})) as Contact[]
    for (const contact of contacts) {
      await ctx.out.result(contact, () => contactText(contact))
    }
    return EXIT.OK
  })
}

export async function send(ctx: CommandContext): Promise<number> {
  const [to, textArg] = ctx.parsed.args as [string, string]
  const text = textArg === '-' ? await readStdin(ctx) : textArg
  if (text === '') {
    throw new UsageError('send: the text is empty')
  }
  return withBackend(ctx, {}, async ({ backend }) => {
    const names = await namesFor(ctx, backend)
    ctx.out.progress('sending (waiting until every device has it or a relay stored it)…')
    const result = (await backend.call('send', { to, text }, { signal: ctx.signal })) as SendResult
    await ctx.out.result(result, () => sendText(result, names))
    const pending = result.devices.filter((d) => d.status === 'pending').length
    if (pending > 0) {
      ctx.out.note(
        `${pending} of ${result.devices.length} devices are not covered yet: the outbox keeps trying (ferry status ${result.id})`,
      )
      return EXIT.INCOMPLETE
    }
    return EXIT.OK
  })
}

export async function history(ctx: CommandContext): Promise<number> {
  const limit =
    integerFlag(ctx.parsed.values.limit, 'limit', { min: 1, max: HISTORY_MAX_LIMIT }) ?? HISTORY_DEFAULT_LIMIT
  const before = stringFlag(ctx.parsed.values.before)
  return withBackend(ctx, {}, async ({ backend }) => {
    const names = await namesFor(ctx, backend)
    const messages = (await backend.call('history', {
      to: ctx.parsed.args[0]!,
      limit,
      ...(before === undefined ? {} : { before }),
    })) as Message[]
    for (const message of messages) {
      await ctx.out.result(message, () => `${message.id.slice(0, 8)} ${messageText(message, names)}`)
    }
    return EXIT.OK
  })
}

export async function status(ctx: CommandContext): Promise<number> {
  return withBackend(ctx, {}, async ({ backend }) => {
    const names = await namesFor(ctx, backend)
    const message = (await backend.call('status', { id: ctx.parsed.args[0]! })) as Message
    await ctx.out.result(message, () => statusText(message, names))
    return EXIT.OK
  })
}

export async function verify(ctx: CommandContext): Promise<number> {
  const to = ctx.parsed.args[0]!
  const approve = ctx.parsed.values.approve === true
  const expected = stringFlag(ctx.parsed.values['safety-number'])
  if (expected !== undefined && !/^[\d\s]+$/.test(expected)) {
    throw new UsageError('verify: --safety-number takes the digits (spaces allowed)')
  }
  return withBackend(ctx, {}, async ({ backend }) => {
    if (approve) {
      ctx.out.progress('accepting the identity keys…')
      const result = (await backend.call(
        'verify.approve',
        { to, ...(expected === undefined ? {} : { safetyNumber: expected }) },
        { signal: ctx.signal },
      )) as { account: string; approved: boolean }
      await ctx.out.result(result, () => `Accepted the current identity keys of ${to} (${result.account}).`)
      return EXIT.OK
    }
    const result = (await backend.call('verify', { to })) as {
      account: string
      safetyNumber: string
      qr: string
    }
    if (expected !== undefined) {
      if (expected.replace(/\s+/g, '') !== result.safetyNumber.replace(/\s+/g, '')) {
        throw new SafetyNumberMismatchError(
          `that is not the safety number of ${to}: do not trust this contact yet`,
        )
      }
      await ctx.out.result(
        { account: result.account, safetyNumber: result.safetyNumber, matches: true },
        () => `The safety number of ${to} matches.`,
      )
      return EXIT.OK
    }
    await ctx.out.result({ account: result.account, safetyNumber: result.safetyNumber }, () =>
      [
        `Safety number with ${to} (${result.account}):`,
        '',
        safetyNumberText(result.safetyNumber),
        '',
        renderQr(Buffer.from(result.qr, 'base64')),
        '',
        "Compare it with your contact's (or scan each other's code).",
      ].join('\n'),
    )
    return EXIT.OK
  })
}

/** The text of `send TO -`: standard input, bounded (the messenger checks a message's exact limit). */
export async function readStdin(ctx: CommandContext, command = 'send'): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.io.stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    chunks.push(bytes)
    size += bytes.byteLength
    if (size > STDIN_MAX_BYTES) {
      throw new UsageError(
        `${command}: standard input holds more than ${STDIN_MAX_BYTES} bytes, more than a message may`,
      )
    }
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}
