/**
 * QR codes in the terminal: qrcode-generator computes the modules, and each line of text shows two
 * rows of modules with Unicode half blocks. Light modules (and the margin) are drawn in the
 * terminal's foreground colour and dark ones left blank, as `qrencode -t UTF8` does: on the usual
 * light-on-dark terminal the code reads dark-on-light, the way scanners expect it.
 */
import qrcode from 'qrcode-generator'
import { QR_MARGIN_MODULES } from '../constants.js'

/** A QR code of `data` (text in UTF-8, or raw bytes) as lines of half blocks. */
export function renderQr(data: string | Uint8Array): string {
  const qr = qrcode(0, 'L')
  // byte mode over a Latin-1 string: each character carries one byte (the generator's default)
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  let latin1 = ''
  for (const byte of bytes) {
    latin1 += String.fromCharCode(byte)
  }
  qr.addData(latin1, 'Byte')
  qr.make()
  const count = qr.getModuleCount()
  const size = count + 2 * QR_MARGIN_MODULES
  const light = (row: number, col: number): boolean => {
    const r = row - QR_MARGIN_MODULES
    const c = col - QR_MARGIN_MODULES
    if (r < 0 || c < 0 || r >= count || c >= count) {
      return row < size && col < size
    }
    return !qr.isDark(r, c)
  }
  const lines: string[] = []
  for (let row = 0; row < size; row += 2) {
    let line = ''
    for (let col = 0; col < size; col++) {
      const top = light(row, col)
      const bottom = light(row + 1, col)
      line += top ? (bottom ? '█' : '▀') : bottom ? '▄' : ' '
    }
    lines.push(line)
  }
  return lines.join('\n')
}
