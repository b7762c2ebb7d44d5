/**
 * Before and after, in vCPU and GiB. Before: what the host is allocated and what it uses at the
 * chosen percentile (scan samples and sysstat history together). After: each service's request,
 * computed by plan/resources.ts (percentile use × headroom, with floors) so the report and
 * plan.yaml agree under the same policy; the as-is share of the original allocation beside it.
 */
import {percentile, resources, type SizingPolicy} from '../plan/resources.js'
import type {HostFacts} from '../types/facts.js'
import type {Coverage, Figure, SizingMode} from '../types/report.js'
import {cpuMeasured} from './confidence.js'
import {figure, gib, round} from './figure.js'

export interface Usage {
  allocated: Figure
  used: Figure
}

export interface HostBefore {
  cpu: Usage
  memory: Usage
}

export interface Sized {
  used: {cpu: Figure; memory: Figure}
  asIs: {cpu: Figure; memory: Figure}
  request: {cpu: Figure; memory: Figure}
}

export function hostBefore(facts: HostFacts, policy: SizingPolicy, cov: Coverage): HostBefore {
  const {cpus, memoryBytes} = facts.capacity
  const memGiB = gib(memoryBytes)
  const u = facts.utilisation
  const cpuSeries = [...u.samples, ...u.history].flatMap((p) => (p.cpuBusyPercent === undefined ? [] : [p.cpuBusyPercent]))
  const memSeries = [...u.samples.map((s) => gib(s.memoryUsedBytes)), ...u.history.flatMap((h) => (h.memoryUsedPercent === undefined ? [] : [(h.memoryUsedPercent / 100) * memGiB]))]
  const p = policy.percentile
  const cpuBusy = cpuSeries.length > 0 ? percentile(cpuSeries, p) : null
  const memUsed = memSeries.length > 0 ? percentile(memSeries, p) : null
  const read = 'read from /proc on the host'
  return {
    cpu: {
      allocated: figure(cpus, 'vCPU', `CPUs the host has (${read})`, {cpus}, 'high'),
      used: figure(cpuBusy === null ? null : (cpuBusy / 100) * cpus, 'vCPU',
        cpuBusy === null ? 'not measured: no CPU rate (scan with --sample)' : `p${p} of ${cpuSeries.length} CPU busy reading(s) (samples and history) × CPUs`,
        {percentile: p, readings: cpuSeries.length, busyPercent: cpuBusy, cpus}, cov.confidence),
    },
    memory: {
      allocated: figure(memGiB, 'GiB', `MemTotal (${read})`, {memoryBytes}, 'high'),
      used: figure(memUsed, 'GiB',
        memUsed === null ? 'not measured: no utilisation sample (scan with --sample)' : `p${p} of ${memSeries.length} reading(s) of MemTotal − MemAvailable (page cache not counted)`,
        {percentile: p, readings: memSeries.length}, cov.confidence),
    },
  }
}

/** A set of processes' use at a percentile, without headroom or floors: what they really used. */
export function measuredUse(pids: number[], facts: HostFacts, pct: number): {cpu: number | null; memoryGiB: number} {
  const raw = resources(pids, facts, {percentile: pct, headroom: 1, floorCpu: 0, floorMemoryMiB: 0})
  return {cpu: cpuMeasured(facts) ? raw.cpu : null, memoryGiB: raw.memoryMiB / 1024}
}

/** Sizes each service of a host; shares of the allocation are split by measured use, equally when none was. */
export function sizeServices(services: {name: string; pids: number[]}[], facts: HostFacts, mode: SizingMode, policy: SizingPolicy, before: HostBefore, cov: Coverage): Sized[] {
  const use = services.map((s) => measuredUse(s.pids, facts, policy.percentile))
  const totals = {cpu: use.reduce((n, u) => n + (u.cpu ?? 0), 0), memoryGiB: use.reduce((n, u) => n + u.memoryGiB, 0)}
  const share = (key: 'cpu' | 'memoryGiB', i: number) => (totals[key] > 0 ? (use[i]![key] ?? 0) / totals[key] : 1 / services.length)
  return services.map((s, i) => {
    const u = use[i]!
    const usedBasis = `p${policy.percentile} of the summed use of its ${s.pids.length} process(es) over the scan's samples`
    const used = {
      cpu: figure(u.cpu, 'vCPU', u.cpu === null ? 'not measured: no CPU rate (scan with --sample)' : usedBasis, {percentile: policy.percentile, processes: s.pids.length}, cov.confidence),
      memory: figure(u.memoryGiB, 'GiB', facts.utilisation.samples.length > 0 ? usedBasis : 'RSS in one process listing (no sample)', {percentile: policy.percentile, processes: s.pids.length}, cov.confidence),
    }
    const asIs = {
      cpu: asIsFigure(before.cpu.allocated, share('cpu', i), 'vCPU', services.length, use.some((x) => (x.cpu ?? 0) > 0)),
      memory: asIsFigure(before.memory.allocated, share('memoryGiB', i), 'GiB', services.length, use.some((x) => x.memoryGiB > 0)),
    }
    if (mode === 'same-as-source') {
      return {used, asIs, request: {cpu: {...asIs.cpu, basis: `same-as-source: ${asIs.cpu.basis}`}, memory: {...asIs.memory, basis: `same-as-source: ${asIs.memory.basis}`}}}
    }
    const r = resources(s.pids, facts, policy)
    const inputs = {percentile: policy.percentile, headroom: policy.headroom}
    const cpu = cpuMeasured(facts)
      ? figure(r.cpu, 'vCPU', `${r.basis} (plan/resources.ts)`, {...inputs, used: u.cpu, floor: policy.floorCpu}, cov.confidence)
      // No rate measured: claiming a CPU saving would be a guess, so the service keeps its share.
      : figure(asIs.cpu.value, 'vCPU', `CPU not measured: kept at the as-is share (${asIs.cpu.basis})`, {asIs: asIs.cpu.value}, 'none')
    const memory = figure(r.memoryMiB / 1024, 'GiB', `${r.basis} (plan/resources.ts)`, {...inputs, usedMiB: round(u.memoryGiB * 1024, 1), floorMiB: policy.floorMemoryMiB}, cov.confidence === 'none' ? 'low' : cov.confidence)
    return {used, asIs, request: {cpu, memory}}
  })
}

function asIsFigure(allocated: Figure, share: number, unit: string, count: number, measured: boolean): Figure {
  const basis = measured ? 'the host\'s allocation × this service\'s share of the services\' measured use' : `the host's allocation split equally between its ${count} service(s) (no use measured)`
  return figure((allocated.value ?? 0) * share, unit, basis, {allocated: allocated.value, share: round(share, 4)}, measured ? allocated.confidence : 'low')
}
