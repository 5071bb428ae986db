/**
 * The relay device-list store, its contract type and options.
 */
export type { DeviceListStoreInit } from './device-list-store.js'
export { DeviceListStore } from './device-list-store.js'
export type * from './types.js'
