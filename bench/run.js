#!/usr/bin/env node
// The benchmark runner. Builds the bench project and what it references (tsc -b bench: about a
// second), then lists the benchmarks or runs one from bench/dist, where the workspace packages
// resolve to their dist builds.
//
//   npm run bench                           list the benchmarks
//   npm run bench -- NAME [options]         run one
//     --quick            a short smoke run (fewer rounds, smaller counts)
//     --json             one JSON object per line instead of tables
//     --rounds N         measured rounds (after one warm-up round)
//     --scale X          multiply every operation count by X
//     --providers a,b    only these variants (crypto: node, webcrypto, noble)
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const benchDir = dirname(fileURLToPath(import.meta.url))
const usage = 'usage: npm run bench [-- NAME [--quick] [--json] [--rounds N] [--scale X] [--providers a,b]]'

function fail(message) {
  process.stderr.write(`${message}\n${usage}\n`)
  process.exit(2)
}

function parse(args) {
  const options = {}
  let name
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2)
    const value = () => inline ?? args[++i] ?? fail(`${flag} needs a value`)
    if (flag === '--quick') options.quick = true
    else if (flag === '--json') options.json = true
    else if (flag === '--rounds') options.rounds = positive(flag, value(), Number.isInteger)
    else if (flag === '--scale') options.scale = positive(flag, value(), Number.isFinite)
    else if (flag === '--providers') options.variants = value().split(',').filter(Boolean)
    else if (flag === '--help' || flag === '-h') fail('')
    else if (flag.startsWith('-')) fail(`unknown option ${flag}`)
    else if (name === undefined) name = flag
    else fail(`one benchmark at a time (got ${name} and ${flag})`)
  }
  return { name, options }
}

function positive(flag, text, check) {
  const n = Number(text)
  return check(n) && n > 0 ? n : fail(`${flag} takes a positive number, not ${text}`)
}

const { name, options } = parse(process.argv.slice(2))
// `npm run bench -- crypto --json | head` closes the pipe early: stop quietly
process.stdout.on('error', (err) => process.exit(err.code === 'EPIPE' ? 0 : 1))

const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc')
// compiler messages go to stderr, so that --json output stays pure
const build = spawnSync(process.execPath, [tsc, '-b', benchDir], { stdio: ['ignore', 2, 2] })
if (build.status !== 0) {
  process.stderr.write('bench: the build failed (tsc -b bench)\n')
  process.exit(1)
}

const { benchmarks } = await import(pathToFileURL(join(benchDir, 'dist', 'src', 'index.js')).href)
if (name === undefined) {
  const width = Math.max(...benchmarks.map((b) => b.name.length))
  console.log(`Benchmarks (${usage.replace('usage: ', '')}):`)
  for (const benchmark of benchmarks) {
    console.log(`  ${benchmark.name.padEnd(width)}  ${benchmark.description}`)
  }
} else {
  const benchmark = benchmarks.find((b) => b.name === name)
  if (benchmark === undefined) {
    fail(`no benchmark named ${name} (known: ${benchmarks.map((b) => b.name).join(', ')})`)
  }
  try {
    await benchmark.run(options)
  } catch (err) {
    // a benchmark refuses options it does not know with a RangeError, before measuring anything
    if (err instanceof RangeError) fail(err.message)
    throw err
  }
  // Exit once the output is out rather than when the event loop empties: after the relay benchmark
  // (thousands of libp2p hosts and two LevelDB stores opened and closed in this process) Node 20's
  // exit sometimes never returned, spinning at full CPU in its handle clean-up
  // (node::Environment::CleanupHandles under FreeEnvironment, seen with perf on two such processes).
  process.stdout.write('', () => process.exit())
}
