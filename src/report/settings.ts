/**
 * Every assumption of the report in one place: Hoist's defaults, the sizing mode's preset, and what
 * hoist.yaml says, in that order of precedence (hoist.yaml wins). Each one is listed in the report
 * with its value and where it came from, so a customer can see what the figures stand on.
 */
import type {EffortFactorKey, HoistConfig} from '../config.js'
import {DEFAULT_SIZING, type SizingPolicy} from '../plan/resources.js'
import type {Assumption, NodeSize, Prices, SizingMode} from '../types/report.js'


export type EffortFactors = Record<EffortFactorKey, number> & {kinds: Record<string, number>}

export interface ReportSettings {
  mode: SizingMode
  sizing: SizingPolicy
  prices: Prices
  node: NodeSize
  /** No `node:` in hoist.yaml: the portfolio packs onto the cheapest size of NODE_CATALOGUE instead. */
  nodeChosen: boolean
  effort: EffortFactors
  /** The rule-of-thumb saving the engagement was sold on, by platform, in percent. */
  industry: {vm: number; bareMetal: number}
  assumptions: Assumption[]
}

/**
 * What each sizing mode changes from the defaults (p95 × 1.3 with floors, the plan's own policy):
 * same-as-source: nothing right-sized, each container keeps its share of the host's allocation
 *   (percentile and headroom then only describe the measured use shown beside it);
 * moderate: the defaults, nothing planned above ~77% busy;
 * aggressive: p90 × 1.1, for steady workloads whose peaks are known.
 */
const MODES: Record<SizingMode, {percentile?: number; headroom?: number}> = {
  'same-as-source': {},
  moderate: {},
  aggressive: {percentile: 90, headroom: 1.1},
}

// Round placeholders (the wizard offers the same), in the range of on-demand cloud list prices: the
// report says they are Hoist's, and asks for the customer's own.
export const DEFAULT_PRICES: Prices = {currency: 'EUR', vcpuHour: 0.04, gibHour: 0.005, nodeHour: 0}
const DEFAULT_NODE: NodeSize = {vcpu: 4, memoryGiB: 16, reservedVcpu: 0.1, reservedMemoryGiB: 0.5}
/** Common machine shapes (vCPU, GiB), for packing when hoist.yaml names no node size. */
export const NODE_CATALOGUE: NodeSize[] = [[1, 2], [2, 4], [2, 8], [4, 8], [4, 16], [8, 32], [16, 64], [32, 128]].map(([vcpu, memoryGiB]) => ({
  vcpu: vcpu!, memoryGiB: memoryGiB!, reservedVcpu: DEFAULT_NODE.reservedVcpu, reservedMemoryGiB: DEFAULT_NODE.reservedMemoryGiB,
}))
export const DEFAULT_EFFORT: EffortFactors = {
  kinds: {webserver: 1, proxy: 1, cache: 0.5, batch: 0.5, runtime: 1.5, queue: 1.5, appserver: 2, database: 2, search: 2, generic: 2},
  perHost: 1,
  perDependency: 0.25,
  perWarning: 0.5,
  perBlocking: 2,
  per100GiB: 0.5,
  perOpenQuestion: 0.25,
  notGenerated: 1,
  lowConfidence: 0.5,
  scopeDays: 5,
}
const INDUSTRY = {vm: 25, bareMetal: 50}
/** 730 hours a month, 8,760 a year: a month is a twelfth of a year. */
export const HOURS_PER_MONTH = 730

const LABELS: Record<string, string> = {
  mode: 'Sizing mode',
  percentile: 'Percentile of measured use sized for (100 = peak)',
  headroom: 'Headroom over that use',
  floorCpu: 'Smallest CPU request (vCPU)',
  floorMemoryMiB: 'Smallest memory request (MiB)',
  'prices.currency': 'Currency',
  'prices.vcpuHour': 'Price per vCPU-hour',
  'prices.gibHour': 'Price per GiB-hour of memory',
  'prices.nodeHour': 'Price per machine-hour (licences, management), source host or target node',
  'node.vcpu': 'Target node vCPU',
  'node.memoryGiB': 'Target node memory (GiB)',
  'node.reservedVcpu': 'vCPU kept by the substrate on each node',
  'node.reservedMemoryGiB': 'Memory kept by the substrate on each node (GiB)',
  'industry.vm': 'Industry rule of thumb: compute saved leaving a VM (%)',
  'industry.bareMetal': 'Industry rule of thumb: compute saved leaving bare metal (%)',
  hoursPerMonth: 'Hours in a month',
}

export function reportSettings(config: HoistConfig): ReportSettings {
  const assumptions: Assumption[] = []
  const pick = <T extends string | number>(key: string, fallback: T, configured: T | undefined, preset?: T, label?: string): T => {
    const source = configured !== undefined ? 'config' : preset !== undefined ? 'mode' : 'default'
    const value = configured ?? preset ?? fallback
    assumptions.push({key, label: label ?? LABELS[key] ?? key, value, source})
    return value
  }
  const mode = pick<SizingMode>('mode', 'moderate', config.mode)
  const preset = MODES[mode]
  const sizing: SizingPolicy = {
    percentile: pick('percentile', DEFAULT_SIZING.percentile, config.percentile, preset.percentile),
    headroom: pick('headroom', DEFAULT_SIZING.headroom, config.headroom, preset.headroom),
    floorCpu: pick('floorCpu', DEFAULT_SIZING.floorCpu, undefined),
    floorMemoryMiB: pick('floorMemoryMiB', DEFAULT_SIZING.floorMemoryMiB, undefined),
  }
  const prices = Object.fromEntries(Object.entries(DEFAULT_PRICES).map(([k, v]) => [k, pick(`prices.${k}`, v, config.prices?.[k as keyof Prices])])) as unknown as Prices
  const node = Object.fromEntries(Object.entries(DEFAULT_NODE).map(([k, v]) => [k, pick(`node.${k}`, v as number, config.node?.[k as keyof NodeSize])])) as unknown as NodeSize
  const kinds = Object.fromEntries(Object.entries(DEFAULT_EFFORT.kinds).map(([k, v]) => [k, pick(`effort.kinds.${k}`, v, config.effort?.kinds?.[k], undefined, `Days to lift one ${k} application`)]))
  const factors = Object.fromEntries(
    Object.entries(DEFAULT_EFFORT).filter(([k]) => k !== 'kinds').map(([k, v]) => [k, pick(`effort.${k}`, v as number, config.effort?.[k as EffortFactorKey], undefined, EFFORT_LABELS[k as EffortFactorKey])]),
  ) as Record<EffortFactorKey, number>
  const industry = {vm: pick('industry.vm', INDUSTRY.vm, undefined), bareMetal: pick('industry.bareMetal', INDUSTRY.bareMetal, undefined)}
  pick('hoursPerMonth', HOURS_PER_MONTH, undefined)
  return {mode, sizing, prices, node, nodeChosen: config.node === undefined, effort: {...factors, kinds}, industry, assumptions}
}

const EFFORT_LABELS: Record<EffortFactorKey, string> = {
  perHost: 'Days per host (access, substrate, cut-over of the machine)',
  perDependency: 'Days per dependency to rewire',
  perWarning: 'Days per warning blocker',
  perBlocking: 'Days per blocking blocker',
  per100GiB: 'Days per started 100 GiB of data to migrate (above 1 GiB)',
  perOpenQuestion: 'Days per open question in plan.yaml',
  notGenerated: 'Days for a service generate could not lift faithfully',
  lowConfidence: 'Days to investigate a detection with confidence below 0.7',
  scopeDays: 'Days in one fixed scope (a wave)',
}
