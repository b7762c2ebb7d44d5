/** Inventory: the applications detect found on one host. Written to hosts/<host>/inventory.json. */
export const INVENTORY_SCHEMA_VERSION = 1

export type WorkloadKind =
  | 'webserver' | 'appserver' | 'runtime' | 'database' | 'cache' | 'queue' | 'search' | 'proxy' | 'batch' | 'generic' | 'system'

export interface Inventory {
  schemaVersion: typeof INVENTORY_SCHEMA_VERSION
  host: string
  os: {id: string; versionId: string; prettyName: string; endOfLife?: string}
  detectedAt: string
  /** Ids of the rules that were loaded, and the ruleset hash: re-running with other rules is visible. */
  rules: {count: number; sha256: string}
  workloads: Workload[]
  /** OS plumbing recognised as such (sshd, cron, init): replaced by the substrate, not lifted. */
  system: SystemService[]
  unclaimed: {processes: UnclaimedProcess[]; ports: UnclaimedPort[]}
  /** Host-wide blockers (end-of-life OS, …); workload blockers sit on their workloads. */
  blockers: Blocker[]
}

export interface Workload {
  /** Unique on the host; becomes the service name. */
  id: string
  rule: string
  kind: WorkloadKind
  name: string
  version?: string
  runtime?: {name: string; version?: string}
  processes: {pid: number; comm: string; argv: string[]}[]
  /** A cron-driven workload's schedule and source. */
  schedule?: {schedule: string; source: string; command: string}
  unit?: string
  user?: string
  ports: {protocol: 'tcp' | 'udp'; port: number; address: string}[]
  configPaths: PathRef[]
  dataPaths: PathRef[]
  logPaths: PathRef[]
  workingDirectory?: string
  /** Command line as observed (argv of the main process, or the unit's ExecStart). */
  command: string[]
  environment: Record<string, string>
  /** Names of environment variables whose values were redacted: they become runtime secrets. */
  secrets: string[]
  dependencies: Dependency[]
  packages: {name: string; version: string}[]
  confidence: number
  evidence: Evidence[]
  blockers: Blocker[]
  /** Passed on from the rule to the plan. */
  hints: WorkloadHints
}

export interface WorkloadHints {
  healthcheck?: {http?: string; tcp?: boolean; command?: string[]}
  officialImage?: string
  template?: string
}

export interface PathRef {
  path: string
  role?: string
  sizeBytes?: number
  /** Whether the host showed this path exists (a data path, an open file, a unit, a package). */
  seen: boolean
}

export interface Dependency {
  kind: 'workload' | 'external'
  /** Workload id for local dependencies; host:port for external ones. */
  target: string
  port: number
  evidence: string
}

export interface Evidence {
  field: string
  /** Which fact produced it, e.g. "processes[pid=812].comm", "packages[nginx]". */
  fact: string
  value: string
}

export interface Blocker {
  code:
    | 'eol-os' | 'kernel-module' | 'device' | 'privileged' | 'host-ip' | 'gui' | 'licence'
    | 'local-ipc' | 'large-data' | 'data-unsized' | 'unknown-command'
  message: string
  evidence: string
  severity: 'warning' | 'blocking'
}

export interface SystemService {
  rule: string
  name: string
  pids: number[]
  reason: string
}

export interface UnclaimedProcess {
  pid: number
  comm: string
  user?: string
  argv: string[]
}

export interface UnclaimedPort {
  protocol: string
  address: string
  port: number
  pid?: number
}
