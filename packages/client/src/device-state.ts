/**
 * What the messenger's parts share about this device right now: its account record as last committed
 * (none before an account is created or linked) and its running network (none while stopped), with the
 * checks the API's calls start from.
 *
 * Owns: those two references. Must not know: what the parts do with them.
 */
import type { LocalDevice } from '@ferry/crypto'
import type { AccountRecord } from '@ferry/storage'
import { NoAccountError, NotStartedError } from './errors.js'
import { localDeviceOf } from './identity.js'
import type { Network } from './network.js'

export class DeviceState {
  /** The account record as last committed (reloaded after this account's device list changes). */
  account: AccountRecord | undefined
  /** The network while the messenger is started. */
  network: Network | undefined

  constructor(account: AccountRecord | undefined) {
    this.account = account
  }

  requireAccount(): AccountRecord {
    if (this.account === undefined) {
      throw new NoAccountError('this device has no account yet: create one or link this device')
    }
    return this.account
  }

  requireStarted(): Network {
    if (this.network === undefined) {
      throw new NotStartedError('the messenger is not started')
    }
    return this.network
  }

  /** This device's keys and certificate, for the crypto layers. */
  local(): LocalDevice {
    return localDeviceOf(this.requireAccount())
  }
}
