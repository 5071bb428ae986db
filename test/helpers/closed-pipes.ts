/**
 * What a supervisor does when its log pipes close under a process it runs: both ends go, then
 * SIGTERM. For the tests that a `ferry daemon` or a `ferry-relay` still ends then.
 */
import type { ChildProcess } from 'node:child_process'

/** How long the process gets to exit after SIGTERM. */
const EXIT_WITHIN_MS = 15_000

/**
 * Closes the reading ends of `child`'s stdout and stderr, lets it write into them a moment (every
 * later line fails with EPIPE), sends SIGTERM, and resolves with how it exited, or 'still running'.
 */
export async function terminateAfterPipesClose<E>(
  child: ChildProcess,
  exited: Promise<E>,
): Promise<E | 'still running'> {
  child.stdout?.destroy()
  child.stderr?.destroy()
  await new Promise((resolve) => setTimeout(resolve, 200))
  child.kill('SIGTERM')
  return Promise.race([
    exited,
    new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), EXIT_WITHIN_MS)),
  ])
}
