/** HostFacts: everything collect learns about one host. Written to hosts/<host>/facts.json. */
export const FACTS_SCHEMA_VERSION = 1

export type TransportName = 'ssh' | 'local' | 'snapshot'
export type InitSystem = 'systemd' | 'sysvinit' | 'openrc' | 'busybox' | 'upstart' | 'unknown'
export type PackageManager = 'dpkg' | 'rpm' | 'apk'
export type SocketProtocol = 'tcp' | 'tcp6' | 'udp' | 'udp6'

export interface HostFacts {
  schemaVersion: typeof FACTS_SCHEMA_VERSION
  host: HostIdentity
  collectedAt: string
  probe: ProbeInfo
  os: OsFacts
  capacity: Capacity
  processes: ProcessFact[]
  listeners: Listener[]
  connections: Connection[]
  packages: PackageFact[]
  units: UnitFact[]
  cron: CronEntry[]
  mounts: MountFact[]
  dataPaths: DataPathFact[]
  users: UserFact[]
  groups: GroupFact[]
  sysctl: SysctlSetting[]
  network: NetworkFacts
  kernelModules: string[]
  utilisation: Utilisation
  probeErrors: ProbeError[]
  transcript: TranscriptEntry[]
}

export interface HostIdentity {
  /** The workspace name: hosts/<name>/. */
  name: string
  /** What the host calls itself. */
  hostname: string
  transport: TransportName
  target?: string
  address?: string
  port?: number
  user?: string
  sudo: boolean
  /** The user id the probe ran as on the host (0 with --sudo). */
  probeUid?: number
}

export interface ProbeInfo {
  version: number
  sha256: string
  durationMs: number
  bytes: number
  /** False when the probe was cut off (time or output cap): some sections are missing. */
  complete: boolean
}

export interface OsFacts {
  id: string
  idLike: string[]
  name: string
  versionId: string
  prettyName: string
  codename?: string
  kernel: string
  arch: string
  /** 'none' for bare metal; a hypervisor or container name; 'unknown' when it could not be told. */
  virtualization: string
  init: InitSystem
}

export interface Capacity {
  cpus: number
  cpuModel?: string
  memoryBytes: number
  swapBytes: number
}

export interface ProcessFact {
  pid: number
  ppid: number
  uid?: number
  user?: string
  comm: string
  exe?: string
  argv: string[]
  cwd?: string
  /** Secret-looking values already replaced by the redaction marker; absent when unreadable. */
  env?: Record<string, string>
  rssBytes: number
  cpuSeconds: number
  startedAt?: string
  threads?: number
  unit?: string
  cgroup?: string
}

export interface Listener {
  protocol: SocketProtocol
  address: string
  port: number
  pid?: number
  inode: number
}

export interface Connection {
  protocol: SocketProtocol
  localAddress: string
  localPort: number
  peerAddress: string
  peerPort: number
  pid?: number
}

export interface PackageFact {
  manager: PackageManager
  name: string
  version: string
  arch?: string
}

export interface UnitFact {
  name: string
  kind: 'systemd' | 'sysv' | 'openrc'
  path?: string
  description?: string
  execStart?: string
  user?: string
  group?: string
  workingDirectory?: string
  environmentFiles: string[]
  /** From Environment= lines and the EnvironmentFile contents, secrets redacted. */
  environment: Record<string, string>
  enabled?: boolean
  active?: string
}

export interface CronEntry {
  kind: 'cron' | 'systemd-timer' | 'periodic'
  /** The file (or timer unit) the entry comes from. */
  source: string
  user?: string
  schedule: string
  command: string
}

export interface MountFact {
  device: string
  mountPoint: string
  fsType: string
  options: string[]
  sizeBytes?: number
  usedBytes?: number
  availBytes?: number
}

export type DataPathReason = 'open-file' | 'working-directory' | 'well-known'

export interface DataPathFact {
  path: string
  sizeBytes?: number
  reasons: DataPathReason[]
  pids: number[]
}

export interface UserFact {
  name: string
  uid: number
  gid: number
  home: string
  shell: string
}

export interface GroupFact {
  name: string
  gid: number
  members: string[]
}

export interface SysctlSetting {
  key: string
  value: string
  source: string
}

export interface NetworkFacts {
  addresses: {interface: string; family: 'inet' | 'inet6'; cidr: string}[]
  defaultGateway?: string
  nameservers: string[]
}

export interface Utilisation {
  intervalSeconds: number
  samples: UtilisationSample[]
  history: HistoryPoint[]
  historySource?: string
}

export interface UtilisationSample {
  at: string
  /** Host CPU busy since the previous sample, percent of all CPUs; absent on the first sample. */
  cpuBusyPercent?: number
  memoryUsedBytes: number
  loadAverage?: number
  processes: {pid: number; cpuPercent?: number; rssBytes: number}[]
}

export interface HistoryPoint {
  at: string
  cpuBusyPercent?: number
  memoryUsedPercent?: number
}

export interface ProbeError {
  section: string
  message: string
  excerpt?: string
}

export interface TranscriptEntry {
  section: string
  commands: string[]
  exitCode: number | null
  bytes: number
  truncated: boolean
  /** Time the section took on the host. */
  seconds?: number
}
