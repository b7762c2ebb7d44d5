/**
 * docker and podman: their CLIs agree on almost everything verify needs, so one adapter serves
 * both and the differences are spelled out where they occur.
 */
import {changeArgs, chrootBuildFlags, dockerfileArgs, mountArgs, removed, toResult, withRunHint} from './args.js'
import type {BuildOptions, Engine, RunOptions, RunResult} from './engine.js'
import {emulateHealthcheck, lastHealthOutput, parseHealthState} from './health.js'
import {runProcess} from './process.js'

/** Housekeeping calls (inspect, rm, tag) answer in well under a second; this only stops a hang. */
const SHORT_MS = 60_000

export function cliEngine(name: 'docker' | 'podman'): Engine {
  const podman = name === 'podman'
  const cli = (argv: string[], timeoutMs = SHORT_MS) => runProcess(name, argv, {timeoutMs})

  const engine: Engine = {
    name,
    canRun: true,

    async build(options) {
      const result = await runProcess(name, buildArgs(podman, options), {timeoutMs: options.timeoutMs, onLine: options.onLine})
      return toResult(result)
    },

    async run(options) {
      const result = await runProcess(name, runArgs(options), {timeoutMs: options.timeoutMs})
      // A run killed by its timeout leaves a container behind (or a half-started one): take it down.
      if (result.timedOut) await engine.remove(options.name, {force: true})
      const ok = result.exitCode === 0
      const out: RunResult = {ok, log: podman && !ok ? withRunHint(result.log) : result.log}
      if (options.detach) {
        if (ok) out.id = result.stdout.toString('utf8').trim().split('\n').at(-1)
      } else if (result.exitCode !== null) {
        out.exitCode = result.exitCode
      }
      return out
    },

    async exec(container, argv, options) {
      const result = await runProcess(name, ['exec', '-i', container, ...argv], options)
      return {exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr}
    },

    async inspectHealth(container) {
      return parseHealthState(await inspect(container, '{{json .State.Health}}'))
    },

    async runHealthcheck(container) {
      if (!podman) return emulateHealthcheck(engine, container, await inspect(container, '{{json .Config.Healthcheck}}'))
      // Podman runs the test itself and records it: the status then reads as Docker's would.
      const result = await cli(['healthcheck', 'run', container])
      if (result.exitCode === 0) return {status: 'healthy', output: lastHealthOutput(await inspect(container, '{{json .State.Health}}'))}
      if (/no defined healthcheck/i.test(result.stderr)) return {status: 'none', output: 'the image defines no HEALTHCHECK'}
      if (result.exitCode === 1) {
        return {status: 'unhealthy', output: lastHealthOutput(await inspect(container, '{{json .State.Health}}'))}
      }
      // 125: the container is not running, or is gone: unhealthy, with podman's reason.
      const output = result.log.trim()
      return result.exitCode === 125 ? {status: 'unhealthy', output, stopped: true} : {status: 'unhealthy', output}
    },

    async logs(container) {
      return (await cli(['logs', container])).log
    },

    async remove(container, options) {
      // Podman waits 10 s for SIGTERM before killing; a verify run has nothing to save.
      const force = options.force ? (podman ? ['-f', '-t', '0'] : ['-f']) : []
      return removed(await cli(['rm', ...force, container]))
    },

    async removeImage(tag) {
      return removed(await cli(['rmi', tag]))
    },

    async importRootfs(tarPath, tag, changes) {
      return toResult(await cli(['import', ...changeArgs(changes), tarPath, tag], 10 * SHORT_MS))
    },

    async imageExists(tag) {
      return (await cli(podman ? ['image', 'exists', tag] : ['image', 'inspect', tag])).exitCode === 0
    },

    async tag(image, newTag) {
      return toResult(await cli(['tag', image, newTag]))
    },
  }

  /** The inspect output, or '' when the container is unknown (its health then reads as none). */
  async function inspect(container: string, format: string): Promise<string> {
    const result = await cli(['inspect', '--type', 'container', '--format', format, container])
    return result.exitCode === 0 ? result.stdout.toString('utf8') : ''
  }

  return engine
}

function buildArgs(podman: boolean, options: BuildOptions): string[] {
  const argv = ['build', ...dockerfileArgs(options.dockerfile), '-t', options.tag]
  if (podman) {
    argv.push(...chrootBuildFlags(options))
  } else if (options.network) {
    // The classic docker build has no "never pull": it uses a local base image and pulls only a
    // missing one, so 'never' and 'missing' behave the same there.
    argv.push('--network', options.network)
  }
  return [...argv, options.context]
}

function runArgs(options: RunOptions): string[] {
  // Verify runs what it has just built: a missing image is an error, never a registry pull.
  const argv = ['run', '--name', options.name, '--pull', 'never']
  if (options.detach) argv.push('-d')
  for (const port of options.ports ?? []) argv.push('-p', `${port.address ?? '127.0.0.1'}:${port.host}:${port.container}`)
  if (options.network) argv.push('--network', options.network)
  argv.push(...mountArgs(options), options.image, ...(options.command ?? []))
  return argv
}
