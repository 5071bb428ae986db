/**
 * The platform default: `#default-provider` resolves through package.json conditions to node:crypto
 * under the `node` condition and to WebCrypto elsewhere.
 */
import { describe, expect, it } from 'vitest'
import { defaultProvider as browserDefault } from '../../src/provider/default.browser.js'
import { defaultProvider as nodeDefault } from '../../src/provider/default.node.js'
import { getDefaultProvider } from '../../src/provider/index.js'
import { nodeProvider } from '../../src/provider/node.js'
import { webCryptoProvider } from '../../src/provider/webcrypto.js'

describe('default provider', () => {
  it('is node:crypto in Node, the same object on every call', async () => {
    const provider = await getDefaultProvider()
    expect(provider).toBe(nodeProvider)
    expect(provider.name).toBe('node')
    expect(await getDefaultProvider()).toBe(provider)
  })

  it('the browser entry is the WebCrypto provider and the Node entry the node:crypto one', () => {
    expect(browserDefault).toBe(webCryptoProvider)
    expect(nodeDefault).toBe(nodeProvider)
  })
})
