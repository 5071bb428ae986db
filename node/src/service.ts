/**
 * The methods a command runs against the messenger: the same code whether the daemon serves it over
 * its socket or a command runs the node itself. Each method takes plain JSON parameters (checked
 * here: they may come from any local program speaking JSON-RPC) and returns plain JSON.
 */
import type { Messenger } from '@ferry/client'
import { EVENTS_PAGE, HISTORY_MAX_LIMIT, MAX_MEMBERS_PER_REQUEST } from './constants.js'
import { NotFoundError, SafetyNumberMismatchError } from './errors.js'
import { RPC_ERROR, RpcMethodError } from './rpc.js'

export interface ServiceContext {
  readonly signal: AbortSignal
  /** An intermediate result of a long call (the pairing code of `link.new`). */
  notify(method: string, params: unknown): void
  /** Asks the person at the command (the approval of `link.new`); resolves to the answer. */
  confirm(method: string, params: unknown): Promise<boolean>
}

export interface MethodSpec {
  /** True when the method needs the node running (network I/O), not only the store. */
  readonly network: boolean
  run(messenger: Messenger, params: Params, context: ServiceContext): Promise<unknown>
}

/** JSON-RPC parameters: an object (absent parameters count as an empty one). */
export class Params {
  readonly #values: Record<string, unknown>

  constructor(raw: unknown) {
    if (raw === undefined || raw === null) {
      this.#values = {}
    } else if (typeof raw === 'object' && !Array.isArray(raw)) {
      this.#values = raw as Record<string, unknown>
    } else {
      throw new RpcMethodError(RPC_ERROR.INVALID_PARAMS, 'params must be an object')
    }
  }

  string(key: string): string {
    const value = this.optionalString(key)
    if (value === undefined) {
      throw new RpcMethodError(RPC_ERROR.INVALID_PARAMS, `params.${key} is required (a string)`)
    }
    return value
  }

  optionalString(key: string): string | undefined {
    const value = this.#values[key]
    if (value === undefined || value === null) {
      return undefined
    }
    if (typeof value !== 'string') {
      throw new RpcMethodError(RPC_ERROR.INVALID_PARAMS, `params.${key} must be a string`)
    }
    return value
  }

  integer(key: string, range: { min: number; max: number }): number {
    const value = this.optionalInteger(key, range)
    if (value === undefined) {
      throw new RpcMethodError(RPC_ERROR.INVALID_PARAMS, `params.${key} is required (an integer)`)
    }
    return value
  }

  optionalInteger(key: string, range: { min: number; max: number }): number | undefined {
    const value = this.#values[key]
    if (value === undefined || value === null) {
      return undefined
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
      throw new RpcMethodError(
        RPC_ERROR.INVALID_PARAMS,
        `params.${key} must be an integer from ${range.min} to ${range.max}`,
      )
    }
    return value
  }

  /** A non-empty array of strings, at most `max` of them. */
  strings(key: string, max: number): string[] {
    const value = this.#values[key]
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      value.length > max ||
      !value.every((v): v is string => typeof v === 'string')
    ) {
      throw new RpcMethodError(
        RPC_ERROR.INVALID_PARAMS,
        `params.${key} must be an array of 1 to ${max} strings`,
      )
    }
    return value
  }

  boolean(key: string): boolean {
    const value = this.#values[key]
    if (value === undefined || value === null) {
      return false
    }
    if (typeof value !== 'boolean') {
      throw new RpcMethodError(RPC_ERROR.INVALID_PARAMS, `params.${key} must be a boolean`)
    }
    return value
  }
}

const MAX_CURSOR = Number.MAX_SAFE_INTEGER
/** Device numbers are u32 on the wire. */
const MAX_DEVICE_ID = 0xffff_ffff

export const METHODS: Readonly<Record<string, MethodSpec>> = {
  id: {
    network: false,
    run: async (m) => m.account(),
  },
  'contacts.add': {
    network: true,
    run: async (m, p, c) => {
      const name = p.optionalString('name')
      return m.addContact(p.string('idOrInvite'), {
        ...(name === undefined ? {} : { name }),
        signal: c.signal,
      })
    },
  },
  'contacts.list': {
    network: false,
    run: async (m) => m.contacts(),
  },
  send: {
    network: true,
    run: async (m, p, c) => m.send(p.string('to'), p.string('text'), { signal: c.signal }),
  },
  history: {
    network: false,
    run: async (m, p) => {
      const limit = p.optionalInteger('limit', { min: 1, max: HISTORY_MAX_LIMIT })
      const before = p.optionalString('before')
      return m.history(p.string('to'), {
        ...(limit === undefined ? {} : { limit }),
        ...(before === undefined ? {} : { before }),
      })
    },
  },
  status: {
    network: false,
    run: async (m, p) => {
      const message = await m.status(p.string('id'))
      if (message === undefined) {
        throw new NotFoundError('no message with that ID on this device')
      }
      return message
    },
  },
  verify: {
    network: false,
    run: async (m, p) => {
      const to = p.string('to')
      const contact = await m.contact(to)
      const { digits, qr } = await m.safetyNumber(to)
      return { account: contact.accountId, safetyNumber: digits, qr: Buffer.from(qr).toString('base64') }
    },
  },
  'verify.approve': {
    network: true,
    run: async (m, p) => {
      const to = p.string('to')
      const contact = await m.contact(to)
      const expected = p.optionalString('safetyNumber')
      if (expected !== undefined) {
        const { digits } = await m.safetyNumber(to)
        if (expected.replace(/\s+/g, '') !== digits.replace(/\s+/g, '')) {
          throw new SafetyNumberMismatchError(
            'that is not the current safety number of this contact: nothing was approved',
          )
        }
      }
      await m.approveIdentity(to)
      return { account: contact.accountId, approved: true }
    },
  },
  events: {
    network: false,
    run: async (m, p) => {
      const since = p.optionalInteger('since', { min: 0, max: MAX_CURSOR }) ?? 0
      const limit = p.optionalInteger('limit', { min: 1, max: EVENTS_PAGE }) ?? EVENTS_PAGE
      return { events: await m.eventsSince(since, limit), latest: await m.latestCursor() }
    },
  },
  'devices.list': {
    network: false,
    run: async (m) => m.devices(),
  },
  'devices.remove': {
    network: true,
    run: async (m, p, c) => {
      const deviceId = p.integer('deviceId', { min: 1, max: MAX_DEVICE_ID })
      if (!(await m.devices()).some((d) => d.deviceId === deviceId)) {
        throw new NotFoundError(`this account has no device ${deviceId}`)
      }
      await m.removeDevice(deviceId, { signal: c.signal })
      return { removed: deviceId }
    },
  },
  'group.create': {
    network: true,
    run: async (m, p, c) =>
      m.createGroup(p.string('name'), p.strings('members', MAX_MEMBERS_PER_REQUEST), { signal: c.signal }),
  },
  'group.add': {
    network: true,
    run: async (m, p, c) =>
      m.addMembers(p.string('group'), p.strings('members', MAX_MEMBERS_PER_REQUEST), { signal: c.signal }),
  },
  'group.remove': {
    network: true,
    run: async (m, p, c) => m.removeMember(p.string('group'), p.string('member'), { signal: c.signal }),
  },
  'group.leave': {
    network: true,
    run: async (m, p, c) => {
      const group = await m.group(p.string('group'))
      await m.leaveGroup(group.id, { signal: c.signal })
      return { group: group.id, left: true }
    },
  },
  'group.send': {
    network: true,
    run: async (m, p, c) => m.sendGroup(p.string('group'), p.string('text'), { signal: c.signal }),
  },
  'group.list': {
    network: false,
    run: async (m) => m.groups(),
  },
  'group.info': {
    network: false,
    run: async (m, p) => m.group(p.string('group')),
  },
  'link.new': {
    network: true,
    run: async (m, p, c) => {
      const yes = p.boolean('yes')
      const pairing = m.createPairing({
        signal: c.signal,
        approve: async (request) => (yes ? true : c.confirm('link.approve', { deviceId: request.deviceId })),
      })
      c.notify('link.code', { code: pairing.code })
      const { deviceId } = await pairing.completed
      return { deviceId }
    },
  },
}
