/**
 * A signal that aborts after `ms`, or when `signal` aborts first.
 *
 * Not `AbortSignal.any([AbortSignal.timeout(ms), signal])`: a composed signal holds its sources only
 * weakly, and Node (20.x and others) drops a timeout signal, with its timer, once nothing else holds
 * it, so after a garbage collection that deadline never fires and whoever waits on it waits forever.
 * Here the timer itself holds the controller until it fires (or `signal` aborts and clears it).
 */
export function deadlineSignal(ms: number, signal?: AbortSignal): AbortSignal {
  const controller = new AbortController()
  if (signal?.aborted === true) {
    controller.abort(signal.reason)
    return controller.signal
  }
  const onAbort = (): void => {
    clearTimeout(timer)
    controller.abort(signal?.reason)
  }
  const timer = setTimeout(() => {
    signal?.removeEventListener('abort', onAbort)
    controller.abort(new DOMException('the deadline passed', 'TimeoutError'))
  }, ms)
  // the timer holds the controller whether or not it keeps a process alive
  if (typeof timer === 'object' && 'unref' in timer) {
    timer.unref()
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  return controller.signal
}
