import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {FetchReport} from '../../../src/collect/fetch/report.js'
import {detect} from '../../../src/detect/engine.js'
import {loadRules} from '../../../src/detect/load.js'
import {buildPlan} from '../../../src/plan/build.js'
import {entrypointScript} from '../../../src/render/dockerfile/entrypoint.js'
import {templateNames} from '../../../src/render/dockerfile/templates.js'
import {renderService} from '../../../src/render/service.js'
import type {HostFacts} from '../../../src/types/facts.js'

const HOSTS = ['debian12-legacy', 'debian12-stacks']

async function plans() {
  const rules = await loadRules()
  return HOSTS.map((host) => {
    const facts = JSON.parse(readFileSync(`test/fixtures/hosts/${host}/facts.json`, 'utf8')) as HostFacts
    return {facts, plan: buildPlan(detect(facts, rules), facts)}
  })
}

/** What a fetch of the app's folder reports: a config with a placeholder, owned as on the host. */
const FETCHED: FetchReport = {
  files: [
    {path: '/etc/billing/app.conf', size: 120, mode: 0o640, uid: 0, gid: 999, sha256: 'x', role: 'discovered', redactions: 1},
    {path: '/opt/billing/app.py', size: 900, mode: 0o755, uid: 0, gid: 0, sha256: 'y', role: 'application', redactions: 0},
  ],
  dirs: [{path: '/etc/billing', mode: 0o750, uid: 0, gid: 999}, {path: '/var/lib/billing', mode: 0o750, uid: 999, gid: 999}],
  symlinks: [], skipped: [], capsHit: [], setIdStripped: [], errors: [], bytes: 1020,
  secrets: [{name: 'DB_PASSWORD', file: '/etc/billing/app.conf', line: 9}],
  secretFiles: [],
  discovered: [{path: '/var/lib/mysql', type: 'dir', namedIn: {file: '/opt/billing/app.py', line: 3}, copied: false, reason: 'larger than the discovery caps'}],
  runtimeDirs: [{path: '/var/log/billing', namedIn: {file: '/etc/billing/app.conf', line: 4}}],
  namedPorts: [{port: 5432, file: '/etc/billing/app.conf', line: 6}],
}

describe('Dockerfile templates', () => {
  it('every template a rule names exists, and every template is named by a rule or is the fallback', async () => {
    const rules = await loadRules()
    const named = new Set(rules.rules.map((r) => r.emit.template).filter((t): t is string => Boolean(t)))
    const templates = new Set(templateNames())
    for (const name of named) expect(templates.has(name), `rule template ${name}`).toBe(true)
    for (const name of templates) expect(named.has(name) || name === 'generic', `template ${name} is used by no rule`).toBe(true)
  })

  it('renders every service of two real hosts into a Dockerfile that passes every check', async () => {
    for (const {facts, plan} of await plans()) {
      for (const service of plan.services) {
        const rendered = renderService(plan, service, facts, undefined)
        expect(rendered.findings, `${plan.host}/${service.name}`).toEqual([])
      }
    }
  })

  it('traces each instruction to the plan field that produced it', async () => {
    for (const {facts, plan} of await plans()) {
      for (const service of plan.services) {
        const lines = renderService(plan, service, facts, FETCHED).files[0]!.content.split('\n')
        lines.forEach((line, i) => {
          if (!/^[A-Z]+ /.test(line) || line.startsWith('ENV DEBIAN_FRONTEND')) return
          const above = lines.slice(0, i).reverse().find((l) => l.startsWith('# '))
          expect(above, `${plan.host}/${service.name} line ${i + 1}: ${line}`).toMatch(/^# (plan: services\.[a-z0-9_.-]+\.[A-Za-z.]+ — |template )/)
        })
      }
    }
  })

  it('pins the host package versions for apt, dependencies included, and puts back owners by name', async () => {
    const {facts, plan} = (await plans())[0]!
    const app = plan.services.find((s) => s.name === 'app')!
    const rendered = renderService(plan, app, facts, FETCHED)
    const dockerfile = rendered.files.find((f) => f.path === 'Dockerfile')!.content
    expect(dockerfile).toContain('COPY hoist/apt-preferences /etc/apt/preferences.d/hoist-host-versions')
    const preferences = rendered.files.find((f) => f.path === 'hoist/apt-preferences')!.content
    expect(preferences).toContain('Package: python3.11\nPin: version 3.11.2-6+deb12u8\nPin-Priority: 1000\n')
    expect(dockerfile).toMatch(/chown -R billing:billing \/var\/lib\/billing/)
    expect(dockerfile).toMatch(/chown root:billing \/etc\/billing\b/)
    expect(dockerfile).toContain('USER billing')
    expect(dockerfile).toContain('ENTRYPOINT ["/usr/local/lib/hoist/entrypoint.sh"]')
    expect(dockerfile).toContain('mkdir -p /var/lib/mysql')
    expect(dockerfile).toContain('install -d -o billing -g billing /var/log/billing')
    expect(rendered.service.secrets.map((s) => s.name)).toEqual(['BILLING_DB_PASSWORD', 'DB_PASSWORD'])
    // app.conf points at port 5432: the app depends on PostgreSQL, though no connection was open.
    expect(rendered.service.dependsOn).toEqual(['postgresql'])
  })

  it('skips what cannot be lifted faithfully instead of pretending', async () => {
    const {plan} = (await plans())[1]!
    const ruby = plan.services.find((s) => s.name === 'ruby-app')!
    const {cannotLift} = await import('../../../src/render/service.js')
    expect(cannotLift(plan, ruby)).toMatch(/give the full command/)
  })
})

describe('the entrypoint that supplies secrets at run time', () => {
  it('exports redacted environment variables from /run/secrets and renders placeholders with awk', () => {
    const script = entrypointScript({service: 'app', envSecrets: ['BILLING_DB_PASSWORD'], files: ['/etc/billing/app.conf'], secretFiles: []})
    expect(script).toContain('BILLING_DB_PASSWORD=$(cat /run/secrets/BILLING_DB_PASSWORD)')
    expect(script).toContain('awk "$render" /etc/billing/app.conf')
    expect(script.trim().endsWith('exec "$@"')).toBe(true)
  })

  it('puts the value back in the file at start, keeps the rest byte for byte, and names what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoist-entrypoint-'))
    const conf = join(dir, 'app.conf')
    writeFileSync(conf, '[db]\npassword = @@HOIST_SECRET:DB_PASSWORD@@\ntoken = "@@HOIST_SECRET:API_TOKEN@@"\n')
    const script = join(dir, 'entrypoint.sh')
    writeFileSync(script, entrypointScript({service: 'app', envSecrets: [], files: [conf], secretFiles: []}))
    const result = spawnSync('sh', [script, 'echo', 'started'], {env: {PATH: process.env.PATH, DB_PASSWORD: 'pw with $ and "quotes" & \\'}, encoding: 'utf8'})
    expect(result.stdout).toBe('started\n')
    expect(readFileSync(conf, 'utf8')).toBe('[db]\npassword = pw with $ and "quotes" & \\\ntoken = "@@HOIST_SECRET:API_TOKEN@@"\n')
    expect(result.stderr).toContain('secret API_TOKEN was not supplied')
  })
})
