/**
 * The device-list protocol (PROTOCOL_DEVICE_LIST): the relay's service factory, the device's
 * client, the storage interface and record verifier the service takes.
 */
import type { ServerComponents } from '../stream/types.js'
import { DeviceListServer, type DeviceListServerInit } from './server.js'

export type { DeviceListBackend, DeviceListVerifier, VerifiedDeviceList } from './backend.js'
export { DeviceListClient } from './client.js'
export type { DeviceListServer, DeviceListServerEvent, DeviceListServerInit } from './server.js'

/** The relay's device-list service, for the `services` map of a libp2p node. */
export function deviceListServer(
  init: DeviceListServerInit,
): (components: ServerComponents) => DeviceListServer {
  return (components) => new DeviceListServer(components, init)
}
