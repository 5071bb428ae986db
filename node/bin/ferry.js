#!/usr/bin/env node
// Entry point of `ferry`: the compiled CLI (run `npm run build` after changing sources).
import '../dist/src/main.js'
