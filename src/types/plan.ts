/** Plan: what to build for one host. Written to hosts/<host>/plan.yaml; the consultant may edit it. */
export const PLAN_SCHEMA_VERSION = 1

export type BaseImagePolicy = 'same-os' | 'official'

export interface Plan {
  schemaVersion: typeof PLAN_SCHEMA_VERSION
  host: string
  os: {id: string; versionId: string; endOfLife?: string}
  services: Service[]
  excluded: {name: string; rule: string; reason: string}[]
  unresolved: {service: string; question: string}[]
  decisions: {service: string; field: string; decision: string; because: string}[]
}

export interface Service {
  name: string
  /** The inventory workload this service lifts. */
  workload: string
  rule: string
  kind: string
  include: boolean
  baseImage: {policy: BaseImagePolicy; image: string}
  /** Host packages installed, at the host's versions, in a same-os image. */
  packages: {name: string; version: string}[]
  /** Copied read-only from the host into the build context. */
  files: {path: string; role: string}[]
  volumes: {path: string; role: string; sizeBytes?: number}[]
  ports: {port: number; protocol: 'tcp' | 'udp'}[]
  user: string
  /** The original's command line, as observed (process argv or unit ExecStart). */
  command: string[]
  workingDir?: string
  environment: Record<string, string>
  /** Names of values redacted on the host: supplied at run time, never in the image. */
  secrets: string[]
  /** Linux capabilities beyond none (NET_BIND_SERVICE below port 1024; SETUID/SETGID for a root master with workers). */
  capabilities: string[]
  /** Services on this host it talks to, from the observed connections and configuration. */
  dependsOn: string[]
  healthcheck?: {type: 'http'; port: number; path: string} | {type: 'tcp'; port: number} | {type: 'command'; command: string[]}
  resources: {cpu: number; memoryMiB: number; basis: string}
  /** Cron-driven services: when the original ran. */
  schedule?: string
  template?: string
}
