/**
 * Report: the fixed-scope report of one host (hosts/<host>/report.json) or of the portfolio
 * (report.json at the workspace root). Both have the same shape: a host report is the portfolio of
 * one host. Every number is a Figure that names what it was computed from, so report.json can
 * explain each figure the HTML and Markdown show.
 */
import type {AttackSurface} from '../report/attack-surface.js'

export const REPORT_SCHEMA_VERSION = 1

export type Confidence = 'high' | 'medium' | 'low' | 'none'
export type Platform = 'vm' | 'bare-metal' | 'container' | 'unknown'
export type SizingMode = 'same-as-source' | 'moderate' | 'aggressive'

/** The customer's unit prices (src/report/settings.ts has Hoist's defaults; hoist.yaml `prices:`). */
export interface Prices {
  currency: string
  vcpuHour: number
  gibHour: number
  nodeHour: number
}

/** A target node's size (hoist.yaml `node:`). */
export interface NodeSize {
  vcpu: number
  memoryGiB: number
  /** What the substrate itself keeps on each node (kernel, init, containerd). */
  reservedVcpu: number
  reservedMemoryGiB: number
}

export interface Figure {
  /** null: not measured. Said as such, never shown as zero. */
  value: number | null
  /** vCPU, GiB, %, days, nodes, or a currency per month / year (e.g. "EUR/month"). */
  unit: string
  /** How the value was computed, in words. */
  basis: string
  /** The values it was computed from, by name. */
  inputs: Record<string, number | string | null>
  confidence: Confidence
}

export interface Money {
  monthly: Figure
  yearly: Figure
}

export interface Assumption {
  key: string
  label: string
  value: string | number
  /** default: Hoist's own; config: hoist.yaml (or --config); mode: the preset of the sizing mode. */
  source: 'default' | 'config' | 'mode'
  note?: string
}

export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  scope: 'host' | 'portfolio'
  generatedAt: string
  mode: SizingMode
  currency: string
  /** The config file the assumptions came from, when there was one. */
  configFile?: string
  assumptions: Assumption[]
  hosts: HostReport[]
  totals: Totals
  packing: Packing
  ranking: {hosts: Ranked[]; applications: Ranked[]}
  waves: Wave[]
  /** The hosts' next steps, and the portfolio's own (a node size that fits better). */
  nextSteps: string[]
}

export interface Totals {
  cpu: {allocated: Figure; after: Figure}
  memory: {allocated: Figure; after: Figure}
  cost: {before: Money; after: Money; saving: Money; savingPercent: Figure}
  /** The rule of thumb the engagement was sold on, beside the measured estimate. */
  industry: Money
  days: Figure
}

export interface HostReport {
  host: string
  hostname: string
  platform: Platform
  virtualization: string
  os: {prettyName: string; endOfLife?: string}
  /** Which workspace documents the report was built from. */
  inputs: {artifacts: boolean}
  coverage: Coverage
  before: {cpu: {allocated: Figure; used: Figure}; memory: {allocated: Figure; used: Figure}}
  /** In-scope requests, and the share of target nodes they take. */
  after: {cpu: Figure; memory: Figure; nodes: Figure}
  /** Where the difference goes: capacity never used, and the OS overhead that disappears. */
  credits: {cpu: Credit[]; memory: Credit[]}
  cost: {before: Money; after: Money; saving: Money; savingPercent: Figure; industry: Industry}
  applications: Application[]
  effort: {lines: EffortLine[]; days: Figure; fitsScope: boolean}
  scope: {in: ScopeItem[]; out: ScopeItem[]}
  risks: Risk[]
  nextSteps: string[]
  attackSurface?: AttackSurface
}

export interface Coverage {
  samples: number
  sampleSeconds: number
  historyPoints: number
  historyDays: number
  historySource?: string
  confidence: Confidence
  basis: string
}

export type CreditId = 'idle' | 'page-cache' | 'kernel' | 'agents' | 'other-processes' | 'headroom'

export interface Credit {
  id: CreditId
  label: string
  /** Removed from the host's allocation by the move; headroom is added back (negative). */
  figure: Figure
}

export interface Industry {
  /** null: no rule of thumb for this platform. */
  percent: number | null
  label: string
  saving: Money
}

export interface Application {
  name: string
  workload: string
  kind: string
  rule: string
  inScope: boolean
  why: string
  evidence: string[]
  used: {cpu: Figure; memory: Figure}
  /** The host's allocation, split between its applications by their measured use. */
  asIs: {cpu: Figure; memory: Figure}
  request: {cpu: Figure; memory: Figure}
  /** plan.yaml's resources, for comparison (the consultant may have edited them). */
  planned: {cpu: number; memoryMiB: number; basis: string}
  saving: Money
  effort: {days: Figure; lines: EffortLine[]}
  fitsScope: boolean
}

export interface EffortLine {
  factor: string
  days: number
  why: string
}

export interface ScopeItem {
  name: string
  why: string
}

export interface Risk {
  level: 'high' | 'medium' | 'low'
  code: string
  message: string
  service?: string
}

export interface Packing {
  node: NodeSize
  nodes: PackedNode[]
  count: Figure
  /** How full the packed nodes are, by the fuller of CPU and memory. */
  fill: Figure
}

export interface PackedNode {
  index: number
  /** More than 1 when one service needs more than a node: it gets that many nodes' worth. */
  units: number
  items: {host: string; service: string; cpu: number; memoryGiB: number}[]
  cpu: number
  memoryGiB: number
}

export interface Ranked {
  host: string
  application?: string
  savingMonthly: number
  days: number
  /** Monthly saving per day of effort: the order of the ranking. */
  perDay: number
  /** The wave it moves in; for a host, the wave its last application moves in (when it can be retired). */
  wave: number
}

/** Applications that move together in one fixed scope; a host's own days count in its first wave. */
export interface Wave {
  index: number
  hosts: string[]
  /** host/application */
  applications: string[]
  days: number
  savingMonthly: number
}
