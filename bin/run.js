#!/usr/bin/env node
import {execute} from '@oclif/core'

// Bare `hoist` in a terminal is the wizard (DESIGN.md); without one (scripts, pipes) it stays the help.
const args = process.argv.slice(2)
const wizard = args.length === 0 && process.stdin.isTTY && process.stdout.isTTY
await execute({dir: import.meta.url, args: wizard ? ['wizard'] : args})
