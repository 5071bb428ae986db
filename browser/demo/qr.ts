/**
 * QR codes for the demo (invite links, pairing codes, safety numbers), drawn as one SVG path. The
 * modules come from qrcode-generator; bytes are encoded as they are (byte mode, one character per
 * byte).
 */
import qrcode from 'qrcode-generator'

const SVG = 'http://www.w3.org/2000/svg'
/** Quiet zone around the code, in modules (the QR specification asks for 4). */
const MARGIN = 4

export function qrSvg(data: string | Uint8Array, label: string): SVGSVGElement {
  const qr = qrcode(0, 'M')
  qr.addData(typeof data === 'string' ? data : String.fromCharCode(...data), 'Byte')
  qr.make()
  const count = qr.getModuleCount()
  const size = count + 2 * MARGIN
  let path = ''
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.isDark(row, col)) {
        path += `M${col + MARGIN} ${row + MARGIN}h1v1h-1z`
      }
    }
  }
  const svg = document.createElementNS(SVG, 'svg')
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`)
  svg.setAttribute('role', 'img')
  svg.setAttribute('aria-label', label)
  svg.setAttribute('shape-rendering', 'crispEdges')
  const shape = document.createElementNS(SVG, 'path')
  shape.setAttribute('d', path)
  shape.setAttribute('fill', '#000')
  svg.append(shape)
  return svg
}
