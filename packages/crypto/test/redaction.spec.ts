import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { nobleProvider } from '../src/provider/noble.js'
import { nodeProvider } from '../src/provider/node.js'
import { webCryptoProvider } from '../src/provider/webcrypto.js'
import { makeDevice } from './helpers/session-fixtures.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64')

describe.each([nodeProvider, webCryptoProvider, nobleProvider])('key redaction ($name)', (provider) => {
  it('generated key pairs and a whole device print no secret bytes', async () => {
    const device = await makeDevice(provider, { oneTimeKeys: 1 })
    const secrets = [
      device.local.identityKeyPair.secretKey,
      device.local.signingKeyPair.secretKey,
      device.account.secret.bytes,
      (await provider.mlKem768Keygen()).secretKey,
    ]
    const printed = [
      String(device.local.identityKeyPair),
      JSON.stringify(device.local),
      inspect(device.local, { depth: 10 }),
      inspect(device.account, { depth: 10 }),
      JSON.stringify(await provider.mlKem768Keygen()),
      inspect(await provider.x25519Keygen(), { depth: 10 }),
      inspect(await provider.ed25519Keygen(), { depth: 10 }),
    ].join('\n')
    for (const secret of secrets.slice(0, 3)) {
      expect(printed).not.toContain(hex(secret))
      expect(printed).not.toContain(b64(secret).slice(0, 20))
      expect(printed).not.toContain(secret.slice(0, 8).join(', '))
    }
    expect(printed).toContain('[redacted]')
  })
})
