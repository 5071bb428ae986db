/**
 * Linking a new device to an account. The primary shows a pairing code (text and QR): the account
 * key, how to reach the primary (its PeerId and relays), a 256-bit one-use secret and an expiry. The
 * new device sends its keys and mailboxes on `/ferry/link/1`, proven with an HMAC under the secret
 * and bound to both PeerIds; the primary asks its user, certifies the device with the next device
 * number, signs a new device-list version that includes it, and answers with both, proven the same
 * way. A code is used once; a wrong proof gets the same refusal as a refused request.
 *
 * Owns: the pairing code format, the proofs, and both sides' checks. Must not know: how the primary
 * publishes its new list (devices.ts does).
 */
import {
  type CryptoContext,
  concat,
  constantTimeEqual,
  utf8,
  type VerifiedDeviceCertificate,
  type VerifiedDeviceList,
  verifyDeviceCertificate,
  verifyDeviceList,
} from '@ferry/crypto'
import {
  LINK_SECRET_BYTES,
  LinkInvite,
  LinkRequest,
  LinkRequestBody,
  LinkResponse,
  type pb,
} from '@ferry/wire'
import type { PeerId } from '@libp2p/interface'
import { LinkError } from './errors.js'

/** Pairing codes start with this, so a pasted code is recognised as one. */
export const PAIRING_CODE_PREFIX = 'ferry-link:'

/** How long a pairing code stays valid: long enough to type it, short enough to be worth little later. */
export const PAIRING_CODE_TTL_MS = 10 * 60 * 1000

/** Pairing codes waiting on one primary at once. */
export const MAX_PENDING_PAIRINGS = 4

const REQUEST_CONTEXT = utf8('ferry/link/v1/request')
const RESPONSE_CONTEXT = utf8('ferry/link/v1/response')

export function encodePairingCode(invite: pb.LinkInvite): string {
  return `${PAIRING_CODE_PREFIX}${base64url(LinkInvite.encode(invite))}`
}

/** Parses a pairing code; LinkError for anything that is not a valid, unexpired one. */
export function decodePairingCode(code: string, now: number): pb.LinkInvite {
  const text = code.trim()
  if (!text.startsWith(PAIRING_CODE_PREFIX)) {
    throw new LinkError(`a pairing code starts with ${PAIRING_CODE_PREFIX}`)
  }
  let invite: pb.LinkInvite
  try {
    invite = LinkInvite.decode(fromBase64url(text.slice(PAIRING_CODE_PREFIX.length)))
  } catch (err) {
    throw new LinkError(`not a valid pairing code (${(err as Error).message})`)
  }
  if (invite.expiresAt <= now) {
    throw new LinkError('this pairing code has expired: ask the primary device for a new one')
  }
  return invite
}

/** HMAC under the pairing secret over a context, both PeerIds and the given parts, each length-prefixed. */
async function proof(
  ctx: CryptoContext,
  secret: Uint8Array,
  context: Uint8Array,
  requester: PeerId,
  primary: PeerId,
  parts: readonly Uint8Array[],
): Promise<Uint8Array> {
  const fields = [requester.toMultihash().bytes, primary.toMultihash().bytes, ...parts]
  return ctx.provider.hmacSha256(secret, concat(context, ...fields.flatMap((f) => [u32(f.byteLength), f])))
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n)
  return out
}

// ------------------------------------------------------------------ new device

export interface NewDeviceKeys {
  readonly identityKey: Uint8Array
  readonly signingKey: Uint8Array
  readonly mailboxes: readonly pb.LinkMailbox[]
}

export async function linkRequest(
  ctx: CryptoContext,
  invite: pb.LinkInvite,
  keys: NewDeviceKeys,
  requester: PeerId,
  primary: PeerId,
): Promise<Uint8Array> {
  const body = LinkRequestBody.encode({
    identityKey: keys.identityKey,
    signingKey: keys.signingKey,
    mailboxes: [...keys.mailboxes],
  })
  return LinkRequest.encode({
    body,
    proof: await proof(ctx, invite.secret, REQUEST_CONTEXT, requester, primary, [body]),
  })
}

export interface LinkAccepted {
  readonly certificate: VerifiedDeviceCertificate
  readonly deviceList: VerifiedDeviceList
}

/** Checks the primary's answer: its proof, and that the certificate and list are this device's. */
export async function acceptLinkResponse(
  ctx: CryptoContext,
  invite: pb.LinkInvite,
  keys: NewDeviceKeys,
  requester: PeerId,
  primary: PeerId,
  responseBytes: Uint8Array,
): Promise<LinkAccepted> {
  const response = LinkResponse.decode(responseBytes)
  if (response.status !== 0) {
    throw new LinkError('the primary device refused to link this device')
  }
  const expected = await proof(ctx, invite.secret, RESPONSE_CONTEXT, requester, primary, [
    response.certificate,
    response.deviceList,
  ])
  if (!constantTimeEqual(expected, response.proof)) {
    throw new LinkError('the answer is not from the device that showed the pairing code')
  }
  const certificate = await verifyDeviceCertificate(ctx, response.certificate, invite.accountKey)
  if (
    !constantTimeEqual(certificate.identityKey, keys.identityKey) ||
    !constantTimeEqual(certificate.signingKey, keys.signingKey) ||
    !constantTimeEqual(certificate.peerId, requester.toMultihash().bytes)
  ) {
    throw new LinkError('the certificate the primary issued is not for this device')
  }
  const deviceList = await verifyDeviceList(ctx, response.deviceList, { accountKey: invite.accountKey })
  if (!deviceList.devices.some((d) => constantTimeEqual(d.certificate.bytes, response.certificate))) {
    throw new LinkError('the device list the primary signed does not include this device')
  }
  return { certificate, deviceList }
}

// ------------------------------------------------------------------ primary

export interface LinkRequestSeen {
  readonly body: pb.LinkRequestBody
  readonly requester: PeerId
}

interface Pending {
  readonly invite: pb.LinkInvite
  readonly approve: (request: LinkRequestSeen) => Promise<boolean>
  readonly issue: (
    request: LinkRequestSeen,
  ) => Promise<{ certificate: Uint8Array; deviceList: Uint8Array; deviceId: number }>
  resolve(result: { deviceId: number }): void
  reject(err: Error): void
}

/** The primary's pairing codes waiting for their device, each used at most once. */
export class Pairings {
  readonly #ctx: CryptoContext
  readonly #pending = new Set<Pending>()

  constructor(ctx: CryptoContext) {
    this.#ctx = ctx
  }

  /** A new code; `completed` settles when a device linked with it (or it was refused or cancelled). */
  open(
    invite: Omit<pb.LinkInvite, 'secret' | 'expiresAt'>,
    approve: Pending['approve'],
    issue: Pending['issue'],
    signal?: AbortSignal,
  ): { code: string; completed: Promise<{ deviceId: number }> } {
    if (this.#pending.size >= MAX_PENDING_PAIRINGS) {
      throw new LinkError(`at most ${MAX_PENDING_PAIRINGS} pairing codes can wait at once`)
    }
    const full: pb.LinkInvite = {
      ...invite,
      secret: this.#ctx.provider.randomBytes(LINK_SECRET_BYTES),
      expiresAt: this.#ctx.now() + PAIRING_CODE_TTL_MS,
    }
    let entry: Pending | undefined
    const completed = new Promise<{ deviceId: number }>((resolve, reject) => {
      entry = { invite: full, approve, issue, resolve, reject }
    })
    const pending = entry!
    this.#pending.add(pending)
    const expire = setTimeout(
      () => this.#close(pending, new LinkError('the pairing code expired unused')),
      PAIRING_CODE_TTL_MS,
    )
    expire.unref?.()
    signal?.addEventListener('abort', () => this.#close(pending, new LinkError('pairing cancelled')), {
      once: true,
    })
    void completed.finally(() => clearTimeout(expire)).catch(() => {})
    return { code: encodePairingCode(full), completed }
  }

  /** Answers a link request (framed LinkRequest); never throws: refusals are answers. */
  async handle(requestBytes: Uint8Array, peers: { requester: PeerId; primary: PeerId }): Promise<Uint8Array> {
    const refused = LinkResponse.encode({
      status: 1,
      certificate: new Uint8Array(0),
      deviceList: new Uint8Array(0),
      proof: new Uint8Array(0),
    })
    let request: pb.LinkRequest
    try {
      request = LinkRequest.decode(requestBytes)
    } catch {
      return refused
    }
    let match: Pending | undefined
    for (const pending of this.#pending) {
      const expected = await proof(
        this.#ctx,
        pending.invite.secret,
        REQUEST_CONTEXT,
        peers.requester,
        peers.primary,
        [request.body],
      )
      if (constantTimeEqual(expected, request.proof) && pending.invite.expiresAt > this.#ctx.now()) {
        match = pending
      }
    }
    if (match === undefined) {
      return refused
    }
    this.#pending.delete(match) // one use, whatever happens next
    try {
      const seen = { body: LinkRequestBody.decode(request.body), requester: peers.requester }
      if (!(await match.approve(seen))) {
        match.reject(new LinkError('the link request was declined'))
        return refused
      }
      const issued = await match.issue(seen)
      const answer = LinkResponse.encode({
        status: 0,
        certificate: issued.certificate,
        deviceList: issued.deviceList,
        proof: await proof(this.#ctx, match.invite.secret, RESPONSE_CONTEXT, peers.requester, peers.primary, [
          issued.certificate,
          issued.deviceList,
        ]),
      })
      match.resolve({ deviceId: issued.deviceId })
      return answer
    } catch (err) {
      match.reject(err as Error)
      return refused
    }
  }

  #close(pending: Pending, err: Error): void {
    if (this.#pending.delete(pending)) {
      pending.reject(err)
    }
  }

  closeAll(): void {
    for (const pending of [...this.#pending]) {
      this.#close(pending, new LinkError('the messenger stopped'))
    }
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) {
    binary += String.fromCharCode(b)
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function fromBase64url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new LinkError('a pairing code has only letters, digits, - and _ after its prefix')
  }
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}
