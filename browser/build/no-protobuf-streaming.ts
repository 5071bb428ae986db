/**
 * A Vite plugin for browser builds: protobuf codecs without their streaming decoders.
 *
 * protons (the generator of Ferry's codecs and of libp2p's) gives every message codec three
 * functions, `message(encode, decode, stream)`: the third is a generator that yields one event per
 * field, used only through protons-runtime's `streamMessage` (each message's `X.stream()`). Ferry
 * and the libp2p modules it bundles only ever call `encode` and `decode`; nothing in a browser build
 * streams a message. Being an argument, the generator cannot be tree-shaken, and it is about as
 * large as the decoder. The plugin replaces it, in every module that calls protons-runtime's
 * `message` with a generator third, by one shared generator that throws
 * ProtobufStreamingUnavailableError: `X.stream()` fails loudly instead of yielding anything. Encoding
 * and decoding are untouched. A `message` call of another shape (not three arguments, or a third
 * that is not a generator function) stops the build rather than ship a changed codec unseen.
 */
import { type ESTree, type Plugin, parseAst } from 'vite'
import { UnexpectedModuleShapeError } from './no-gossipsub-metrics.js'

/** The module every rewritten codec module imports its stand-in generator from. */
export const STAND_IN_ID = '\0ferry:no-protobuf-streaming'
const STAND_IN_NAME = '__ferryNoProtobufStreaming'

/** The stand-in module's source. */
export const streamingStandIn = (): string => STAND_IN

const STAND_IN = `
export class ProtobufStreamingUnavailableError extends Error {
  constructor() {
    super('protobuf streaming decoders are left out of Ferry browser builds: use decode')
    this.name = 'ProtobufStreamingUnavailableError'
  }
}
export function * ${STAND_IN_NAME}() {
  throw new ProtobufStreamingUnavailableError()
}
`

type Node = ESTree.Node

/** Calls `visit` on every node below `node` (a plain walk over the ESTree's object fields). */
function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) {
      walk(child, visit)
    }
    return
  }
  if (node === null || typeof node !== 'object' || typeof (node as { type?: unknown }).type !== 'string') {
    return
  }
  visit(node as Node)
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'type' && key !== 'start' && key !== 'end' && value !== null && typeof value === 'object') {
      walk(value, visit)
    }
  }
}

/** The local names protons-runtime's `message` is imported under in `program`. */
function messageBindings(program: ESTree.Program): Set<string> {
  const names = new Set<string>()
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || statement.source.value !== 'protons-runtime') {
      continue
    }
    for (const specifier of statement.specifiers) {
      if (
        specifier.type === 'ImportSpecifier' &&
        specifier.imported.type === 'Identifier' &&
        specifier.imported.name === 'message'
      ) {
        names.add(specifier.local.name)
      }
    }
  }
  return names
}

/**
 * `code` (a JavaScript module) with the streaming generator of every protons `message(...)` call
 * replaced by the shared stand-in; null when the module calls no protons `message`. Throws
 * UnexpectedModuleShapeError for a `message` call of another shape.
 */
export function withoutStreamingDecoders(code: string, id: string): string | null {
  const program = parseAst(code, { lang: 'js' }) as ESTree.Program
  const bindings = messageBindings(program)
  if (bindings.size === 0) {
    return null
  }
  const cuts: Array<{ start: number; end: number }> = []
  walk(program, (node) => {
    if (
      node.type !== 'CallExpression' ||
      node.callee.type !== 'Identifier' ||
      !bindings.has(node.callee.name)
    ) {
      return
    }
    if (node.arguments.length === 2) {
      return // a codec of an older protons, without a streaming decoder
    }
    const stream = node.arguments[2]
    if (node.arguments.length !== 3 || stream?.type !== 'FunctionExpression' || stream.generator !== true) {
      throw new UnexpectedModuleShapeError(
        `${id}: a protons message() call whose third argument is not a streaming generator`,
      )
    }
    cuts.push({ start: stream.start, end: stream.end })
  })
  if (cuts.length === 0) {
    return null
  }
  // Each generator becomes the stand-in's name padded to the same length, its line breaks kept, so
  // that every other character keeps its line and column (the earlier source maps stay exact).
  let out = code
  for (const cut of cuts.sort((a, b) => b.start - a.start)) {
    const original = out.slice(cut.start, cut.end)
    if (!/^function\s*\*/.test(original)) {
      throw new UnexpectedModuleShapeError(`${id}: the parser's offsets do not point at a generator`)
    }
    const firstLine = original.search(/[\r\n]/)
    if ((firstLine < 0 ? original.length : firstLine) < STAND_IN_NAME.length) {
      throw new UnexpectedModuleShapeError(`${id}: a streaming generator too short to stand in for`)
    }
    const blanked = original.slice(STAND_IN_NAME.length).replace(/[^\r\n]/g, ' ')
    out = `${out.slice(0, cut.start)}${STAND_IN_NAME}${blanked}${out.slice(cut.end)}`
  }
  // an import is hoisted wherever it stands: at the end it moves no line
  return `${out}\nimport { ${STAND_IN_NAME} } from '${STAND_IN_ID}';\n`
}

export function noProtobufStreaming(): Plugin {
  return {
    name: 'ferry:no-protobuf-streaming',
    // after TypeScript is stripped: Ferry's generated codecs are bundled from their .ts sources
    enforce: 'post',
    resolveId: {
      filter: { id: /^\0ferry:no-protobuf-streaming$/ },
      handler(id) {
        return id === STAND_IN_ID ? id : null
      },
    },
    load: {
      filter: { id: /^\0ferry:no-protobuf-streaming$/ },
      handler(id) {
        return id === STAND_IN_ID ? { code: STAND_IN, map: null } : null
      },
    },
    transform: {
      filter: { code: 'protons-runtime' },
      handler(code, id) {
        const out = withoutStreamingDecoders(code, id)
        return out === null ? null : { code: out, map: null }
      },
    },
  }
}
