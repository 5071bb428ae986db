/**
 * Safe codecs of device linking (see proto/link.proto).
 */
import { defineCodec } from './codec.js'
import {
  KEY_BYTES,
  LINK_PROOF_BYTES,
  LINK_SECRET_BYTES,
  MAILBOX_ID_BYTES,
  MAX_ADDR_LENGTH,
  MAX_DEVICE_LIST_BYTES,
  MAX_FRAME_HEADER_BYTES,
  MAX_MAILBOXES_PER_DEVICE,
  MAX_PEER_ID_BYTES,
  MAX_RECORD_BYTES,
  MAX_RELAY_ADDRS,
} from './constants.js'
import { MalformedError } from './errors.js'
import { Kind } from './kinds.js'
import {
  LinkInvite as LinkInvitePb,
  type LinkMailbox,
  LinkRequestBody as LinkRequestBodyPb,
  LinkRequest as LinkRequestPb,
  LinkResponse as LinkResponsePb,
} from './proto/link.js'
import { exactLength, lengthBetween, maxEntries, maxUtf8, safeInteger } from './validate.js'

function mailboxes(values: LinkMailbox[], field: string): void {
  maxEntries(values, MAX_MAILBOXES_PER_DEVICE, field)
  for (const m of values) {
    lengthBetween(m.relayPeerId, 1, MAX_PEER_ID_BYTES, `${field}.relayPeerId`)
    exactLength(m.mailboxId, MAILBOX_ID_BYTES, `${field}.mailboxId`)
    addrs(m.relayAddrs, `${field}.relayAddrs`)
  }
}

function addrs(values: string[], field: string): void {
  maxEntries(values, MAX_RELAY_ADDRS, field)
  for (const addr of values) {
    maxUtf8(addr, MAX_ADDR_LENGTH, field)
  }
}

export const LinkInvite = defineCodec<LinkInvitePb>({
  kind: Kind.LinkInvite,
  codec: LinkInvitePb,
  maxBodyBytes: 2048,
  limits: { relayAddrs: MAX_RELAY_ADDRS } as never,
  validate(v) {
    exactLength(v.accountKey, KEY_BYTES, 'LinkInvite.accountKey')
    lengthBetween(v.primaryPeerId, 1, MAX_PEER_ID_BYTES, 'LinkInvite.primaryPeerId')
    addrs(v.relayAddrs, 'LinkInvite.relayAddrs')
    if (v.relayAddrs.length === 0) {
      throw new MalformedError('LinkInvite.relayAddrs: at least one relay')
    }
    exactLength(v.secret, LINK_SECRET_BYTES, 'LinkInvite.secret')
    safeInteger(v.expiresAt, 'LinkInvite.expiresAt')
  },
})

export const LinkRequestBody = defineCodec<LinkRequestBodyPb>({
  kind: Kind.LinkRequestBody,
  codec: LinkRequestBodyPb,
  maxBodyBytes: MAX_RECORD_BYTES,
  limits: { mailboxes: MAX_MAILBOXES_PER_DEVICE, mailboxes$: { relayAddrs: MAX_RELAY_ADDRS } } as never,
  validate(v) {
    exactLength(v.identityKey, KEY_BYTES, 'LinkRequestBody.identityKey')
    exactLength(v.signingKey, KEY_BYTES, 'LinkRequestBody.signingKey')
    mailboxes(v.mailboxes, 'LinkRequestBody.mailboxes')
  },
})

export const LinkRequest = defineCodec<LinkRequestPb>({
  kind: Kind.LinkRequest,
  codec: LinkRequestPb,
  maxBodyBytes: MAX_RECORD_BYTES + 64,
  validate(v) {
    lengthBetween(v.body, 3, MAX_RECORD_BYTES, 'LinkRequest.body')
    exactLength(v.proof, LINK_PROOF_BYTES, 'LinkRequest.proof')
  },
})

export const LinkResponse = defineCodec<LinkResponsePb>({
  kind: Kind.LinkResponse,
  codec: LinkResponsePb,
  maxBodyBytes: MAX_RECORD_BYTES + MAX_DEVICE_LIST_BYTES + MAX_FRAME_HEADER_BYTES + 64,
  validate(v) {
    if (v.status === 0) {
      lengthBetween(v.certificate, 3, MAX_RECORD_BYTES, 'LinkResponse.certificate')
      lengthBetween(
        v.deviceList,
        3,
        MAX_DEVICE_LIST_BYTES + MAX_FRAME_HEADER_BYTES,
        'LinkResponse.deviceList',
      )
      exactLength(v.proof, LINK_PROOF_BYTES, 'LinkResponse.proof')
    } else if (v.certificate.byteLength + v.deviceList.byteLength + v.proof.byteLength !== 0) {
      throw new MalformedError('LinkResponse: a refusal carries nothing')
    }
  },
})
