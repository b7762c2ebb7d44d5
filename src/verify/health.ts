import type {Engine, ExecResult, HealthcheckResult, HealthStatus} from './engine.js'
import {retryUntil} from './retry.js'

/** Docker's default HEALTHCHECK --timeout. */
const DEFAULT_TIMEOUT_MS = 30_000

/** What exec prints when the container it was to run in is stopped or gone. */
const EXEC_STOPPED = /not running|no such container|exited/i

/** A HEALTHCHECK as engines report it in `inspect` (.Config.Healthcheck); durations in ns. */
export interface HealthcheckConfig {
  Test?: string[] | null
  Timeout?: number
}

/** `{{json .State.Health}}` of docker or podman → one status. null or an empty Status: no check. */
export function parseHealthState(json: string): HealthStatus {
  const state = parseJson(json) as {Status?: unknown} | null
  switch (state?.Status) {
    case 'healthy':
      return 'healthy'
    case 'unhealthy':
      return 'unhealthy'
    case 'starting':
      return 'starting'
    default:
      return 'none'
  }
}

/** The last check's output podman recorded (`healthcheck run` itself prints only the verdict). */
export function lastHealthOutput(json: string): string {
  const state = parseJson(json) as {Log?: {Output?: unknown}[] | null} | null
  const output = state?.Log?.at(-1)?.Output
  return typeof output === 'string' ? output : ''
}

/** The argv a HEALTHCHECK test runs: CMD runs as given, CMD-SHELL through /bin/sh as the daemon does. */
export function healthcheckArgv(test: string[] | null | undefined): string[] | undefined {
  const [kind, ...rest] = test ?? []
  if (kind === 'CMD' && rest.length > 0) return rest
  if (kind === 'CMD-SHELL' && rest.length > 0) return ['/bin/sh', '-c', rest.join(' ')]
  return undefined // NONE, or inherited and empty
}

/**
 * Docker has no "run the healthcheck now": do what its daemon does, an exec of the test with the
 * check's timeout, exit 0 healthy. Used for engines whose schedule cannot be relied on.
 */
export async function emulateHealthcheck(
  engine: Pick<Engine, 'exec'>,
  container: string,
  configJson: string,
): Promise<HealthcheckResult> {
  const config = parseJson(configJson) as HealthcheckConfig | null
  const argv = healthcheckArgv(config?.Test)
  if (!argv) return {status: 'none', output: 'the image defines no HEALTHCHECK'}
  const timeoutMs = config?.Timeout ? config.Timeout / 1e6 : DEFAULT_TIMEOUT_MS
  const result: ExecResult = await engine.exec(container, argv, {timeoutMs})
  const output = `${result.stdout.toString('utf8')}${result.stderr}`.trim()
  if (result.exitCode === null) return {status: 'unhealthy', output: `health check timed out after ${timeoutMs / 1000} s\n${output}`}
  if (result.exitCode === 0) return {status: 'healthy', output}
  // exec itself failing on a stopped or removed container says so on stderr, as docker does.
  return EXEC_STOPPED.test(result.stderr) ? {status: 'unhealthy', output, stopped: true} : {status: 'unhealthy', output}
}

/**
 * Runs the HEALTHCHECK until it passes or time runs out, the way a start period works. An
 * engine's own schedule is not waited for: podman without systemd never runs it.
 */
export async function waitForHealth(
  engine: Pick<Engine, 'runHealthcheck'>,
  container: string,
  options: {timeoutMs: number; intervalMs?: number},
): Promise<HealthcheckResult> {
  // A container that has stopped will not become healthy: say so now, not at the deadline.
  return retryUntil(
    () => engine.runHealthcheck(container),
    (result) => result.status !== 'unhealthy' || result.stopped === true,
    {timeoutMs: options.timeoutMs, intervalMs: options.intervalMs ?? 1000},
  )
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim() || 'null')
  } catch {
    return null
  }
}
