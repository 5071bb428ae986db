/**
 * How the messenger's parts fit together: each is built with what it needs of the others. A part
 * that needs one built after it gets it through a closure (the group delivery for the courier, the
 * group receiver for the receive path, the session reset for undecryptable messages).
 *
 * Owns: the wiring, and which log scope each part writes to. Must not know: what the parts do.
 */
import type { CryptoContext } from '@ferry/crypto'
import type { ClientStore } from '@ferry/storage'
import type { MessengerInit } from './api-types.js'
import { RECEIPT_COALESCE_MS } from './constants.js'
import { Contacts } from './contacts.js'
import { Courier } from './courier.js'
import type { DeviceState } from './device-state.js'
import { Devices } from './devices.js'
import { Directory } from './directory.js'
import type { EventHub } from './events.js'
import { Groups } from './groups/groups.js'
import { Members } from './groups/members.js'
import { GroupReceiver } from './groups/receive.js'
import { Inbound } from './inbound.js'
import { loggerFor } from './log.js'
import { Messages } from './messages.js'
import { Outbound } from './outbound.js'
import { PreKeyKeeper } from './prekeys.js'
import { recordClock } from './record-clock.js'
import type { StateQueue } from './state-queue.js'
import { Upkeep } from './upkeep.js'

export interface Parts {
  readonly directory: Directory
  readonly courier: Courier
  readonly members: Members
  readonly inbound: Inbound
  readonly groups: Groups
  readonly devices: Devices
  readonly upkeep: Upkeep
  readonly contacts: Contacts
  readonly messages: Messages
}

export interface PartsInit {
  readonly init: MessengerInit
  readonly context: CryptoContext
  readonly store: ClientStore
  readonly queue: StateQueue
  readonly state: DeviceState
  readonly hub: EventHub
}

/** Builds the parts of one messenger. */
export function assemble({ init, context, store, queue, state, hub }: PartsInit): Parts {
  const log = (component: string) => loggerFor(init.logger, component)
  const network = () => state.network
  const local = () => state.local()
  const account = () => state.requireAccount()
  // one clock for every message record of this device, so history keeps the order they were stored in
  const recordTime = recordClock(context.now)
  const directory = new Directory({ context, store, network, log: log('directory') })
  const outbound = new Outbound({ context, store, queue, network, local, log: log('outbound') })
  const courier: Courier = new Courier({
    context,
    store,
    queue,
    directory,
    network,
    log: log('outbound'),
    groupCarrier: (entry) => groups.delivery.attempt(entry),
  })
  const members = new Members({ context, store, queue, directory, account, log: log('groups') })
  const inbound: Inbound = new Inbound({
    context,
    receiptDelayMs: init.receiptDelayMs ?? RECEIPT_COALESCE_MS,
    recordTime,
    store,
    queue,
    directory,
    outbound,
    courier,
    local,
    account,
    log: log('inbound'),
    emitEphemeral: (event) => hub.emit(event),
    onUndecryptable: (address) => {
      void upkeep.resetSession(address)
    },
    groups: () => groupReceiver,
  })
  const groupReceiver = new GroupReceiver({
    context,
    recordTime,
    store,
    queue,
    members,
    local,
    account,
    log: log('groups'),
    isListed: (sender) => inbound.isListed(sender),
    sendReceipt: (unit, to, ids) => inbound.sendReceipt(unit, to, 'DELIVERED', ids),
    kick: () => courier.kick(),
  })
  const contacts: Contacts = new Contacts({
    context,
    store,
    queue,
    state,
    directory,
    inbound,
    group: (ref) => groups.record(ref),
  })
  const devices = new Devices({
    context,
    store,
    queue,
    state,
    directory,
    outbound,
    courier,
    groups: () => groupReceiver,
    host: init,
    log: log('messenger'),
  })
  const messages = new Messages({
    context,
    recordTime,
    store,
    queue,
    state,
    directory,
    outbound,
    courier,
    inbound,
    contacts,
    devices,
  })
  const groups = new Groups({
    context,
    recordTime,
    store,
    queue,
    outbound,
    courier,
    members,
    receiver: () => groupReceiver,
    network,
    local,
    account,
    contact: (who) => contacts.record(who),
    recordingIdentityChanges: (work) => messages.recordingIdentityChanges(work),
    receive: (envelopeId, payload) => inbound.receive(envelopeId, payload),
    log: log('groups'),
  })
  const preKeys = new PreKeyKeeper({ context, store, queue, network, local, log: log('prekeys') })
  const upkeep: Upkeep = new Upkeep({
    context,
    store,
    queue,
    state,
    directory,
    inbound,
    outbound,
    courier,
    preKeys,
    devices,
    log: log('messenger'),
  })
  return { directory, courier, members, inbound, groups, devices, upkeep, contacts, messages }
}
