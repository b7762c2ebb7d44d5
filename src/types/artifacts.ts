/**
 * Artifacts: what `hoist generate` wrote for one host, and what compose, LinuxKit, Kubernetes and
 * the report build on. Written to hosts/<host>/artifacts.json.
 *
 * Paths are relative to the host folder (hosts/<host>/), with forward slashes.
 */
export const ARTIFACTS_SCHEMA_VERSION = 1

export interface Artifacts {
  schemaVersion: typeof ARTIFACTS_SCHEMA_VERSION
  host: string
  generatedAt: string
  services: GeneratedService[]
  /** Services of the plan that got no Dockerfile, and why (excluded, cannot be lifted faithfully). */
  skipped: {service: string; reason: string}[]
}

export interface GeneratedService {
  name: string
  kind: string
  /** Local image name the Dockerfile builds, e.g. `hoist/legacy-nginx:1`. */
  image: string
  /** The build context folder, e.g. `services/nginx`; the Dockerfile is at its root. */
  context: string
  baseImage: string
  ports: {port: number; protocol: 'tcp' | 'udp'}[]
  /** Data paths: each a named volume in compose, a disk mount in LinuxKit, a PVC in Kubernetes. */
  volumes: {name: string; path: string; role: string; sizeBytes?: number}[]
  /** Run-as user in the image: name and numeric ids (the original's, when the host showed them). */
  user: {name: string; uid?: number; gid?: number}
  /** Non-secret environment baked into the image. */
  environment: Record<string, string>
  /**
   * Values redacted on the host. Each is supplied at run time as the file /run/secrets/<name> or the
   * environment variable <name>; the image's entrypoint puts it back where the original had it.
   */
  secrets: {name: string; source: string}[]
  healthcheck?: {test: string[]; intervalSeconds: number; timeoutSeconds: number; retries: number; startPeriodSeconds: number}
  /** Exec form, as in the Dockerfile. */
  command: string[]
  /** Other services on this host this one talks to (from the observed dependencies). */
  dependsOn: string[]
  /** Linux capabilities beyond none the service needs, e.g. CAP_NET_BIND_SERVICE for a port below 1024. */
  capabilities: string[]
  resources: {cpu: number; memoryMiB: number}
  /** Cron-driven services: the schedule the original ran on. */
  schedule?: string
  /** The data-migration script for cut-over, e.g. `services/postgresql/migrate.sh`. */
  migration?: string
  /** How the original answered when it was generated: `hoist verify` expects the same of the container. */
  original?: {question: Question; answer: Answer; recordedAt: string}
}

/** A question asked of a service from inside its own network namespace (see verify/answers.ts). */
export type Question =
  | {type: 'http'; port: number; path: string}
  | {type: 'tcp'; port: number}
  | {type: 'command'; command: string[]}

export interface Answer {
  ok: boolean
  /** HTTP status, or the command's exit code. */
  status?: number
  /** HTTP body, TCP banner, or the command's output. */
  body: string
  detail: string
}
