/**
 * The messenger core, loaded when a command runs the node in this process (not for help, and not
 * for a command the daemon serves, which then starts in a fraction of the time). Loading it installs
 * the client's polyfills first thing: Node 20 lacks Promise.withResolvers, which libp2p calls.
 */
export type Client = typeof import('@ferry/client')

let loading: Promise<Client> | undefined

export function loadClient(): Promise<Client> {
  loading ??= import('@ferry/client').then((client) => {
    client.installPolyfills()
    return client
  })
  return loading
}
