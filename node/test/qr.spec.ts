/**
 * Terminal QR codes: every half block maps back to the module matrix qrcode-generator computed, with
 * light modules drawn and a light margin around the code.
 */
import qrcode from 'qrcode-generator'
import { describe, expect, it } from 'vitest'
import { renderQr } from '../src/cli/qr.js'
import { QR_MARGIN_MODULES } from '../src/constants.js'

/** Reads the light/dark matrix back from the half blocks. */
function matrixOf(text: string): boolean[][] {
  const rows: boolean[][] = []
  for (const line of text.split('\n')) {
    const chars = [...line]
    rows.push(chars.map((c) => c === '█' || c === '▀'))
    rows.push(chars.map((c) => c === '█' || c === '▄'))
  }
  return rows
}

describe('renderQr', () => {
  it.each([
    [
      'an invite link',
      'ferry://invite/ferry1r5shhkml6pjfu9ug3c87tr9qpp97tkxaqftrxxusfmmgyku0rk5q66y08l?relay=%2Fip4%2F127.0.0.1%2Ftcp%2F4001',
    ],
    ['raw bytes', Uint8Array.from({ length: 70 }, (_, i) => (i * 37) & 0xff)],
  ])('draws %s module for module, light modules as blocks, inside a light margin', (_name, data) => {
    const reference = qrcode(0, 'L')
    let latin1 = ''
    for (const b of typeof data === 'string' ? new TextEncoder().encode(data) : data)
      latin1 += String.fromCharCode(b)
    reference.addData(latin1, 'Byte')
    reference.make()
    const count = reference.getModuleCount()
    const size = count + 2 * QR_MARGIN_MODULES

    const text = renderQr(data)
    const lines = text.split('\n')
    expect(lines).toHaveLength(Math.ceil(size / 2))
    for (const line of lines) expect([...line]).toHaveLength(size)
    const matrix = matrixOf(text)
    for (let row = 0; row < size; row++) {
      for (let col = 0; col < size; col++) {
        const r = row - QR_MARGIN_MODULES
        const c = col - QR_MARGIN_MODULES
        const inCode = r >= 0 && c >= 0 && r < count && c < count
        expect(matrix[row]![col], `${row},${col}`).toBe(inCode ? !reference.isDark(r, c) : true)
      }
    }
    // an odd size leaves the last half row blank, not light
    if (size % 2 === 1) expect(matrix[size]!.every((light) => !light)).toBe(true)
  })
})
