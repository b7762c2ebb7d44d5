/**
 * Plausible Artifacts for the real fixture hosts, built from their plans the way `hoist generate`
 * does (same contract: src/types/artifacts.ts), so the compose, LinuxKit and Kubernetes renderers
 * can be tested before and independently of the generator.
 *
 * The plans are stored beside the golden files (test/fixtures/golden/<host>/plan.yaml) so a change
 * to detection or planning does not silently move these goldens. To refresh them on purpose:
 *   npm run build && rm -rf /tmp/sub && for h in debian12-legacy debian12-stacks; do
 *     node bin/run.js scan --from test/fixtures/hosts/$h/probe-output.txt --name $h --out /tmp/sub --quiet; done &&
 *   node bin/run.js plan --out /tmp/sub --quiet && cp /tmp/sub/hosts/<host>/plan.yaml test/fixtures/golden/<host>/
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import type {ErrorObject} from 'ajv'
import {expect} from 'vitest'
import {parse} from 'yaml'
import {ARTIFACTS_SCHEMA_VERSION, type Artifacts, type GeneratedService} from '../../../src/types/artifacts.js'
import type {HostFacts} from '../../../src/types/facts.js'
import type {Plan, Service} from '../../../src/types/plan.js'

export const FIXTURE_HOSTS = ['debian12-legacy', 'debian12-stacks'] as const
export type FixtureHost = (typeof FIXTURE_HOSTS)[number]

/**
 * Dependencies the fixtures' probes caught no connection for, from the services' configuration:
 * the billing app's BILLING_DB_PASSWORD is for the host's PostgreSQL; the flask shop's SHOP_DB_* for MariaDB.
 */
const CONFIGURED_DEPENDENCIES: Record<FixtureHost, Record<string, string[]>> = {
  'debian12-legacy': {app: ['postgresql']},
  'debian12-stacks': {'flask-app': ['mariadb']},
}

const ENTRYPOINT = '/usr/local/lib/hoist/entrypoint.sh'
const GENERATED_AT = '2026-01-01T00:00:00.000Z'

export function fixtureFacts(host: FixtureHost): HostFacts {
  return JSON.parse(readFileSync(`test/fixtures/hosts/${host}/facts.json`, 'utf8')) as HostFacts
}

export function fixturePlan(host: FixtureHost): Plan {
  return parse(readFileSync(`test/fixtures/golden/${host}/plan.yaml`, 'utf8')) as Plan
}

export function fixture(host: FixtureHost): {facts: HostFacts; plan: Plan; artifacts: Artifacts} {
  const facts = fixtureFacts(host)
  const plan = fixturePlan(host)
  return {facts, plan, artifacts: fixtureArtifacts(plan, facts, CONFIGURED_DEPENDENCIES[host])}
}

export function fixtureArtifacts(plan: Plan, facts: HostFacts, configured: Record<string, string[]> = {}): Artifacts {
  const skipped: Artifacts['skipped'] = []
  const lifted: Service[] = []
  for (const service of plan.services) {
    const reason = cannotLift(plan, service)
    if (reason) skipped.push({service: service.name, reason})
    else lifted.push(service)
  }
  const names = new Set(lifted.map((s) => s.name))
  const services = lifted.map((s) => generated(plan.host, s, facts, [...(s.dependsOn ?? []), ...(configured[s.name] ?? [])].filter((d) => names.has(d))))
  return {schemaVersion: ARTIFACTS_SCHEMA_VERSION, host: plan.host, generatedAt: GENERATED_AT, services, skipped}
}

function cannotLift(plan: Plan, service: Service): string | undefined {
  if (!service.include) return 'excluded in the plan (include: false)'
  const blocking = plan.unresolved.find((u) => u.service === service.name && (u.question.startsWith('BLOCKER') || /give (it|the full command)/.test(u.question)))
  return blocking ? `open question in plan.yaml: ${blocking.question}` : undefined
}

function generated(host: string, s: Service, facts: HostFacts, dependsOn: string[]): GeneratedService {
  const account = facts.users.find((u) => u.name === s.user)
  const healthcheck = healthTest(s)
  return {
    name: s.name,
    kind: s.kind,
    image: `hoist/${host}-${s.name}:1`,
    context: `services/${s.name}`,
    baseImage: s.baseImage.image,
    ports: s.ports,
    volumes: s.volumes.map((v) => ({name: volumeName(s.name, v.path), path: v.path, role: v.role, ...(v.sizeBytes === undefined ? {} : {sizeBytes: v.sizeBytes})})),
    user: {name: s.user, ...(account ? {uid: account.uid, gid: account.gid} : {})},
    environment: s.environment,
    secrets: s.secrets.map((name) => ({name, source: 'environment of the original'})),
    ...(healthcheck ? {healthcheck: {test: healthcheck, intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 30}} : {}),
    command: s.secrets.length > 0 ? [ENTRYPOINT, ...s.command] : s.command,
    dependsOn: [...new Set(dependsOn)].sort(),
    capabilities: s.capabilities ?? (s.ports.some((p) => p.port < 1024) ? ['CAP_NET_BIND_SERVICE'] : []),
    resources: {cpu: s.resources.cpu, memoryMiB: s.resources.memoryMiB},
    ...(s.schedule ? {schedule: s.schedule} : {}),
    ...(s.kind === 'database' && s.volumes.length > 0 ? {migration: `services/${s.name}/migrate.sh`} : {}),
  }
}

/** The generator's exec-form checks: port checks through bash's /dev/tcp, no curl needed. */
function healthTest(s: Service): string[] | undefined {
  const check = s.healthcheck
  if (!check) return undefined
  if (check.type === 'command') return check.command
  const connect = `exec 3<>/dev/tcp/127.0.0.1/${check.port}`
  if (check.type === 'tcp') return ['bash', '-c', connect]
  return ['bash', '-c', `${connect} && printf 'GET ${check.path} HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ code _ <&3 && [ "$code" -lt 500 ]`]
}

function volumeName(service: string, path: string): string {
  return `${service}-${path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9]+/g, '-') || 'root'}`.toLowerCase()
}

/** Compares with test/fixtures/golden/<host>/<file>; UPDATE_GOLDEN=1 rewrites it (on purpose only). */
export function expectGolden(host: FixtureHost, file: string, text: string): void {
  const path = `test/fixtures/golden/${host}/${file}`
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, text)
    return
  }
  expect(existsSync(path), `${path} is missing: run the tests with UPDATE_GOLDEN=1 to write it`).toBe(true)
  expect(text).toBe(readFileSync(path, 'utf8'))
}

type Validator = {(value: unknown): boolean; errors?: ErrorObject[] | null}

/**
 * The golden comparison, then each schema checked against what a reader of the text gets back
 * (not the object it was written from): returns that value for further checks.
 */
export function expectGoldenAndValid(host: FixtureHost, file: string, text: string, validators: Validator[]): unknown {
  expectGolden(host, file, text)
  const read: unknown = parse(text)
  for (const validate of validators) expect(schemaErrors(validate, read)).toEqual([])
  return read
}

/** A validator's errors as `path: message` lines: an empty list when the value is valid. */
export function schemaErrors(validate: Validator, value: unknown): string[] {
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(top)'}: ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
}

/** A small hand-made service for focused tests; every field plausible, overridable. */
export function makeService(name: string, overrides: Partial<GeneratedService> = {}): GeneratedService {
  return {
    name,
    kind: 'runtime',
    image: `hoist/test-${name}:1`,
    context: `services/${name}`,
    baseImage: 'debian:12',
    ports: [],
    volumes: [],
    user: {name: 'app', uid: 1000, gid: 1000},
    environment: {},
    secrets: [],
    command: [`/usr/bin/${name}`],
    dependsOn: [],
    capabilities: [],
    resources: {cpu: 0.1, memoryMiB: 64},
    ...overrides,
  }
}

export function makeArtifacts(services: GeneratedService[], host = 'test'): Artifacts {
  return {schemaVersion: ARTIFACTS_SCHEMA_VERSION, host, generatedAt: GENERATED_AT, services, skipped: []}
}

export function makePlan(host = 'test'): Plan {
  return {schemaVersion: 1, host, os: {id: 'debian', versionId: '12'}, services: [], excluded: [], unresolved: [], decisions: []}
}
