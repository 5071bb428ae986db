// Stands in for the `buffer` package in browser builds. abstract-level and level-transcoder load it
// with `require('buffer') || fallback` and work on Uint8Arrays without it; Ferry's stores use only
// 'view' encodings, so the 48 kB polyfill is never needed. Exporting nothing selects their fallbacks.
module.exports = undefined
