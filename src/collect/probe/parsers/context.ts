import type {ProbeError} from '../../../types/facts.js'
import {splitParts, type Part} from '../framing.js'

/** What every section parser gets: its lines, and a place to record what it could not read. */
export interface ParseContext {
  section: string
  nonce: string
  errors: ProbeError[]
}

export function parts(lines: string[], ctx: ParseContext, first = ''): Part[] {
  return splitParts(lines, ctx.nonce, first)
}

export function note(ctx: ParseContext, message: string, excerpt?: string): void {
  ctx.errors.push(excerpt === undefined ? {section: ctx.section, message} : {section: ctx.section, message, excerpt: excerptOf(excerpt)})
}

export function excerptOf(text: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?')
  return clean.length > max ? `${clean.slice(0, max)}…` : clean
}

export function int(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+$/.test(value.trim())) return undefined
  const n = Number(value.trim())
  return Number.isSafeInteger(n) ? n : undefined
}

/** `key=value` lines into a record; the first occurrence wins. */
export function keyValues(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of lines) {
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    const key = line.slice(0, eq).trim()
    if (!(key in out)) out[key] = line.slice(eq + 1)
  }
  return out
}

/** A shell-style value: strips one level of matching quotes and backslash escapes. */
export function unquote(value: string): string {
  const v = value.trim()
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    const inner = v.slice(1, -1)
    return v[0] === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner
  }
  return v
}
