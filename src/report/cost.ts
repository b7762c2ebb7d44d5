/**
 * Cost at the customer's own unit prices. A machine (a source host or a target node) costs its vCPU ×
 * the vCPU-hour price + its GiB × the GiB-hour price + the machine-hour price. After the move a host's
 * in-scope services cost their requests at the same unit prices, grossed up for the substrate's
 * reserve on each node, plus their share of a node's machine-hour; services out of scope stay on the
 * host at their as-is share. Whole nodes, with what packing leaves unused, are the portfolio's cost.
 */
import type {Confidence, Figure, Money, NodeSize, Platform, Prices} from '../types/report.js'
import {figure, round, weakest} from './figure.js'
import {allocatable, dominantShare} from './packing.js'
import {HOURS_PER_MONTH, type ReportSettings} from './settings.js'

export interface Priced {
  cpu: Figure
  memory: Figure
}

function machineHourly(vcpu: number, memoryGiB: number, prices: Prices): number {
  return vcpu * prices.vcpuHour + memoryGiB * prices.gibHour + prices.nodeHour
}

export function nodeHourly(node: NodeSize, prices: Prices): number {
  return machineHourly(node.vcpu, node.memoryGiB, prices)
}

/** An hourly cost as a month (730 h) and a year (twelve months). */
export function money(hourly: number | null, prices: Prices, basis: string, inputs: Figure['inputs'], confidence: Confidence): Money {
  return monthlyMoney(hourly === null ? null : hourly * HOURS_PER_MONTH, prices, `${basis}; × ${HOURS_PER_MONTH} h`, {...inputs, hourly: hourly === null ? null : round(hourly, 6)}, confidence)
}

function monthlyMoney(monthly: number | null, prices: Prices, basis: string, inputs: Figure['inputs'], confidence: Confidence): Money {
  const month = figure(monthly, `${prices.currency}/month`, basis, inputs, confidence)
  return {monthly: month, yearly: figure(month.value === null ? null : month.value * 12, `${prices.currency}/year`, 'the monthly figure × 12', {monthly: month.value}, confidence)}
}

export function difference(a: Money, b: Money, prices: Prices, basis: string): Money {
  const value = a.monthly.value === null || b.monthly.value === null ? null : a.monthly.value - b.monthly.value
  return monthlyMoney(value, prices, basis, {before: a.monthly.value, after: b.monthly.value}, weakest(a.monthly.confidence, b.monthly.confidence))
}

/** Monthly figures added up (hosts into a portfolio); unmeasured parts count as nothing and are named. */
export function addUp(parts: {name: string; money: Money}[], prices: Prices, basis: string, confidence: Confidence): Money {
  const value = parts.reduce((n, p) => n + (p.money.monthly.value ?? 0), 0)
  return monthlyMoney(value, prices, basis, Object.fromEntries(parts.map((p) => [p.name, p.money.monthly.value])), confidence)
}

/** Node-equivalents of a set of requests: the slice of one target node they take. */
export function nodeShare(cpu: Figure, memory: Figure, node: NodeSize): Figure {
  const value = cpu.value === null || memory.value === null ? null : dominantShare({cpu: cpu.value, memoryGiB: memory.value}, node)
  return figure(value, 'nodes', `the larger of CPU and memory as a fraction of a node's allocatable ${node.vcpu - node.reservedVcpu} vCPU / ${node.memoryGiB - node.reservedMemoryGiB} GiB`, {cpu: cpu.value, memoryGiB: memory.value}, weakest(cpu.confidence, memory.confidence))
}

/** What the host costs before the move: its whole allocation. */
export function beforeCost(allocated: Priced, settings: ReportSettings): Money {
  const {prices} = settings
  const hourly = machineHourly(allocated.cpu.value ?? 0, allocated.memory.value ?? 0, prices)
  return money(hourly, prices, 'vCPU × vCPU-hour + GiB × GiB-hour + machine-hour', {vcpu: allocated.cpu.value, memoryGiB: allocated.memory.value, vcpuHour: prices.vcpuHour, gibHour: prices.gibHour, nodeHour: prices.nodeHour}, 'high')
}

/**
 * Hourly cost of requests on target nodes: each vCPU and GiB at the unit prices, grossed up by what
 * the substrate keeps on every node (node size ÷ allocatable), so its reserve is paid for.
 */
function requestHourly(cpu: number, memoryGiB: number, settings: ReportSettings): number {
  const {prices, node} = settings
  const room = allocatable(node)
  return cpu * prices.vcpuHour * (node.vcpu / room.cpu) + memoryGiB * prices.gibHour * (node.memoryGiB / room.memoryGiB)
}

/** Hourly cost of what stays on a host: its out-of-scope services' as-is shares, and the machine. */
export function stayingHourly(staying: {asIs: Priced}[], prices: Prices): number {
  if (staying.length === 0) return 0
  return machineHourly(staying.reduce((n, s) => n + (s.asIs.cpu.value ?? 0), 0), staying.reduce((n, s) => n + (s.asIs.memory.value ?? 0), 0), prices)
}

/** What the host costs after: its requests on target nodes, its share of the per-node price, and what stays. */
export function afterCost(requested: Priced, nodes: Figure, staying: {asIs: Priced}[], settings: ReportSettings): Money {
  const {prices} = settings
  const stay = stayingHourly(staying, prices)
  const measured = requested.cpu.value !== null && requested.memory.value !== null && nodes.value !== null
  const hourly = measured ? requestHourly(requested.cpu.value!, requested.memory.value!, settings) + nodes.value! * prices.nodeHour + stay : null
  const basis = `requests × unit prices × (node ÷ allocatable) + node share × machine-hour${staying.length > 0 ? ' + what stays on the host at its as-is share (vCPU × vCPU-hour + GiB × GiB-hour + machine-hour)' : ''}`
  const inputs = {vcpu: requested.cpu.value, memoryGiB: requested.memory.value, nodes: nodes.value, vcpuHour: prices.vcpuHour, gibHour: prices.gibHour, nodeHour: prices.nodeHour, stayingHourly: round(stay, 6)}
  return money(hourly, prices, basis, inputs, weakest(requested.cpu.confidence, requested.memory.confidence, ...staying.map((s) => s.asIs.cpu.confidence)))
}

/** One application's saving: its as-is share at unit prices − its requests on target nodes. */
export function applicationSaving(asIs: Priced, request: Priced, inScope: boolean, settings: ReportSettings): Money {
  const {prices} = settings
  if (!inScope) return money(0, prices, 'out of scope: it stays where it is', {}, 'high')
  const before = (asIs.cpu.value ?? 0) * prices.vcpuHour + (asIs.memory.value ?? 0) * prices.gibHour
  const after = request.cpu.value === null || request.memory.value === null ? null : requestHourly(request.cpu.value, request.memory.value, settings)
  return money(after === null ? null : before - after, prices, 'as-is share × unit prices − requests × unit prices × (node ÷ allocatable); the machine-hour is the host\'s, not the application\'s',
    {asIsVcpu: asIs.cpu.value, asIsMemoryGiB: asIs.memory.value, requestVcpu: request.cpu.value, requestMemoryGiB: request.memory.value}, weakest(asIs.cpu.confidence, request.cpu.confidence, request.memory.confidence))
}

export function industryFigure(platform: Platform, before: Money, settings: ReportSettings): {percent: number | null; label: string; saving: Money} {
  const percent = platform === 'vm' ? settings.industry.vm : platform === 'bare-metal' ? settings.industry.bareMetal : null
  const label = percent === null
    ? `No industry rule of thumb for a ${platform === 'container' ? 'container' : 'host whose platform is unknown'}`
    : `Industry rule of thumb, not measured: about ${percent}% of compute saved leaving ${platform === 'vm' ? 'a VM' : 'bare metal'}`
  const hourly = percent === null ? null : ((before.monthly.value ?? 0) / HOURS_PER_MONTH) * (percent / 100)
  return {percent, label, saving: money(hourly, settings.prices, `the before cost × ${percent ?? '—'}% (rule of thumb)`, {percent, beforeMonthly: before.monthly.value}, 'low')}
}
