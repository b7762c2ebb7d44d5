// The product's truth test: real legacy hosts are lifted (`hoist lift` over SSH), each generated
// image is built with buildah (through podman build, same storage) from a local debian:12 made by
// debootstrap (--pull=never), run with podman, and asked the same question as the original — from
// inside its own network namespace, with the same one-liner on both sides. See TESTING.md.
import {execFile} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Artifacts, GeneratedService} from '../../../src/types/artifacts.js'
import {askPatiently, questionArgv, readAnswer, sameAnswer, type Answer, type Question} from '../../../src/verify/answers.js'
import {detectEngine, type Engine} from '../../../src/verify/engine.js'
import {waitForHealth} from '../../../src/verify/health.js'
import {formatFigure, isFigure} from '../../../src/report/format.js'
import {at, shownFigures} from '../../unit/report/figures.js'
import {shellLine} from '../../../src/shell.js'
import {hoist} from '../cli.js'
import {ensureRootfs, FIXTURE_MARKERS, PLANTED_SECRET, startFixtureHost, type FixtureHost} from '../hosts/host.js'
import {ensureStacksRootfs, STACK_MARKERS, startStacksHost} from '../hosts/stacks/stacks-host.js'
import {ensureBaseImage} from '../images/base-images.js'
import {containersEnv} from '../images/engine-env.js'
import {startSession, type Session} from '../session.js'

const run = promisify(execFile)

interface Case {
  host: 'legacy' | 'stacks'
  service: string
  application: string
  question: Question
  /** What the original must answer (so a broken fixture cannot make both sides agree on nothing). */
  expect: RegExp
}

const CASES: Case[] = [
  {host: 'legacy', service: 'nginx', application: 'nginx serving a site', question: {type: 'http', port: 80, path: '/'}, expect: new RegExp(FIXTURE_MARKERS.site)},
  {host: 'legacy', service: 'app', application: 'Python app (http.server) as user billing', question: {type: 'http', port: 8080, path: '/'}, expect: new RegExp(FIXTURE_MARKERS.app)},
  {host: 'legacy', service: 'redis', application: 'Redis', question: {type: 'command', command: ['redis-cli', 'ping']}, expect: /^PONG$/},
  {host: 'legacy', service: 'postgresql', application: 'PostgreSQL', question: {type: 'command', command: ['psql', '-AtX', '-c', 'select 1']}, expect: /^1$/},
  {host: 'stacks', service: 'apache-php', application: 'Apache with a PHP page', question: {type: 'http', port: 80, path: '/index.php'}, expect: new RegExp(STACK_MARKERS.php)},
  {host: 'stacks', service: 'tomcat', application: 'Tomcat with a webapp', question: {type: 'http', port: 8080, path: '/'}, expect: new RegExp(STACK_MARKERS.tomcat)},
  {host: 'stacks', service: 'app', application: 'executable Java jar', question: {type: 'http', port: 8081, path: '/'}, expect: new RegExp(STACK_MARKERS.jar)},
  {host: 'stacks', service: 'node-app', application: 'Node.js (Debian nodejs)', question: {type: 'http', port: 3000, path: '/'}, expect: new RegExp(STACK_MARKERS.node)},
  {host: 'stacks', service: 'flask-app', application: 'Flask on gunicorn as user flask', question: {type: 'http', port: 8000, path: '/'}, expect: new RegExp(STACK_MARKERS.flask)},
]

interface Row {
  application: string
  built: boolean
  started: boolean
  answered: boolean
  note: string
}

const rows: Row[] = []
const hosts: Record<Case['host'], {session: Session; out: string; artifacts: Artifacts}> = {} as never
let engine: Engine
let dir: string

beforeAll(async () => {
  containersEnv()
  await Promise.all([ensureRootfs(), ensureStacksRootfs(), ensureBaseImage()])
  engine = await detectEngine('podman')
  const started = await Promise.all([
    startSession(startFixtureHost, {name: 'fid-legacy', index: 50}),
    startSession(startStacksHost, {name: 'fid-stacks', index: 51}),
  ])
  dir = started[0].dir
  for (const [name, session] of [['legacy', started[0]], ['stacks', started[1]]] as const) {
    const out = join(session.dir, 'out')
    const lift = await hoist(['lift', `root@${session.host.address}`, '--name', name, '--identity', session.key, '--known-hosts', session.knownHosts, '--out', out], 300_000)
    expect(lift.code, `${lift.stdout}\n${lift.stderr}`).toBe(0)
    const artifacts = JSON.parse(readFileSync(join(out, 'hosts', name, 'artifacts.json'), 'utf8')) as Artifacts
    hosts[name] = {session, out, artifacts}
  }
}, 1_200_000)

afterAll(async () => {
  if (rows.length > 0) console.log(`\nFidelity (lifted, built with buildah, run with podman, compared with the original)\n${table(rows)}`)
  await Promise.all(Object.values(hosts).map((h) => h.session.host.stop()))
}, 120_000)

function table(all: Row[]): string {
  const mark = (b: boolean) => (b ? 'yes' : 'NO')
  const lines = all.map((r) => `${r.application.padEnd(42)} ${mark(r.built).padEnd(6)} ${mark(r.started).padEnd(8)} ${mark(r.answered).padEnd(9)} ${r.note}`)
  const passed = all.filter((r) => r.built && r.started && r.answered).length
  return [`${'application'.padEnd(42)} built  started  answered`, ...lines, `${passed}/${all.length} answered like the original (${Math.round((passed / all.length) * 100)}%)`].join('\n')
}

function serviceOf(c: Pick<Case, 'host' | 'service'>): {service: GeneratedService; context: string} {
  const h = hosts[c.host]
  const service = h.artifacts.services.find((s) => s.name === c.service)
  if (!service) throw new Error(`${c.service} was not generated: ${JSON.stringify(h.artifacts.skipped)}`)
  return {service, context: join(h.out, 'hosts', c.host, service.context)}
}

/** Builds and starts the service's image; the planted secret is supplied for every secret it has. */
async function launch(c: Pick<Case, 'host' | 'service'>, row: Row): Promise<string | undefined> {
  const {service, context} = serviceOf(c)
  const built = await engine.build({context, tag: service.image, pull: 'never', timeoutMs: 900_000})
  row.built = built.ok
  if (!built.ok) {
    row.note = `build failed: ${built.log.slice(-400)}`
    return undefined
  }
  const secretFile = join(dir, 'planted-secret')
  writeFileSync(secretFile, PLANTED_SECRET)
  const name = `hoist-fid-${c.host}-${c.service}`
  await engine.remove(name, {force: true})
  const started = await engine.run({image: service.image, name, network: 'none', detach: true, timeoutMs: 60_000,
    secrets: Object.fromEntries(service.secrets.map((s) => [s.name, secretFile]))})
  if (!started.ok) {
    row.note = `run failed: ${started.log.slice(-400)}`
    return undefined
  }
  const health = await waitForHealth(engine, name, {timeoutMs: 180_000})
  row.started = health.status === 'healthy'
  if (!row.started) row.note = `health ${health.status} (${health.output.slice(-200)}): ${(await engine.logs(name)).slice(-400)}`
  return name
}

function askContainer(name: string, q: Question): Promise<Answer> {
  return askPatiently(async () => {
    const r = await engine.exec(name, questionArgv(q), {timeoutMs: 30_000})
    return readAnswer(q, r.exitCode, r.stdout)
  })
}

async function askOriginal(host: FixtureHost, q: Question, user?: string): Promise<Answer> {
  const argv = shellLine(questionArgv(q))
  const r = await host.exec(user ? `runuser -u ${user} -- ${argv}` : argv)
  return readAnswer(q, r.code, Buffer.from(r.stdout))
}

describe('fidelity: lifted applications answer like the originals', () => {
  for (const c of CASES) {
    it(`${c.application} (${c.host}/${c.service})`, async () => {
      const row: Row = {application: c.application, built: false, started: false, answered: false, note: ''}
      rows.push(row)
      const name = await launch(c, row)
      try {
        expect(name, row.note).toBeDefined()
        const original = await askOriginal(hosts[c.host].session.host, c.question, c.question.type === 'command' ? serviceOf(c).service.user.name : undefined)
        expect(original.body, `the original ${c.service} answered ${original.detail}`).toMatch(c.expect)
        const lifted = await askContainer(name!, c.question)
        row.answered = sameAnswer(original, lifted)
        if (!row.answered) row.note = `original: ${original.detail} ${JSON.stringify(original.body.slice(0, 80))}; lifted: ${lifted.detail} ${JSON.stringify(lifted.body.slice(0, 80))}`
        expect(row.started, row.note).toBe(true)
        expect(lifted).toEqual(original)
      } finally {
        if (name) await engine.remove(name, {force: true})
      }
    }, 1_200_000)
  }

  it('PostgreSQL after the data-migration step holds the fixture\'s table with its rows', async () => {
    const c = {host: 'legacy', service: 'postgresql'} as const
    const row: Row = {application: 'PostgreSQL after migrate.sh', built: false, started: false, answered: false, note: ''}
    rows.push(row)
    const name = await launch(c, row)
    try {
      expect(name, row.note).toBeDefined()
      const {session, out} = hosts.legacy
      const ssh = `ssh -i ${session.key} -o UserKnownHostsFile=${session.knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes`
      const migrate = join(out, 'hosts/legacy/services/postgresql/migrate.sh')
      const moved = await run(migrate, [`root@${session.host.address}`, name!], {env: {...process.env, ENGINE: 'podman', SSH: ssh}, timeout: 300_000})
      expect(moved.stdout).toContain('migrated')
      const q: Question = {type: 'command', command: ['psql', '-AtX', '-d', 'billing', '-c', 'select id, customer, amount_cents, issued_on from invoices order by id']}
      const original = await askOriginal(session.host, q, 'postgres')
      expect(original.body.split('\n')).toHaveLength(3)
      const lifted = await askContainer(name!, q)
      row.answered = sameAnswer(original, lifted)
      if (!row.answered) row.note = `original ${JSON.stringify(original.body)}; lifted ${JSON.stringify(lifted.body)}`
      expect(lifted).toEqual(original)
    } finally {
      if (name) await engine.remove(name, {force: true})
    }
  }, 1_200_000)

  it('the cron job is present with its schedule, and runs to completion in its image', async () => {
    const c = {host: 'stacks', service: 'nightly'} as const
    const row: Row = {application: 'cron-driven batch job (nightly report)', built: false, started: false, answered: false, note: ''}
    rows.push(row)
    const {service, context} = serviceOf(c)
    expect(service.schedule).toBe('15 1 * * *')
    const built = await engine.build({context, tag: service.image, pull: 'never', timeoutMs: 900_000})
    row.built = built.ok
    expect(built.ok, built.log.slice(-800)).toBe(true)
    const original = readFileSync(join(hosts.stacks.session.host.rootDir, 'opt/reports/bin/nightly.sh'), 'utf8')
    const name = `hoist-fid-stacks-nightly`
    await engine.remove(name, {force: true})
    // The image's own command, run once as the scheduler would, then the report it wrote.
    const once = await engine.run({image: service.image, name, network: 'none', detach: false, timeoutMs: 120_000,
      command: ['sh', '-c', `${service.command.slice(-1)[0]} && cat /var/lib/reports/report-*.txt && cat /opt/reports/bin/nightly.sh`]})
    await engine.remove(name, {force: true})
    row.started = once.ok
    row.answered = once.ok && once.log.includes('report generated') && once.log.includes(original.trim())
    if (!row.answered) row.note = once.log.slice(-400)
    expect(row.answered, once.log).toBe(true)
  }, 1_200_000)

  it('compose.yaml brings the legacy host\'s services up together (podman-compose from Debian), and they answer', async () => {
    const {out} = hosts.legacy
    const cwd = join(out, 'hosts/legacy')
    // Secrets: one file each in a folder outside the output folder, named at `up` time, as compose.yaml's header says.
    const secrets = join(dir, 'compose-secrets')
    mkdirSync(secrets, {recursive: true})
    for (const s of hosts.legacy.artifacts.services.flatMap((x) => x.secrets)) writeFileSync(join(secrets, s.name), PLANTED_SECRET)
    const env: NodeJS.ProcessEnv = {...process.env, HOIST_SECRETS_DIR: secrets}
    const compose = (args: string[]) => run('podman-compose', ['-f', 'compose.yaml', ...args], {cwd, env, timeout: 900_000, maxBuffer: 64 << 20})
    await compose(['down', '-v']).catch(() => undefined)
    try {
      await compose(['up', '-d'])
      const ps = (await run('podman', ['ps', '--format', '{{.Names}}'], {env})).stdout
      for (const c of CASES.filter((x) => x.host === 'legacy')) {
        const container = ps.split('\n').find((n) => n.includes(`_${c.service}_`) || n.endsWith(`-${c.service}-1`))
        expect(container, `${c.service} in ${ps}`).toBeDefined()
        const health = await waitForHealth(engine, container!, {timeoutMs: 180_000})
        expect(health.status, `${c.service}: ${health.output}`).toBe('healthy')
        const original = await askOriginal(hosts.legacy.session.host, c.question, c.question.type === 'command' ? serviceOf(c).service.user.name : undefined)
        expect(await askContainer(container!, c.question), c.service).toEqual(original)
      }
    } finally {
      await compose(['down', '-v']).catch(() => undefined)
    }
  }, 1_800_000)

  it('hoist verify builds, runs and checks the generated services, and fails one that answers differently', async () => {
    const {out} = hosts.legacy
    const secrets = join(dir, 'secrets')
    mkdirSync(secrets, {recursive: true})
    for (const s of hosts.legacy.artifacts.services.flatMap((x) => x.secrets)) writeFileSync(join(secrets, s.name), PLANTED_SECRET)
    const args = ['verify', '--out', out, '--host', 'legacy', '--engine', 'podman', '--pull', 'never', '--network', 'none', '--secrets', secrets]
    const good = await hoist([...args, '--service', 'nginx', '--service', 'app', '--service', 'redis'], 900_000)
    expect(good.code, `${good.stdout}\n${good.stderr}`).toBe(0)
    expect(good.stdout).toMatch(/legacy\/nginx.*yes.*yes.*yes.*80 yes.*yes.*pass/)
    expect(good.stdout).toMatch(/legacy\/app .*pass/)
    // The site in the build context no longer says what the original said (last: the image stays so).
    const index = join(out, 'hosts/legacy/services/nginx/rootfs/var/www/html/index.html')
    writeFileSync(index, readFileSync(index, 'utf8').replace(FIXTURE_MARKERS.site, 'something else'))
    const bad = await hoist([...args, '--service', 'nginx'], 900_000)
    expect(bad.code).toBe(1)
    expect(bad.stdout).toMatch(/the original answered HTTP 200 for \/ .*; the container HTTP 200/)
    expect(bad.stdout).toMatch(/legacy\/nginx.*FAIL/)
  }, 1_800_000)

  it('hoist lift ended with a report whose figures are report.json\'s', () => {
    for (const [name, h] of Object.entries(hosts)) {
      const dir = join(h.out, 'hosts', name)
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as unknown
      const shown = shownFigures(readFileSync(join(dir, 'report.html'), 'utf8'))
      expect(shown.length, name).toBeGreaterThan(10)
      for (const {path, text} of shown) {
        const figure = at(report, path)
        expect(isFigure(figure), `${name}: ${path}`).toBe(true)
        expect(text, `${name}: ${path}`).toBe(formatFigure(figure as Parameters<typeof formatFigure>[0]))
      }
      expect(readFileSync(join(dir, 'report.md'), 'utf8')).toContain(name)
    }
  })

  it('no planted secret reached an output file', async () => {
    for (const h of Object.values(hosts)) {
      const found = await run('grep', ['-rl', '--', PLANTED_SECRET, h.out]).then((r) => r.stdout, () => '')
      expect(found).toBe('')
    }
  })
})
