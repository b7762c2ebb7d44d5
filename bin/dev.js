#!/usr/bin/env -S node --import tsx
import {execute} from '@oclif/core'

// As bin/run.js: bare `hoist` in a terminal is the wizard; without one it stays the help.
const args = process.argv.slice(2)
const wizard = args.length === 0 && process.stdin.isTTY && process.stdout.isTTY
await execute({development: true, dir: import.meta.url, args: wizard ? ['wizard'] : args})
