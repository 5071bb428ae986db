/**
 * The mailbox protocol (PROTOCOL_MAILBOX): the relay's service factory, the device's client, the
 * storage interface the service takes, and mailbox key helpers.
 */
import type { ServerComponents } from '../stream/types.js'
import { MailboxServer, type MailboxServerInit } from './server.js'

export { MAILBOX_AUTH_CONTEXT, mailboxAuthPayload, mailboxIdFor, mailboxPublicKey } from './auth.js'
export type {
  DepositOutcome,
  DepositRequest,
  EnvelopeId,
  EnvelopeStatus,
  ListOptions,
  MailboxBackend,
  MailboxId,
  RefusalReason,
  StoredEnvelope,
} from './backend.js'
export {
  type Deposit,
  type DepositResult,
  type FetchOptions,
  MailboxClient,
  type MailboxClientInit,
  type RelayEnvelopeStatus,
} from './client.js'
export { type FetchedEnvelope, MailboxSession } from './client-session.js'
export type {
  MailboxRefusal,
  MailboxServer,
  MailboxServerEvent,
  MailboxServerInit,
  MailboxServerStats,
} from './server.js'

/** The relay's mailbox service, for the `services` map of a libp2p node. */
export function mailboxServer(init: MailboxServerInit): (components: ServerComponents) => MailboxServer {
  return (components) => new MailboxServer(components, init)
}
