import {redactEnv} from '../../redact.js'
import type {ParseContext} from './context.js'
import {elements, pidRecords} from './records.js'

/** Environment per pid, for the processes whose environ was readable (all of them with --sudo). */
export function parseEnviron(lines: string[], _ctx: ParseContext): Map<number, Record<string, string>> {
  const out = new Map<number, Record<string, string>>()
  for (const {pid, rest} of pidRecords(lines, 'environ')) {
    const env: Record<string, string> = out.get(pid) ?? {}
    for (const entry of elements(rest)) {
      const eq = entry.indexOf('=')
      if (eq <= 0) continue
      const name = entry.slice(0, eq)
      if (!(name in env)) env[name] = entry.slice(eq + 1)
    }
    out.set(pid, redactEnv(env))
  }
  return out
}
