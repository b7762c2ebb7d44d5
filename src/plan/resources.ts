import type {HostFacts} from '../types/facts.js'

export interface SizingPolicy {
  /** Requests are p95 use × headroom (1.3: nothing planned above ~77 % busy). */
  headroom: number
  percentile: number
  floorCpu: number
  floorMemoryMiB: number
}

export const DEFAULT_SIZING: SizingPolicy = {headroom: 1.3, percentile: 95, floorCpu: 0.05, floorMemoryMiB: 32}

/** A service's CPU (cores) and memory request from the scan's samples of its processes. */
export function resources(pids: number[], facts: HostFacts, policy = DEFAULT_SIZING): {cpu: number; memoryMiB: number; basis: string} {
  const mine = new Set(pids)
  const samples = facts.utilisation.samples
  const memory = samples.map((s) => s.processes.filter((p) => mine.has(p.pid)).reduce((sum, p) => sum + p.rssBytes, 0))
  // CPU is a rate: only samples after the first carry it.
  const cpu = samples.slice(1).map((s) => s.processes.filter((p) => mine.has(p.pid)).reduce((sum, p) => sum + (p.cpuPercent ?? 0), 0) / 100)
  if (memory.length === 0) {
    const rss = facts.processes.filter((p) => mine.has(p.pid)).reduce((sum, p) => sum + p.rssBytes, 0)
    memory.push(rss)
  }
  const memoryMiB = Math.max(policy.floorMemoryMiB, round((percentile(memory, policy.percentile) / 2 ** 20) * policy.headroom))
  const cpuCores = cpu.length > 0 ? Math.max(policy.floorCpu, round(percentile(cpu, policy.percentile) * policy.headroom, 3)) : policy.floorCpu
  const basis =
    cpu.length > 0
      ? `p${policy.percentile} of ${samples.length} samples × ${policy.headroom} headroom (floors ${policy.floorCpu} CPU, ${policy.floorMemoryMiB} MiB)`
      : `one reading, no CPU rate: CPU is the floor (${policy.floorCpu}); memory is RSS × ${policy.headroom}. Scan with --sample for measured figures`
  return {cpu: cpuCores, memoryMiB, basis}
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits
  // Up, so a request never falls below the measure; but 3 × 1.3 = 3.9000000000000004 is 3.9, not 3.901.
  return Math.ceil(Number((n * f).toPrecision(12))) / f
}
