/**
 * Command-line parsing: commands and subcommands, flags anywhere, and the usage errors it raises.
 */
import { describe, expect, it } from 'vitest'
import { integerFlag, parse } from '../src/cli/args.js'

describe('parse', () => {
  it('finds a command and its arguments with global flags before or after it', () => {
    const parsed = parse(['--data', '/d', 'send', 'bob', 'hi there', '--json'])
    expect(parsed.command?.name).toBe('send')
    expect(parsed.args).toEqual(['bob', 'hi there'])
    expect(parsed.values.data).toBe('/d')
    expect(parsed.json).toBe(true)
  })

  it('finds subcommands and their flags, short ones included', () => {
    const add = parse(['contacts', 'add', 'ferry1x', '--name', 'alice'])
    expect(add.command?.name).toBe('contacts add')
    expect(add.args).toEqual(['ferry1x'])
    expect(add.values.name).toBe('alice')
    const receive = parse(['receive', '-f', '-t', '3', '--since', '7'])
    expect(receive.values).toMatchObject({ follow: true, timeout: '3', since: '7' })
  })

  it('takes a text that looks like a flag after --', () => {
    expect(parse(['send', 'bob', '--', '-5 degrees']).args).toEqual(['bob', '-5 degrees'])
  })

  it('answers help for the main page, a group, a command, and `help COMMAND`', () => {
    expect(parse(['--help'])).toMatchObject({ help: true, command: undefined })
    expect(parse(['devices', '-h'])).toMatchObject({ help: true, command: undefined, args: ['devices'] })
    expect(parse(['send', '--help']).command?.name).toBe('send')
    expect(parse(['help', 'link', 'join']).command?.name).toBe('link join')
    // help wins over what would be a usage error
    expect(parse(['send', '--help', '--bogus']).help).toBe(true)
  })

  it.each([
    [[], /no command given/],
    [['frob'], /unknown command 'frob'/],
    [['contacts'], /contacts needs a subcommand: add, list/],
    [['contacts', 'remove'], /unknown command 'contacts remove'/],
    [['send', 'bob'], /send: missing TEXT/],
    [['id', 'extra'], /id: unexpected argument 'extra'/],
    [['id', '--follow'], /id: Unknown option '--follow'/],
    [['history', 'bob', '--limit'], /history: Option '--limit <value>' argument missing/],
  ])('refuses %j as a usage error', (argv, message) => {
    expect(() => parse(argv)).toThrow(
      expect.objectContaining({ name: 'UsageError', message: expect.stringMatching(message) }),
    )
  })
})

describe('integerFlag', () => {
  it('takes whole numbers in range and refuses anything else', () => {
    expect(integerFlag(undefined, 'limit', { min: 1, max: 10 })).toBeUndefined()
    expect(integerFlag('10', 'limit', { min: 1, max: 10 })).toBe(10)
    for (const bad of ['0', '11', '-1', '1.5', '1e3', ' 3', 'x']) {
      expect(() => integerFlag(bad, 'limit', { min: 1, max: 10 }), bad).toThrow(
        expect.objectContaining({ name: 'UsageError' }),
      )
    }
  })
})
