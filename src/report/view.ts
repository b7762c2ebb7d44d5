/**
 * report.json → what the templates show. Every Figure becomes {text, path, basis, confidence}: the
 * text exactly as formatted from the JSON value, and its JSON path, which the HTML carries in
 * data-figure so a test (or a curious reader) can check each printed figure against report.json.
 * Optional fields are made explicit (null) because the templates are compiled strict.
 */
import type {Confidence, Report} from '../types/report.js'
import {barsChart, packingChart, scatterChart, type BarRow} from './charts.js'
import {formatFigure, isFigure} from './format.js'

export interface FigView {
  text: string
  path: string
  basis: string
  confidence: Confidence
  /** A visible mark on figures of low or no confidence. */
  flag: string | null
}

export function reportView(report: Report): Record<string, unknown> {
  const view = walk(report, '') as Record<string, unknown>
  const portfolio = report.scope === 'portfolio'
  const host = report.hosts[0]
  const title = portfolio ? `Portfolio of ${report.hosts.length} host(s)` : `Host ${host?.host ?? ''}`
  // The credits side by side: one row per credit, its CPU and its memory figure.
  const hosts = (view.hosts as {credits: {cpu: {id: string; label: string; figure: FigView}[]; memory: {label: string; figure: FigView}[]}}[]).map((h) => ({
    ...h,
    creditRows: h.credits.cpu.map((c, i) => {
      const memory = h.credits.memory[i]!
      return {label: c.label === memory.label ? c.label : `${c.label} / ${memory.label}`, cpu: c.figure, memory: memory.figure}
    }),
  }))
  return {
    ...view,
    hosts,
    configFile: report.configFile ?? null,
    portfolio,
    title,
    generatedDate: report.generatedAt.slice(0, 10),
    sizing: sizingWords(report),
    scopeDays: report.assumptions.find((a) => a.key === 'effort.scopeDays')?.value ?? null,
  }
}

/** The four SVG charts, for the HTML only (the Markdown has none), each escaped by charts.ts. */
export function reportCharts(report: Report): {cpu: string; memory: string; packing: string; scatter: string} {
  return {
    cpu: barsChart('CPU before and after (vCPU)', barRows(report, 'cpu'), 'vCPU'),
    memory: barsChart('Memory before and after (GiB)', barRows(report, 'memory'), 'GiB'),
    packing: packingChart(report.packing),
    scatter: report.scope === 'portfolio'
      ? scatterChart('Monthly saving against effort, per host', report.ranking.hosts.map((r) => ({label: r.host, days: r.days, saving: r.savingMonthly})), report.currency)
      : scatterChart('Monthly saving against effort, per application', report.ranking.applications.map((r) => ({label: r.application ?? r.host, days: r.days, saving: r.savingMonthly})), report.currency),
  }
}

/** Portfolio: one row per host. Host: the host, then each application (its as-is share as "before"). */
function barRows(report: Report, key: 'cpu' | 'memory'): BarRow[] {
  const hosts = report.hosts.map((h) => ({label: h.host, before: h.before[key].allocated.value ?? 0, used: h.before[key].used.value, after: h.after[key].value ?? 0}))
  if (report.scope === 'portfolio') return hosts
  const apps = report.hosts.flatMap((h) => h.applications.map((a) => ({label: a.name, before: a.asIs[key].value ?? 0, used: a.used[key].value, after: a.inScope ? (a.request[key].value ?? 0) : 0})))
  return [...hosts, ...apps]
}

function sizingWords(report: Report): string {
  const get = (key: string) => report.assumptions.find((a) => a.key === key)?.value
  if (report.mode === 'same-as-source') return 'same-as-source: each container keeps its share of the host\'s allocation'
  return `${report.mode}: p${get('percentile')} of measured use × ${get('headroom')} headroom, floors ${get('floorCpu')} vCPU and ${get('floorMemoryMiB')} MiB`
}

// Optional keys of report.json, by the JSON path of the object that may lack them.
const OPTIONAL: [RegExp, string[]][] = [
  [/^hosts\.\d+$/, ['attackSurface']],
  [/^hosts\.\d+\.os$/, ['endOfLife']],
  [/^hosts\.\d+\.coverage$/, ['historySource']],
  [/^hosts\.\d+\.risks\.\d+$/, ['service']],
  [/^ranking\.\w+\.\d+$/, ['application']],
  [/^assumptions\.\d+$/, ['note']],
]

function walk(value: unknown, path: string): unknown {
  if (isFigure(value)) {
    const flag = value.value !== null && (value.confidence === 'low' || value.confidence === 'none') ? `${value.confidence} confidence` : null
    return {text: formatFigure(value), path, basis: value.basis, confidence: value.confidence, flag} satisfies FigView
  }
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`))
  if (typeof value !== 'object' || value === null) return value
  const entries = Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k)])
  const out = Object.fromEntries(entries) as Record<string, unknown>
  for (const key of optionalKeys(path)) out[key] ??= null
  return out
}

function optionalKeys(path: string): string[] {
  return OPTIONAL.find(([pattern]) => pattern.test(path))?.[1] ?? []
}
