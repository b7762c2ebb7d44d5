/**
 * The part of the Compose specification Hoist writes. Long syntax throughout (ports, volumes,
 * depends_on): every field is named, nothing depends on how a YAML reader types `80:80`.
 */
export interface ComposeFile {
  /** The project name: the host's. */
  name: string
  services: Record<string, ComposeService>
  volumes?: Record<string, ComposeVolume>
  secrets?: Record<string, ComposeSecret>
}

export interface ComposeService {
  build: {context: string; dockerfile: string}
  image: string
  user: string
  restart: 'unless-stopped' | 'no'
  /** `batch` for cron-driven services: `up` leaves them out, `run` starts one. */
  profiles?: string[]
  labels: Record<string, string>
  ports?: ComposePort[]
  volumes?: ComposeVolumeMount[]
  /** Names of top-level secrets, mounted at /run/secrets/<name>. */
  secrets?: string[]
  healthcheck?: ComposeHealthcheck
  depends_on?: Record<string, {condition: DependencyCondition}>
  cap_drop: ['ALL']
  cap_add?: string[]
  deploy: {resources: {limits: {memory: string}; reservations: {cpus: number; memory: string}}}
}

export type DependencyCondition = 'service_started' | 'service_healthy'

export interface ComposePort {
  target: number
  /** A string in the specification (it may be a range). */
  published: string
  protocol: 'tcp' | 'udp'
  /** 127.0.0.1 when the original listened on loopback only: publishing wider would open it up. */
  host_ip?: string
}

export interface ComposeVolumeMount {
  type: 'volume'
  source: string
  target: string
}

export interface ComposeVolume {
  labels: Record<string, string>
}

/** The value comes from a file in a folder outside the output folder, named by $HOIST_SECRETS_DIR at `up` time. */
export interface ComposeSecret {
  file: string
}

export interface ComposeHealthcheck {
  test: string[]
  interval: string
  timeout: string
  retries: number
  start_period: string
}
