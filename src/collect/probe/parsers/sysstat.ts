import type {HistoryPoint} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {parts} from './context.js'

/**
 * `sadf -d FILE -- -u -r`: two semicolon-separated reports, each after its own "# hostname;…"
 * header. CPU busy is 100 − %idle; memory is %memused.
 */
export function parseSysstat(lines: string[], ctx: ParseContext): {history: HistoryPoint[]; source?: string} {
  const points = new Map<string, HistoryPoint>()
  let source: string | undefined
  for (const part of parts(lines, ctx)) {
    if (part.tag !== 'FILE') continue
    source ??= part.arg.replace(/\/[^/]+$/, '')
    let columns: string[] = []
    for (const line of part.lines) {
      if (line.startsWith('#')) {
        columns = line.slice(1).trim().split(';')
        continue
      }
      const f = line.split(';')
      const at = toIso(f[columns.indexOf('timestamp')])
      if (!at || f.length !== columns.length) continue
      const point = points.get(at) ?? {at}
      const idle = Number(f[columns.indexOf('%idle')])
      const cpu = f[columns.indexOf('CPU')]
      if (columns.includes('%idle') && (cpu === '-1' || cpu === 'all') && Number.isFinite(idle)) {
        point.cpuBusyPercent = round(100 - idle)
      }
      const mem = Number(f[columns.indexOf('%memused')])
      if (columns.includes('%memused') && Number.isFinite(mem)) point.memoryUsedPercent = round(mem)
      points.set(at, point)
    }
  }
  return {history: [...points.values()].sort((a, b) => a.at.localeCompare(b.at)), source}
}

function toIso(stamp: string | undefined): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?: UTC)?$/.exec(stamp?.trim() ?? '')
  return m ? `${m[1]}T${m[2]}Z` : undefined
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}
