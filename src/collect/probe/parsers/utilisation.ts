import type {UtilisationSample} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {int, note, parts} from './context.js'
import type {MetaSection} from './meta.js'

interface Reading {
  uptime: number
  busy: number
  total: number
  memTotalKb?: number
  memAvailableKb?: number
  memFreeKb: number
  load?: number
  procs: Map<number, {ticks: number; rssPages: number}>
}

/** Readings of /proc/stat, /proc/meminfo and per-process stat, turned into rates between readings. */
export function parseUtilisation(lines: string[], ctx: ParseContext, meta: MetaSection): UtilisationSample[] {
  const readings: Reading[] = []
  for (const part of parts(lines, ctx)) {
    if (part.tag !== 'SAMPLE') continue
    const uptime = Number.parseFloat(part.arg)
    if (!Number.isFinite(uptime)) continue
    readings.push(reading(uptime, part.lines))
  }
  if (readings.length === 0) {
    note(ctx, 'no utilisation reading was taken')
    return []
  }
  return readings.map((r, i) => sample(r, i > 0 ? readings[i - 1] : undefined, meta))
}

function reading(uptime: number, lines: string[]): Reading {
  const r: Reading = {uptime, busy: 0, total: 0, memFreeKb: 0, procs: new Map()}
  for (const line of lines) {
    if (line.startsWith('cpu ')) {
      const t = line.trim().split(/\s+/).slice(1, 9).map((x) => int(x) ?? 0)
      const idle = (t[3] ?? 0) + (t[4] ?? 0)
      r.total = t.reduce((a, b) => a + b, 0)
      r.busy = r.total - idle
    } else if (/^(MemTotal|MemAvailable|MemFree|Buffers|Cached):/.test(line)) {
      const [key, value] = line.split(/:\s+/)
      const kb = int(value?.split(/\s+/)[0]) ?? 0
      if (key === 'MemTotal') r.memTotalKb = kb
      else if (key === 'MemAvailable') r.memAvailableKb = kb
      else r.memFreeKb += kb
    } else if (/^\d+\.\d+ \d+\.\d+ \d+\.\d+ /.test(line)) {
      r.load = Number.parseFloat(line)
    } else {
      const close = line.lastIndexOf(')')
      const pid = int(line.slice(0, line.indexOf(' (')))
      if (close < 0 || pid === undefined) continue
      const f = line.slice(close + 2).split(' ')
      r.procs.set(pid, {ticks: (int(f[11]) ?? 0) + (int(f[12]) ?? 0), rssPages: int(f[21]) ?? 0})
    }
  }
  return r
}

function sample(r: Reading, previous: Reading | undefined, meta: MetaSection): UtilisationSample {
  const at = new Date(((meta.bootTime ?? 0) + r.uptime) * 1000).toISOString()
  // Older kernels have no MemAvailable: free + buffers + cache is the classic estimate.
  const availableKb = r.memAvailableKb ?? r.memFreeKb
  const out: UtilisationSample = {
    at,
    memoryUsedBytes: Math.max(0, ((r.memTotalKb ?? 0) - availableKb) * 1024),
    loadAverage: r.load,
    processes: [],
  }
  const elapsed = previous ? r.uptime - previous.uptime : 0
  if (previous && r.total > previous.total) {
    out.cpuBusyPercent = round(((r.busy - previous.busy) / (r.total - previous.total)) * 100)
  }
  for (const [pid, p] of r.procs) {
    const before = previous?.procs.get(pid)
    const cpuPercent =
      before && elapsed > 0 ? round(((p.ticks - before.ticks) / meta.clockTicks / elapsed) * 100) : undefined
    out.processes.push({pid, rssBytes: p.rssPages * meta.pageSize, ...(cpuPercent === undefined ? {} : {cpuPercent})})
  }
  return out
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}
