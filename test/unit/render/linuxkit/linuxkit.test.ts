import {Ajv} from 'ajv'
import AjvDraft04 from 'ajv-draft-04'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {INIT, KERNEL} from '../../../../src/render/linuxkit/components.js'
import {diskLabel} from '../../../../src/render/linuxkit/disks.js'
import {renderLinuxkit, serialiseLinuxkit} from '../../../../src/render/linuxkit/linuxkit.js'
import {CONTAINER_KEYS, linuxkitSchema} from '../../../../src/render/linuxkit/linuxkit.schema.js'
import type {HostFacts} from '../../../../src/types/facts.js'
import {linuxkitReference} from './reference.js'
import {expectGoldenAndValid, fixture, fixtureFacts, FIXTURE_HOSTS, makeArtifacts, makePlan, makeService, schemaErrors} from '../fixture-artifacts.js'

// LinuxKit's own schema is reference data beside the project (../shared), read where it lies.
const LINUXKIT_SCHEMA = JSON.parse(linuxkitReference('schema.json')) as {definitions: {image: {properties: object}}}
// ajv-draft-04 is CommonJS: under NodeNext its class is the default export's `default`.
const linuxkitValidator = new AjvDraft04.default({allErrors: true, strict: false}).compile(LINUXKIT_SCHEMA)
const hoistValidator = new Ajv({strict: true, allErrors: true}).compile(linuxkitSchema)

function render(services: ReturnType<typeof makeService>[], facts: HostFacts = fixtureFacts('debian12-legacy')) {
  return renderLinuxkit(makeArtifacts(services), makePlan(), facts)
}

describe('linuxkit.yml', () => {
  it.each(FIXTURE_HOSTS)('%s: matches its golden file, LinuxKit\'s schema and Hoist\'s', (host) => {
    const {facts, plan, artifacts} = fixture(host)
    const text = serialiseLinuxkit(renderLinuxkit(artifacts, plan, facts), artifacts)
    expect(expectGoldenAndValid(host, 'linuxkit.yml', text, [linuxkitValidator, hoistValidator])).not.toHaveProperty('trust')
  })

  it('only uses keys LinuxKit knows, and its schema is live', () => {
    expect(CONTAINER_KEYS.filter((k) => !(k in LINUXKIT_SCHEMA.definitions.image.properties))).toEqual([])
    const manifest = render([makeService('app')])
    expect(schemaErrors(linuxkitValidator, {...manifest, services: [{...manifest.services[0], restart: 'always'}]})).not.toEqual([])
    expect(schemaErrors(hoistValidator, {...manifest, trust: {org: ['linuxkit']}})).toContainEqual(expect.stringContaining('trust'))
  })

  it('pins kernel and init to the versions of LinuxKit\'s examples', () => {
    const example = parse(linuxkitReference('example-linuxkit.yml')) as {kernel: {image: string}; init: string[]}
    const manifest = render([])
    expect(manifest.kernel.image).toBe(example.kernel.image)
    expect(manifest.init).toEqual(example.init)
    expect([manifest.kernel.image, ...manifest.init]).toEqual([KERNEL.image, ...INIT])
  })

  it('grants CAP_NET_BIND_SERVICE to a service on port 80 and not to one on 8080; never `all`', () => {
    const manifest = render([
      makeService('web', {ports: [{port: 80, protocol: 'tcp'}], user: {name: 'www-data', uid: 33, gid: 33}}),
      makeService('api', {ports: [{port: 8080, protocol: 'tcp'}], capabilities: ['CAP_NET_BIND_SERVICE', 'all']}),
    ])
    const [web, api] = manifest.services
    expect(web).toMatchObject({capabilities: ['CAP_NET_BIND_SERVICE'], ambient: ['CAP_NET_BIND_SERVICE'], uid: 33, gid: 33, noNewPrivileges: true})
    expect(api!.capabilities).toEqual([])
    expect(api!.ambient).toBeUndefined()
    expect(JSON.stringify(manifest)).not.toMatch(/"all"/i)
  })

  it('formats and mounts one disk per data path and binds it at the original path', () => {
    const manifest = render([makeService('db', {volumes: [{name: 'db-var-lib-postgresql', path: '/var/lib/postgresql', role: 'database'}]})])
    const label = diskLabel('db-var-lib-postgresql')
    expect(label.length).toBeLessThanOrEqual(16)
    expect(manifest.onboot.map((s) => s.name)).toEqual(['sysctl', 'dhcpcd', `format-${label}`, `mount-${label}`, 'hoist-prepare'])
    // No device named: format takes the next blank disk, so a reboot never reformats one.
    expect(manifest.onboot[2]!.command).toEqual(['/usr/bin/format', '-type', 'ext4', '-label', label])
    expect(manifest.onboot[3]!.command).toEqual(['/usr/bin/mountie', '-label', label, '/var/lib/hoist/db-var-lib-postgresql'])
    expect(manifest.onboot[4]!.command![2]).toContain('chown 1000:1000 /var/lib/hoist/db-var-lib-postgresql')
    expect(manifest.services[0]!.binds).toContain('/var/lib/hoist/db-var-lib-postgresql:/var/lib/postgresql')
    expect(manifest.files).toContainEqual({path: 'var/lib/hoist/db-var-lib-postgresql', directory: true})
  })

  it('binds secrets from the secrets disk, never from a file in the manifest', () => {
    const manifest = render([makeService('app', {secrets: [{name: 'DB_PASSWORD', source: 'env'}], environment: {MODE: 'batch'}})])
    expect(manifest.services[0]!.binds).toContain('/var/lib/hoist/secrets/app:/run/secrets:ro')
    expect(manifest.services[0]!.env).toEqual(['MODE=batch'])
    expect(manifest.onboot.map((s) => s.name)).toContain('mount-hoist-secrets')
    expect(JSON.stringify(manifest.files)).not.toContain('DB_PASSWORD')
  })

  it('configures the host\'s fixed address, or DHCP when it had none or when asked', () => {
    const facts = fixtureFacts('debian12-legacy')
    const fixed = render([], facts)
    expect(fixed.onboot[1]!['binds.add']).toEqual(['/etc/hoist/dhcpcd.conf:/dhcpcd.conf'])
    const conf = fixed.files.find((f) => f.path === 'etc/hoist/dhcpcd.conf')!.contents!
    expect(conf).toContain('static ip_address=10.210.62.2/24\nstatic routers=10.210.62.1\n')
    // The host's only resolver was on loopback (not lifted): the services' resolv.conf says so, and exists.
    expect(fixed.files.find((f) => f.path === 'etc/hoist/resolv.conf')!.contents).toMatch(/^# Hoist: .*\n# It resolved names through 127\.0\.0\.1/)
    expect(renderLinuxkit(makeArtifacts([makeService('app')]), makePlan(), facts).services[0]!.binds![0]).toBe('/etc/hoist/resolv.conf:/etc/resolv.conf:ro')
    const leased = {...facts, network: {...facts.network, addresses: facts.network.addresses.map((a) => ({...a, dynamic: true}))}}
    expect(render([], leased).onboot[1]!['binds.add']).toBeUndefined()
    expect(renderLinuxkit(makeArtifacts([]), makePlan(), facts, {network: 'dhcp'}).files).toEqual([])
  })

  it('carries the sysctls the host set over LinuxKit\'s own, and adds none when it set none', () => {
    const facts = fixtureFacts('debian12-legacy')
    expect(render([], facts).onboot[0]).toEqual({name: 'sysctl', image: expect.stringMatching(/^linuxkit\/sysctl:/)})
    const tuned = render([], {...facts, sysctl: [{key: 'vm.swappiness', value: '10', source: '/etc/sysctl.d/60-db.conf'}]})
    expect(tuned.onboot[0]!['binds.add']).toEqual(['/etc/sysctl.d/90-hoist-host.conf:/etc/sysctl.d/90-hoist-host.conf'])
    expect(tuned.files[0]!.contents).toContain('# from /etc/sysctl.d/60-db.conf\nvm.swappiness = 10\n')
  })

  it('leaves cron-driven services out (no scheduler) and says so', () => {
    const artifacts = makeArtifacts([makeService('nightly', {schedule: '15 1 * * *'}), makeService('web')])
    const manifest = renderLinuxkit(artifacts, makePlan(), fixtureFacts('debian12-legacy'))
    expect(manifest.services.map((s) => s.name)).toEqual(['web'])
    expect(serialiseLinuxkit(manifest, artifacts)).toContain('nightly is cron-driven (15 1 * * *) and LinuxKit has no scheduler')
  })
})
