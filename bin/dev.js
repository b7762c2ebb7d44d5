#!/usr/bin/env -S node --import tsx
import {main} from '../src/main.ts'

await main(process.argv.slice(2), {development: true, dir: import.meta.url})
