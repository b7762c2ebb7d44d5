/**
 * The report's charts as inline SVG strings: no script, no external font or image, readable in
 * print. Every label can come from a host (a service or host name), so every text is escaped here;
 * the templates insert these strings as they are.
 */
import type {Packing} from '../types/report.js'
import {formatNumber} from './format.js'

// Okabe–Ito: told apart by colour-blind readers, and in greyscale print by their lightness.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000']
const COLORS = {before: '#9aa3ad', used: '#E69F00', after: '#009E73', reserve: '#d9dde1'}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`)
}

export interface BarRow {
  label: string
  before: number
  used: number | null
  after: number
}

/** Before (allocated), used (measured) and after (requested), one group of bars per row. */
export function barsChart(title: string, rows: BarRow[], unit: string): string {
  const width = 640
  const labelWidth = 150
  const bar = 11
  const group = bar * 3 + 14
  const height = 34 + rows.length * group
  const max = Math.max(1e-9, ...rows.flatMap((r) => [r.before, r.used ?? 0, r.after]))
  const scale = (v: number) => ((width - labelWidth - 90) * v) / max
  const parts = [legend([['Before: allocated', COLORS.before], ['Before: used', COLORS.used], ['After: requested', COLORS.after]], 0)]
  rows.forEach((r, i) => {
    const y = 30 + i * group
    parts.push(text(0, y + bar * 1.5 + 4, clip(r.label, 22), {weight: 'bold'}))
    const values: [number | null, string][] = [[r.before, COLORS.before], [r.used, COLORS.used], [r.after, COLORS.after]]
    values.forEach(([v, color], j) => {
      const by = y + j * bar
      if (v === null) {
        parts.push(text(labelWidth, by + bar - 2, 'not measured', {size: 10, fill: '#555'}))
        return
      }
      parts.push(`<rect x="${labelWidth}" y="${by}" width="${Math.max(1, scale(v)).toFixed(1)}" height="${bar - 2}" fill="${color}"/>`)
      parts.push(text(labelWidth + scale(v) + 4, by + bar - 2, `${formatNumber(v, 3)} ${unit}`, {size: 10}))
    })
  })
  return svg(title, width, height, parts)
}

/** Each node two columns, CPU and memory, filled by its services (coloured by host) and the substrate's reserve. */
export function packingChart(packing: Packing, title = 'Services packed onto target nodes'): string {
  const hosts = [...new Set(packing.nodes.flatMap((n) => n.items.map((i) => i.host)))]
  const color = (host: string) => PALETTE[hosts.indexOf(host) % PALETTE.length]!
  const shown = packing.nodes.slice(0, 40)
  const column = 26
  const nodeWidth = column * 2 + 26
  const chartHeight = 180
  const top = 20 + Math.ceil(hosts.length / 4) * 16 + 8
  const width = Math.max(320, 40 + shown.length * nodeWidth)
  const height = top + chartHeight + 36 + (packing.nodes.length > shown.length ? 16 : 0)
  const parts = [legend([...hosts.map((h): [string, string] => [h, color(h)]), ['Substrate reserve', COLORS.reserve]], 0)]
  const {node} = packing
  shown.forEach((n, k) => {
    const x = 30 + k * nodeWidth
    const capacity = [node.vcpu * n.units, node.memoryGiB * n.units]
    const reserve = [node.reservedVcpu * n.units, node.reservedMemoryGiB * n.units]
    ;(['cpu', 'memoryGiB'] as const).forEach((key, c) => {
      const cx = x + c * (column + 2)
      const px = (v: number) => (chartHeight * v) / capacity[c]!
      let y = top + chartHeight
      for (const item of n.items) {
        const h = px(item[key])
        y -= h
        parts.push(`<rect x="${cx}" y="${y.toFixed(1)}" width="${column}" height="${Math.max(0.5, h).toFixed(1)}" fill="${color(item.host)}" stroke="#fff" stroke-width="0.5"><title>${escapeHtml(`${item.host}/${item.service}: ${formatNumber(item[key], 3)} ${key === 'cpu' ? 'vCPU' : 'GiB'}`)}</title></rect>`)
      }
      parts.push(`<rect x="${cx}" y="${top}" width="${column}" height="${px(reserve[c]!).toFixed(1)}" fill="${COLORS.reserve}"/>`)
      parts.push(`<rect x="${cx}" y="${top}" width="${column}" height="${chartHeight}" fill="none" stroke="#333"/>`)
      parts.push(text(cx + column / 2, top + chartHeight + 12, c === 0 ? 'CPU' : 'Mem', {size: 9, anchor: 'middle'}))
    })
    parts.push(text(x + column, top + chartHeight + 26, `Node ${n.index}${n.units > 1 ? ` ×${n.units}` : ''}`, {size: 10, anchor: 'middle'}))
  })
  if (packing.nodes.length > shown.length) parts.push(text(0, height - 4, `… and ${packing.nodes.length - shown.length} more node(s), listed in report.json`, {size: 10}))
  return svg(title, width, height, parts)
}

export interface Point {
  label: string
  days: number
  saving: number
}

/** Monthly saving against days of effort: up and to the left is the best return. */
export function scatterChart(title: string, points: Point[], currency: string): string {
  const width = 640
  const height = 300
  const box = {left: 70, right: width - 20, top: 26, bottom: height - 40}
  const maxX = Math.max(1, ...points.map((p) => p.days))
  const minY = Math.min(0, ...points.map((p) => p.saving))
  const maxY = Math.max(1, ...points.map((p) => p.saving))
  const sx = (v: number) => box.left + ((box.right - box.left) * v) / maxX
  const sy = (v: number) => box.bottom - ((box.bottom - box.top) * (v - minY)) / (maxY - minY)
  const parts = [
    `<line x1="${box.left}" y1="${sy(0)}" x2="${box.right}" y2="${sy(0)}" stroke="#333"/>`,
    `<line x1="${box.left}" y1="${box.top}" x2="${box.left}" y2="${box.bottom}" stroke="#333"/>`,
    text((box.left + box.right) / 2, height - 6, 'Effort (days)', {anchor: 'middle', size: 11}),
    text(box.left, 12, `Saving (${currency}/month)`, {size: 11}),
  ]
  for (const t of [0, maxX / 2, maxX]) parts.push(text(sx(t), box.bottom + 14, formatNumber(t, 1), {anchor: 'middle', size: 10}))
  for (const t of [minY, (minY + maxY) / 2, maxY]) parts.push(text(box.left - 4, sy(t) + 3, formatNumber(t, 0), {anchor: 'end', size: 10}))
  points.forEach((p, i) => {
    const color = PALETTE[i % PALETTE.length]!
    parts.push(`<circle cx="${sx(p.days).toFixed(1)}" cy="${sy(p.saving).toFixed(1)}" r="5" fill="${color}"><title>${escapeHtml(`${p.label}: ${formatNumber(p.days, 2)} days, ${currency} ${formatNumber(p.saving, 2)}/month`)}</title></circle>`)
    // Labels near the right edge go on the left of their point, so none is cut off.
    const left = sx(p.days) > box.right - 150
    parts.push(text(sx(p.days) + (left ? -8 : 8), sy(p.saving) - 6, clip(p.label, 28), {size: 10, ...(left ? {anchor: 'end'} : {})}))
  })
  return svg(title, width, height, parts)
}

function legend(entries: [string, string][], y: number): string {
  return entries.map(([label, color], i) => {
    const x = (i % 4) * 160
    const row = y + Math.floor(i / 4) * 16
    return `<rect x="${x}" y="${row + 2}" width="10" height="10" fill="${color}"/>${text(x + 14, row + 11, clip(label, 24), {size: 10})}`
  }).join('')
}

function text(x: number, y: number, content: string, o: {size?: number; weight?: string; anchor?: string; fill?: string} = {}): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${o.size ?? 11}"${o.weight ? ` font-weight="${o.weight}"` : ''}${o.anchor ? ` text-anchor="${o.anchor}"` : ''}${o.fill ? ` fill="${o.fill}"` : ''}>${escapeHtml(content)}</text>`
}

function svg(title: string, width: number, height: number, parts: string[]): string {
  return `<svg role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif"><title>${escapeHtml(title)}</title>${parts.join('')}</svg>`
}

function clip(label: string, n: number): string {
  return label.length > n ? `${label.slice(0, n - 1)}…` : label
}
