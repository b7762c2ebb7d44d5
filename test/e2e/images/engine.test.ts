// The engine adapter against the real podman and buildah on this machine: a tiny image FROM the
// local debian:12 stand-in (apt-get from Debian's mirror, --pull=never), run with a published
// port, an env var, a secret and a volume, health-checked, exec'd into, and removed.
import {readFileSync} from 'node:fs'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {isHoistError} from '../../../src/errors.js'
import {detectEngine, type Engine} from '../../../src/verify/engine.js'
import {emulateHealthcheck, waitForHealth} from '../../../src/verify/health.js'
import {runProcess} from '../../../src/verify/process.js'
import {ensureBaseImage} from './base-images.js'
import {containersEnv} from './engine-env.js'

const ID = `hoist-e2e-engine-${process.pid}`
const IMAGE = `localhost/${ID}:test`
const SERVICE = `${ID}-svc`
const PORT = 8099
const DOCKERFILE = `FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends busybox && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /srv/www
HEALTHCHECK --interval=30s --timeout=5s CMD ["busybox", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:${PORT}/"]
EXPOSE ${PORT}
CMD ["/bin/sh", "-c", "echo starting; echo \\"$GREETING $(cat /run/secrets/token)\\" > /srv/www/index.html && exec busybox httpd -f -p ${PORT} -h /srv/www"]
`

let engine: Engine
let dir: string
let hostPort: number
const buildLines: string[] = []
const timings: Record<string, number> = {}

beforeAll(async () => {
  containersEnv()
  dir = await mkdtemp(join(tmpdir(), `${ID}-`))
  let t = performance.now()
  await ensureBaseImage()
  timings.baseImage = (performance.now() - t) / 1000
  // The base image is in podman's storage (base-images.ts), so podman runs the tests whatever
  // detectEngine() would pick on this machine; that choice is tested on its own below.
  engine = await detectEngine('podman')
  await writeFile(join(dir, 'Dockerfile'), DOCKERFILE)
  t = performance.now()
  const built = await engine.build({
    context: dir,
    tag: IMAGE,
    pull: 'never',
    onLine: (line) => buildLines.push(line),
    timeoutMs: 300_000,
  })
  timings.build = (performance.now() - t) / 1000
  if (!built.ok) throw new Error(`build failed:\n${built.log}`)
  hostPort = await freePort()
}, 600_000)

afterAll(async () => {
  if (engine) {
    await engine.remove(SERVICE, {force: true})
    await engine.removeImage(IMAGE)
  }
  if (dir) await rm(dir, {recursive: true, force: true})
  console.log(`engine e2e timings (s): ${JSON.stringify(timings)}`)
})

describe('detectEngine', () => {
  it('finds podman here (a docker client may be installed, with no daemon)', async () => {
    const found = await detectEngine()
    expect(found.name).toBe('podman')
    expect(found.canRun).toBe(true)
  })

  it('models buildah honestly: it builds, but cannot run a service', async () => {
    const buildah = await detectEngine('buildah')
    expect(buildah.canRun).toBe(false)
    expect(buildah.whyCannotRun).toMatch(/cannot run a service/)
    const run = await buildah.run({image: IMAGE, name: `${ID}-bd`, detach: true, timeoutMs: 10_000})
    expect(run.ok).toBe(false)
    expect(run.log).toBe(buildah.whyCannotRun)
  })

  it('throws ENGINE_MISSING with what to install when no engine is on PATH', async () => {
    const path = process.env.PATH
    process.env.PATH = dir
    try {
      const error: unknown = await detectEngine().catch((e: unknown) => e)
      expect(isHoistError(error) && error.code).toBe('ENGINE_MISSING')
      expect(String(error)).toMatch(/docker: not installed; podman: not installed; buildah: not installed/)
      expect(isHoistError(error) && error.suggestion).toMatch(/apt-get install podman/)
    } finally {
      process.env.PATH = path
    }
  })
})

describe('a service image', () => {
  it('was built offline from the local base, its lines streamed as they came', async () => {
    expect(buildLines.some((line) => /^STEP 1\/\d+: FROM debian:12$/.test(line))).toBe(true)
    expect(buildLines.some((line) => /Setting up busybox/.test(line))).toBe(true)
    expect(await engine.imageExists(IMAGE)).toBe(true)
  })

  it('runs with a published port, env, a secret and a volume, and answers', async () => {
    await writeFile(join(dir, 'token'), 'tok-51f3\n')
    await writeFile(join(dir, 'note.txt'), 'from a volume\n')
    const t = performance.now()
    const run = await engine.run({
      image: IMAGE,
      name: SERVICE,
      ports: [{host: hostPort, container: PORT}],
      env: {GREETING: 'hello'},
      secrets: {token: join(dir, 'token')},
      volumes: [{source: join(dir, 'note.txt'), target: '/srv/www/note.txt', readOnly: true}],
      detach: true,
      timeoutMs: 60_000,
    })
    expect(run.ok, run.log).toBe(true)
    expect(run.id).toMatch(/^[0-9a-f]{64}$/)
    expect(await httpGet(`http://127.0.0.1:${hostPort}/`)).toBe('hello tok-51f3\n')
    timings.runUntilAnswer = (performance.now() - t) / 1000
    expect(await httpGet(`http://127.0.0.1:${hostPort}/note.txt`)).toBe('from a volume\n')
    expect(await engine.logs(SERVICE)).toContain('starting')
  })

  it('passes its HEALTHCHECK when run on demand (podman has no systemd timer here)', async () => {
    expect(await engine.inspectHealth(SERVICE)).toBe('starting')
    const result = await waitForHealth(engine, SERVICE, {timeoutMs: 20_000})
    expect(result.status, result.output).toBe('healthy')
    expect(await engine.inspectHealth(SERVICE)).toBe('healthy')
  })

  it('emulates the HEALTHCHECK by exec, as for docker', async () => {
    const config = await runProcess('podman', ['inspect', '--format', '{{json .Config.Healthcheck}}', SERVICE], {timeoutMs: 30_000})
    expect((await emulateHealthcheck(engine, SERVICE, config.stdout.toString())).status).toBe('healthy')
    expect((await emulateHealthcheck(engine, SERVICE, 'null')).status).toBe('none')
  })

  it('execs with stdin and reports exit codes', async () => {
    const cat = await engine.exec(SERVICE, ['cat'], {stdin: 'piped in', timeoutMs: 30_000})
    expect(cat.stdout.toString()).toBe('piped in')
    const os = await engine.exec(SERVICE, ['cat', '/etc/os-release'], {timeoutMs: 30_000})
    expect(os.stdout.toString()).toContain('VERSION_CODENAME=bookworm')
    expect((await engine.exec(SERVICE, ['sh', '-c', 'exit 7'], {timeoutMs: 30_000})).exitCode).toBe(7)
  })

  it('removes the container at once, and again without error', async () => {
    const t = performance.now()
    expect((await engine.remove(SERVICE, {force: true})).ok).toBe(true)
    timings.forceRemove = (performance.now() - t) / 1000
    expect(timings.forceRemove).toBeLessThan(8) // not podman's 10 s SIGTERM grace: httpd as PID 1 ignores TERM
    expect((await engine.remove(SERVICE, {force: true})).ok).toBe(true)
  })
})

describe('one-shot runs', () => {
  it('returns the exit code and output of a foreground command', async () => {
    const name = `${ID}-once`
    const run = await engine.run({image: IMAGE, name, command: ['sh', '-c', 'echo out; exit 3'], detach: false, timeoutMs: 60_000})
    expect(run).toMatchObject({ok: false, exitCode: 3})
    expect(run.log).toContain('out')
    expect((await engine.remove(name, {force: true})).ok).toBe(true)
  })

  it('kills a run that outlives its timeout and leaves no container', async () => {
    const name = `${ID}-slow`
    const run = await engine.run({image: IMAGE, name, command: ['sleep', '60'], detach: false, timeoutMs: 3000})
    expect(run.ok).toBe(false)
    expect(run.exitCode).toBeUndefined()
    expect((await runProcess('podman', ['container', 'exists', name], {timeoutMs: 30_000})).exitCode).toBe(1)
  })

  // The trap TESTING.md describes: podman's default nofile limit is above what root may set here.
  it.runIf(hardNofileLimit() < 1_048_576)('says which containers.conf line fixes a run that cannot start', async () => {
    const name = `${ID}-noconf`
    const conf = process.env.CONTAINERS_CONF
    delete process.env.CONTAINERS_CONF
    try {
      const run = await engine.run({image: IMAGE, name, command: ['true'], detach: false, timeoutMs: 60_000})
      expect(run.ok).toBe(false)
      expect(run.log).toMatch(/hint: .*default_ulimits = \["nofile=20000:20000"/)
    } finally {
      process.env.CONTAINERS_CONF = conf
      await engine.remove(name, {force: true})
    }
  })

  it('runs under buildah in a working container', async () => {
    const buildah = await detectEngine('buildah')
    const name = `${ID}-bd`
    try {
      const run = await buildah.run({image: IMAGE, name, command: ['busybox', 'echo', 'from buildah'], env: {A: '1'}, detach: false, timeoutMs: 60_000})
      expect(run, run.log).toMatchObject({ok: true, exitCode: 0})
      expect(await buildah.logs(name)).toContain('from buildah')
      expect((await buildah.exec(name, ['sh', '-c', 'echo $A'], {timeoutMs: 30_000})).stdout.toString()).toBe('\n')
    } finally {
      expect((await buildah.remove(name, {force: true})).ok).toBe(true)
    }
  })

  it('imports a root filesystem with buildah, which has no import command', async () => {
    const buildah = await detectEngine('buildah')
    const tag = `localhost/${ID}-import:test`
    await runProcess('tar', ['-C', dir, '-cf', join(dir, 'tiny.tar'), 'note.txt'], {timeoutMs: 30_000})
    const imported = await buildah.importRootfs(join(dir, 'tiny.tar'), tag, ['CMD ["/note.txt"]'])
    expect(imported.ok, imported.log).toBe(true)
    expect(await engine.imageExists(tag)).toBe(true)
    expect((await engine.removeImage(tag)).ok).toBe(true)
    expect(await engine.imageExists(tag)).toBe(false)
  })
})

function hardNofileLimit(): number {
  const line = /^Max open files\s+\S+\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]
  return line === undefined || line === 'unlimited' ? Number.POSITIVE_INFINITY : Number(line)
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** The body at url, retried while the service starts. */
async function httpGet(url: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const response = await fetch(url)
      return await response.text()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
}
