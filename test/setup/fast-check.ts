import fc from 'fast-check'

// Property tests run with a fixed seed so CI is reproducible; set FERRY_FC_SEED to explore others
// (a failing run prints its seed and path).
const seed = Number(process.env.FERRY_FC_SEED ?? 20261127)
fc.configureGlobal({ seed })
