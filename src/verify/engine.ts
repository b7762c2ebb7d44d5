/**
 * The container engine `hoist verify` builds and runs the generated images with: whichever of
 * docker, podman or buildah this machine has. One interface over their CLIs, so verify never
 * branches on the engine; what an engine cannot do (buildah runs no long-lived container) is
 * stated by the engine (`canRun`, `whyCannotRun`) for verify to report, not hidden.
 */
import {HoistError} from '../errors.js'
import {buildahEngine} from './buildah-engine.js'
import {cliEngine} from './cli-engine.js'
import {runProcess} from './process.js'

export type EngineName = 'docker' | 'podman' | 'buildah'
export type PullPolicy = 'never' | 'missing'
export type HealthStatus = 'healthy' | 'unhealthy' | 'starting' | 'none'

export interface BuildOptions {
  context: string
  /** Path to the Dockerfile; default CONTEXT/Dockerfile. */
  dockerfile?: string
  tag: string
  /** 'never': the base image must already be in local storage (air-gapped, or pinned by the test). */
  pull: PullPolicy
  /** Network for RUN steps; podman and buildah default to 'host' (chroot isolation has no other). */
  network?: string
  onLine?: (line: string) => void
  timeoutMs: number
}

export interface EngineResult {
  ok: boolean
  log: string
  seconds: number
}

export interface PortMapping {
  host: number
  container: number
  /** Default 127.0.0.1: a verify run must not expose a service on the machine's interfaces. */
  address?: string
}

export interface VolumeMount {
  source: string
  target: string
  readOnly?: boolean
}

/** Env names, secret names and mount sources are checked: a bad one rejects with PLAN_INVALID. */
export interface RunOptions {
  image: string
  name: string
  ports?: PortMapping[]
  /** Passed as --network: 'host', 'none', 'ns:/run/netns/X' (podman, buildah), a network name. */
  network?: string
  env?: Record<string, string>
  /** NAME → host file, mounted read-only at /run/secrets/NAME (as compose secrets are). */
  secrets?: Record<string, string>
  volumes?: VolumeMount[]
  user?: string
  /** Replaces the image's CMD; empty or absent keeps it. */
  command?: string[]
  /** true: start and return the id; false: wait for the command and return its exit code. */
  detach: boolean
  timeoutMs: number
}

export interface RunResult {
  ok: boolean
  id?: string
  log: string
  /** The command's exit code when not detached; 125–127 are the engine's own (it could not start it). */
  exitCode?: number
}

export interface ExecResult {
  /** null when killed by the timeout. */
  exitCode: number | null
  stdout: Buffer
  stderr: string
}

export interface HealthcheckResult {
  status: 'healthy' | 'unhealthy' | 'none'
  /** What the check printed, or why it could not run. */
  output: string
  /** The engine said the container is not running or is gone: it will not become healthy. */
  stopped?: boolean
}

export interface Engine {
  name: EngineName
  /** false for buildah: it runs one-shot commands in a working container, never a service with ports. */
  canRun: boolean
  /** Why canRun is false, in words verify can print. */
  whyCannotRun?: string
  build(options: BuildOptions): Promise<EngineResult>
  run(options: RunOptions): Promise<RunResult>
  exec(container: string, argv: string[], options: {stdin?: string | Buffer; timeoutMs: number}): Promise<ExecResult>
  /** The engine's own health state. Podman without systemd never schedules checks: use runHealthcheck. */
  inspectHealth(container: string): Promise<HealthStatus>
  /** Runs the image's HEALTHCHECK once, now. */
  runHealthcheck(container: string): Promise<HealthcheckResult>
  logs(container: string): Promise<string>
  /** Succeeds when the container is gone, including when it never existed. */
  remove(container: string, options: {force: boolean}): Promise<EngineResult>
  removeImage(tag: string): Promise<EngineResult>
  /** A root filesystem tarball as an image; changes are Dockerfile instructions (CMD, ENV, …). */
  importRootfs(tarPath: string, tag: string, changes: string[]): Promise<EngineResult>
  imageExists(tag: string): Promise<boolean>
  tag(image: string, newTag: string): Promise<EngineResult>
}

const ORDER: EngineName[] = ['docker', 'podman', 'buildah']

/** The cheapest command that proves the engine works here, not merely that its client is installed. */
const PROBES: Record<EngineName, string[]> = {
  // The docker client is often installed without a reachable daemon.
  docker: ['info', '--format', '{{.ServerVersion}}'],
  // info reads storage and the runtime config: it fails where a run would (a bad containers.conf).
  podman: ['info', '--format', '{{.Host.OCIRuntime.Name}}'],
  buildah: ['version'],
}

const PROBE_TIMEOUT_MS = 30_000

/**
 * The first engine that works, in the order docker, podman, buildah; or only `preferred` when
 * given (the user named it, so falling back to another would surprise them).
 */
export async function detectEngine(preferred?: EngineName): Promise<Engine> {
  const reasons: string[] = []
  for (const name of preferred ? [preferred] : ORDER) {
    const reason = await probe(name)
    if (reason === undefined) return name === 'buildah' ? buildahEngine() : cliEngine(name)
    reasons.push(`${name}: ${reason}`)
  }
  const what = preferred ? `The ${preferred} container engine is not usable` : 'No container engine found'
  throw new HoistError(
    'ENGINE_MISSING',
    `${what} (${reasons.join('; ')})`,
    'Install podman (Debian/Ubuntu: apt-get install podman runc buildah) or Docker Engine, or run hoist verify ' +
      'where one is present. If podman is installed but fails, point CONTAINERS_CONF at a containers.conf ' +
      'with runtime = "runc" and cgroup_manager = "cgroupfs" (crun fails on some cgroup setups).',
  )
}

/** undefined when the engine works; otherwise why not, in a few words. */
async function probe(name: EngineName): Promise<string | undefined> {
  const result = await runProcess(name, PROBES[name], {timeoutMs: PROBE_TIMEOUT_MS})
  if (result.missing) return 'not installed'
  if (result.timedOut) return `\`${name} ${PROBES[name][0]}\` did not answer in ${PROBE_TIMEOUT_MS / 1000} s`
  if (result.exitCode === 0) return undefined
  const said = lastLine(result.stderr) || lastLine(result.log)
  return `\`${name} ${PROBES[name][0]}\` failed${said ? `: ${said}` : ''}`
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  )
}
