import type {WorkloadKind} from './inventory.js'

/** A detector rule, as written in rulesets/<id>.yaml. The schema (detect/rule.schema.ts) is strict. */
export interface Rule {
  id: string
  title: string
  summary: string
  kind: WorkloadKind
  /** Higher wins when two rules claim the same process; the generic fallback is 0. Default 50. */
  precedence?: number
  /** Confidence of a match whose conditions all hold (0–1). Default 0.9. */
  confidence?: number
  match: RuleMatch
  capture?: Record<string, CaptureSource[]>
  emit: RuleEmit
  examples: RuleExample[]
}

export interface RuleMatch {
  /** The anchor: a rule claims processes, or cron entries. Exactly one. */
  process?: ProcessMatcher
  cron?: CronMatcher
  /** Every condition must hold on the host. */
  all?: Condition[]
  /** At least one must hold (when given). */
  any?: Condition[]
  /** None may hold. */
  none?: Condition[]
}

export interface ProcessMatcher {
  comm?: string
  exe?: string
  /** Matched against argv joined with single spaces. */
  argv?: string
  user?: string
  /** Only processes that own a listening socket (the generic fallback). */
  listening?: boolean
}

export interface CronMatcher {
  command?: string
  user?: string
  source?: string
}

export type Condition =
  | {package: {name: string; version?: string}}
  | {port: number}
  | {unit: {name: string; execStart?: string}}
  | {path: string}
  | {os: {id?: string; versionId?: string}}
  | {process: ProcessMatcher}
  | {cron: CronMatcher}

export type CaptureSource =
  | {package: string}
  | {argv: string}
  | {exe: string}
  | {env: string}
  | {unit: string}
  | {default: string}

export interface RuleEmit {
  name: string
  runtime?: {name: string; version?: string}
  version?: string
  configPaths?: (string | {path: string; role?: string})[]
  dataPaths?: (string | {path: string; role?: string})[]
  logPaths?: string[]
  /** Host packages the service needs (regexes over package names), installed in a same-os image. */
  packages?: string[]
  healthcheck?: {http?: string; tcp?: boolean; command?: string[]}
  officialImage?: string
  template?: string
  /** OS plumbing: recognised so nothing is silently dropped, but not lifted. */
  system?: string
}

export interface RuleExample {
  /** A HostFacts fixture, relative to the repository root. */
  facts: string
  /** Workloads this rule must produce on those facts (empty: it must not match). */
  expect: ExpectedWorkload[]
}

export interface ExpectedWorkload {
  name?: string
  ports?: number[]
  user?: string
  version?: string
  command?: string
  configPaths?: string[]
  dataPaths?: string[]
}
