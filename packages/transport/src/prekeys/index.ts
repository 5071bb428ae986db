/**
 * The pre-key protocol (PROTOCOL_PREKEYS): the relay's service factory, the device's client, the
 * storage interface and record verifier the service takes.
 */
import type { ServerComponents } from '../stream/types.js'
import { PreKeyServer, type PreKeyServerInit } from './server.js'

export {
  type ClaimedBundle,
  type ClaimOptions,
  type DeviceKey,
  deviceKey,
  type OneTimeKemPreKey,
  type OneTimePreKey,
  type PreKeyBackend,
  type PreKeyCounts,
  type PreKeyUpload,
  type PreKeyUploadOutcome,
  type PreKeyUploadVerifier,
  type VerifiedUploader,
} from './backend.js'
export { type DeviceSigner, PreKeyClient, type PreKeyUploadInput } from './client.js'
export {
  type PreKeyServer,
  type PreKeyServerEvent,
  type PreKeyServerInit,
  preKeyUploadPayload,
} from './server.js'

/** The relay's pre-key service, for the `services` map of a libp2p node. */
export function preKeyServer(init: PreKeyServerInit): (components: ServerComponents) => PreKeyServer {
  return (components) => new PreKeyServer(components, init)
}
