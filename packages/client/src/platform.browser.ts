/**
 * The browser host of a device comes with the browser package's preset; until then a browser build
 * must pass `createHost` to createMessenger.
 */
import type { Libp2p } from '@libp2p/interface'
import { NotStartedError } from './errors.js'
import type { CreateHost } from './network.js'

export const createHost: CreateHost = async (): Promise<Libp2p> => {
  throw new NotStartedError('no libp2p host for this platform: pass createHost to createMessenger')
}
