/**
 * buildah: builds as podman does (same storage) but has no daemon-like runtime. It can run a
 * one-shot command in a working container (`buildah from` + `buildah run`), so verify can still
 * check that an image starts its binaries (`nginx -t`, `--version`), but it cannot keep a service
 * up with published ports: canRun is false and every call that needs that says so.
 */
import {link, copyFile, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {chrootBuildFlags, dockerfileArgs, mountArgs, removed, toResult} from './args.js'
import type {BuildOptions, Engine, EngineResult} from './engine.js'
import {runProcess} from './process.js'

const SHORT_MS = 60_000
const WHY =
  'buildah runs one-shot commands in a working container; it cannot run a service in the background ' +
  'or publish ports. Install podman (same image storage) or Docker to run the images.'

export function buildahEngine(): Engine {
  const cli = (argv: string[], timeoutMs = SHORT_MS) => runProcess('buildah', argv, {timeoutMs})
  /** buildah keeps no container output: what `run` printed stands in for `logs`. */
  const lastLogs = new Map<string, string>()

  const build = async (options: BuildOptions): Promise<EngineResult> =>
    toResult(await runProcess('buildah', budArgs(options), {timeoutMs: options.timeoutMs, onLine: options.onLine}))

  const engine: Engine = {
    name: 'buildah',
    canRun: false,
    whyCannotRun: WHY,
    build,

    async run(options) {
      if (options.detach || (options.ports?.length ?? 0) > 0) return {ok: false, log: WHY}
      const from = await cli(['from', '--pull=never', '--name', options.name, options.image], options.timeoutMs)
      if (from.exitCode !== 0) return {ok: false, log: from.log}
      const command = options.command?.length ? options.command : await defaultCommand(options.name)
      if (command.length === 0) return {ok: false, log: `${options.image} has neither ENTRYPOINT nor CMD to run`}
      const net = options.network ? ['--network', options.network] : []
      const result = await runProcess('buildah', ['run', ...net, ...mountArgs(options), options.name, '--', ...command], {
        timeoutMs: options.timeoutMs,
      })
      lastLogs.set(options.name, result.log)
      const out = {ok: result.exitCode === 0, log: result.log}
      return result.exitCode === null ? out : {...out, exitCode: result.exitCode}
    },

    async exec(container, argv, options) {
      const result = await runProcess('buildah', ['run', container, '--', ...argv], options)
      return {exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr}
    },

    // A working container has no running service, so no health to read or check.
    inspectHealth: async () => 'none',
    runHealthcheck: async () => ({status: 'none', output: WHY}),
    logs: async (container) => lastLogs.get(container) ?? '',

    async remove(container) {
      lastLogs.delete(container)
      return removed(await cli(['rm', container]))
    },

    removeImage: async (tag) => removed(await cli(['rmi', tag])),

    async importRootfs(tarPath, tag, changes) {
      // buildah has no `import`: ADD of a local tarball unpacks it, and the changes are
      // Dockerfile instructions already, so a two-line Dockerfile does the same.
      const context = await mkdtemp(join(tmpdir(), 'hoist-import-'))
      try {
        await link(tarPath, join(context, 'rootfs.tar')).catch(() => copyFile(tarPath, join(context, 'rootfs.tar')))
        await writeFile(join(context, 'Dockerfile'), ['FROM scratch', 'ADD rootfs.tar /', ...changes, ''].join('\n'))
        return await build({context, tag, pull: 'never', timeoutMs: 10 * SHORT_MS})
      } finally {
        await rm(context, {recursive: true, force: true})
      }
    },

    imageExists: async (tag) => (await cli(['inspect', '--type', 'image', tag])).exitCode === 0,
    tag: async (image, newTag) => toResult(await cli(['tag', image, newTag])),
  }

  /** ENTRYPOINT + CMD, which `buildah run` does not apply by itself. */
  async function defaultCommand(container: string): Promise<string[]> {
    const result = await cli(['inspect', '--type', 'container', '--format', '{{json .OCIv1.Config}}', container])
    try {
      const config = JSON.parse(result.stdout.toString('utf8')) as {Entrypoint?: string[] | null; Cmd?: string[] | null}
      return [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]
    } catch {
      return []
    }
  }

  return engine
}

function budArgs(options: BuildOptions): string[] {
  return ['bud', ...chrootBuildFlags(options), ...dockerfileArgs(options.dockerfile), '-t', options.tag, options.context]
}
