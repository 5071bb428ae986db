/**
 * Group topic names and gossip message IDs, both SHA-256 (the platform's WebCrypto: Node and browsers
 * alike). A topic is `ferry/g/` + hex(SHA-256(context || groupId)): it reveals nothing about the
 * members and cannot be turned back into the group ID. A message ID is the hash of the message data
 * (the messages carry no author under StrictNoSign), so nobody can occupy a real envelope's ID in the
 * seen-cache with junk ahead of it.
 */
import { ID_BYTES } from '@ferry/wire'
import { GROUP_TOPIC_CONTEXT, GROUP_TOPIC_PREFIX } from './constants.js'
import { InvalidGroupIdError } from './errors.js'

const context = new TextEncoder().encode(GROUP_TOPIC_CONTEXT)

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>))
}

export function hex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) {
    out += b.toString(16).padStart(2, '0')
  }
  return out
}

/** The gossipsub topic of a group (16-byte group ID). */
export async function groupTopic(groupId: Uint8Array): Promise<string> {
  if (!(groupId instanceof Uint8Array) || groupId.byteLength !== ID_BYTES) {
    throw new InvalidGroupIdError(`a group ID is ${ID_BYTES} bytes`)
  }
  const input = new Uint8Array(context.byteLength + groupId.byteLength)
  input.set(context)
  input.set(groupId, context.byteLength)
  return GROUP_TOPIC_PREFIX + hex(await sha256(input))
}

/** gossipsub message ID: the SHA-256 of the data. */
export async function messageIdOf(message: { data: Uint8Array }): Promise<Uint8Array> {
  return sha256(message.data)
}
