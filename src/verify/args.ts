import {isAbsolute} from 'node:path'
import {HoistError} from '../errors.js'
import type {BuildOptions, EngineResult, RunOptions} from './engine.js'
import type {ProcessResult} from './process.js'

/**
 * -e, -v and --user as docker, podman and `buildah run` all spell them. Secrets are bind mounts
 * of host files rather than `podman secret create`: that works on every engine and leaves no
 * engine-side state to clean up.
 */
export function mountArgs(options: Pick<RunOptions, 'env' | 'secrets' | 'volumes' | 'user'>): string[] {
  const argv: string[] = []
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw invalid(`environment variable name ${JSON.stringify(key)}`)
    argv.push('-e', `${key}=${value}`)
  }
  for (const [name, file] of Object.entries(options.secrets ?? {})) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || name.startsWith('.')) throw invalid(`secret name ${JSON.stringify(name)}`)
    argv.push('-v', `${hostPath(file)}:/run/secrets/${name}:ro`)
  }
  for (const volume of options.volumes ?? []) {
    argv.push('-v', `${hostPath(volume.source)}:${volume.target}${volume.readOnly ? ':ro' : ''}`)
  }
  if (options.user) argv.push('--user', options.user)
  return argv
}

/** A relative source would be taken as a named volume; a colon would split the -v spec. */
function hostPath(path: string): string {
  if (!isAbsolute(path) || path.includes(':')) throw invalid(`mount source ${JSON.stringify(path)} (an absolute path without ':' is needed)`)
  return path
}

/** These come from plan.yaml, which the consultant may have edited. */
function invalid(what: string): HoistError {
  return new HoistError('PLAN_INVALID', `Cannot run the image: invalid ${what}`, 'Correct it in plan.yaml, then run hoist generate and hoist verify again.')
}

/**
 * podman build and buildah bud (the same code underneath): chroot isolation needs no user
 * namespace or cgroup setup and shares the host network (TESTING.md); the docker format keeps
 * HEALTHCHECK, for which the OCI image config has no field.
 */
export function chrootBuildFlags(options: BuildOptions): string[] {
  return [`--pull=${options.pull}`, '--isolation', 'chroot', '--format', 'docker', '--network', options.network ?? 'host']
}

/** `-f DOCKERFILE` when one is named; engines default to CONTEXT/Dockerfile. */
export function dockerfileArgs(dockerfile: string | undefined): string[] {
  return dockerfile ? ['-f', dockerfile] : []
}

/** `--change` per instruction, as `docker import` and `podman import` take them. */
export function changeArgs(changes: string[]): string[] {
  return changes.flatMap((change) => ['--change', change])
}

export function toResult(result: ProcessResult): EngineResult {
  return {ok: result.exitCode === 0, log: result.log, seconds: result.seconds}
}

/** Removal is idempotent: the engines' "not found" counts as done. */
export function removed(result: ProcessResult): EngineResult {
  const gone = /no such (container|image|object)|not known|image not found|container not found/i.test(result.log)
  return {...toResult(result), ok: result.exitCode === 0 || (result.exitCode !== null && gone)}
}

/**
 * Known start failures of podman on restricted machines, and the containers.conf line that
 * fixes each (TESTING.md): appended to the run log so the user sees what to do next.
 */
const RUN_HINTS: [RegExp, string][] = [
  [/error setting rlimit/i, 'default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"] under [containers]'],
  [/cgroups in hybrid mode not supported/i, 'runtime = "runc" under [engine]'],
  [/systemd cgroup flag passed|systemd support for managing cgroups/i, 'cgroup_manager = "cgroupfs" under [engine]'],
]

export function withRunHint(log: string): string {
  const fix = RUN_HINTS.find(([pattern]) => pattern.test(log))?.[1]
  return fix ? `${log}\nhint: the engine cannot start containers as configured; in the file CONTAINERS_CONF names, set ${fix}\n` : log
}
