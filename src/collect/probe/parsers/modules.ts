import type {ParseContext} from './context.js'

export function parseModules(lines: string[], _ctx: ParseContext): string[] {
  return lines.map((l) => l.trim()).filter((l) => /^[A-Za-z0-9_-]+$/.test(l))
}
