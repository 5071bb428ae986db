/**
 * `ferry receive`: prints the events after the subscriber's cursor (or `--since`), then keeps
 * listening while new ones arrive: until `--timeout` seconds pass without one, or, with `--follow`,
 * until interrupted. The cursor of the last event written to stdout is saved in DIR/cursors/NAME; it
 * never moves back.
 */
import type { MessengerEvent } from '@ferry/client'
import {
  DEFAULT_SUBSCRIBER,
  EVENTS_PAGE,
  RECEIVE_MAX_TIMEOUT_S,
  RECEIVE_STANDALONE_TIMEOUT_S,
} from '../constants.js'
import { CursorFile } from '../cursor-file.js'
import { EXIT, UsageError } from '../errors.js'
import { integerFlag, stringFlag } from './args.js'
import type { CommandContext } from './context.js'
import { eventRecord, eventText } from './format.js'
import { namesFor, withBackend } from './open.js'

export async function receive(ctx: CommandContext): Promise<number> {
  const { values } = ctx.parsed
  const follow = values.follow === true
  const timeoutFlag = secondsFlag(values.timeout)
  const since = integerFlag(values.since, 'since', { min: 0, max: Number.MAX_SAFE_INTEGER })
  const cursorFile = new CursorFile(ctx.data.cursors, stringFlag(values.subscriber) ?? DEFAULT_SUBSCRIBER)
  return withBackend(ctx, {}, async ({ kind, backend }) => {
    const saved = await cursorFile.read()
    const names = await namesFor(ctx, backend)
    const timeoutS =
      timeoutFlag ?? (follow ? undefined : kind === 'daemon' ? 0 : RECEIVE_STANDALONE_TIMEOUT_S)

    const stop = new AbortController()
    const onInterrupt = (): void => stop.abort()
    ctx.signal.addEventListener('abort', onInterrupt, { once: true })
    const offClosed = ctx.out.onClosed(() => stop.abort())
    let timer: NodeJS.Timeout | undefined
    const arm = (): void => {
      if (timeoutS === undefined) {
        return
      }
      clearTimeout(timer)
      timer = setTimeout(() => stop.abort(), timeoutS * 1000)
    }

    let printed = Math.max(saved, since ?? 0)
    let unsaved = 0
    let live = false
    const save = async (): Promise<void> => {
      if (unsaved > 0) {
        unsaved = 0
        await cursorFile.write(printed)
      }
    }
    ctx.out.progress(kind === 'daemon' ? 'receiving through the daemon…' : 'receiving…')
    try {
      await backend.follow(
        since ?? saved,
        {
          event: async (event: MessengerEvent) => {
            if (ctx.out.closed) {
              return
            }
            await ctx.out.result(eventRecord(event), () => eventText(event, names))
            if (ctx.out.closed) {
              return
            }
            if ('cursor' in event && event.cursor > printed) {
              printed = event.cursor
              unsaved++
            }
            if (live) {
              arm()
              await save()
            } else if (unsaved >= EVENTS_PAGE) {
              await save()
            }
          },
          caughtUp: async () => {
            live = true
            await save()
            if (timeoutS === 0) {
              stop.abort()
            } else {
              arm()
            }
          },
        },
        stop.signal,
      )
    } finally {
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onInterrupt)
      offClosed()
      await save()
    }
    return EXIT.OK
  })
}

/** `--timeout S`: seconds, fractions allowed. */
function secondsFlag(value: string | boolean | string[] | undefined): number | undefined {
  if (value === undefined) {
    return undefined
  }
  if (typeof value !== 'string' || !/^\d+(\.\d+)?$/.test(value)) {
    throw new UsageError('--timeout takes a number of seconds')
  }
  const seconds = Number(value)
  if (seconds > RECEIVE_MAX_TIMEOUT_S) {
    throw new UsageError(`--timeout is at most ${RECEIVE_MAX_TIMEOUT_S} seconds`)
  }
  return seconds
}
