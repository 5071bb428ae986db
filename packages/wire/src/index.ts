/**
 * @packageDocumentation
 *
 * Ferry's wire formats: protobuf schemas (with their protons-generated code beside them), the framing
 * every top-level object shares, size limits as named constants, and libp2p protocol IDs.
 *
 * Every `decode` takes untrusted bytes and throws only typed errors (subclasses of `WireError`):
 *
 * @example
 * ```ts
 * import { Content, WireError } from '@ferry/wire'
 *
 * const bytes = Content.encode({ messageId, sentAt: Date.now(), text: { body: 'hi' } })
 * try {
 *   const content = Content.decode(bytes)
 * } catch (err) {
 *   if (err instanceof WireError) {
 *     // TruncatedError, OversizedError, LimitExceededError, UnknownVersionError, WrongTypeError, MalformedError
 *   }
 * }
 * ```
 */
export type { WireCodec } from './codec.js'
export { equalBytes } from './codec.js'
export {
  CONTENT_BODIES,
  Content,
  type ContentBody,
  DeviceCertificateBody,
  DeviceListBody,
  GroupEnvelope,
  PreKeyBody,
  PreKeyBundle,
  PreKeyMessage,
  RatchetHeader,
  RatchetMessage,
  SealedContent,
  SealedEnvelope,
  SenderKeyDistribution,
  SenderKeyMessage,
  SenderKeyMessageBody,
  Signed,
} from './codecs.js'
export * from './constants.js'
export * from './errors.js'
export { Kind, kindName } from './kinds.js'
export * from './link-codecs.js'
export { pad, unpad } from './padding.js'
export type * as pb from './proto/index.js'
export * from './protocols.js'
export * from './relay-codecs.js'
