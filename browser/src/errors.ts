/**
 * Errors of the browser package. Callers branch on `err.name`. The messenger core's errors
 * (RelinkRequiredError, NoAccountError, ...) come through unchanged.
 */
import { MessengerError } from '@ferry/client'

/**
 * Another tab (or window) of this origin runs the messenger over the same store. Only one may: two
 * nodes with the same keys would race for the same ratchet state. Ask the user, then call
 * createBrowserMessenger again with `takeOver: true`.
 */
export class StoreInUseError extends MessengerError {
  override readonly name: string = 'StoreInUseError'
}

/** This tab's messenger was closed because another tab took the store over. */
export class TakenOverError extends MessengerError {
  override readonly name: string = 'TakenOverError'
}

/** The page lacks what a Ferry device needs (IndexedDB, Web Locks, WebCrypto: a secure context). */
export class UnsupportedBrowserError extends MessengerError {
  override readonly name: string = 'UnsupportedBrowserError'
}
