import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Inventory} from '../../../src/types/inventory.js'
import {parsePlan} from '../../../src/workspace/plan-file.js'
import {hoist} from '../cli.js'
import {ensureRootfs, startFixtureHost, type FixtureHost} from '../hosts/host.js'
import {startSession} from '../session.js'

let host: FixtureHost
let out: string

beforeAll(async () => {
  await ensureRootfs()
  const session = await startSession(startFixtureHost, {name: 'legacy-plan', index: 34})
  host = session.host
  out = join(session.dir, 'out')
  const scan = await hoist(['scan', `root@${host.address}`, '--name', 'legacy', '--identity', session.key, '--known-hosts', session.knownHosts, '--out', out, '--sample', '2s'])
  expect(scan.code, scan.stderr).toBe(0)
}, 600_000)

afterAll(async () => {
  await host?.stop()
})

describe('hoist plan on a real legacy host', () => {
  it('finds each application with the right ports, paths, user and command', async () => {
    const r = await hoist(['plan', '--out', out])
    expect(r.code, r.stderr).toBe(0)
    const inv = JSON.parse(readFileSync(join(out, 'hosts/legacy/inventory.json'), 'utf8')) as Inventory
    const by = (rule: string) => inv.workloads.filter((w) => w.rule === rule)
    expect(by('web/nginx')[0]).toMatchObject({user: 'root', ports: [expect.objectContaining({port: 80})]})
    expect(by('web/nginx')[0]!.configPaths.map((p) => p.path)).toContain('/etc/nginx')
    expect(by('db/postgresql')[0]).toMatchObject({user: 'postgres', version: '15', ports: [expect.objectContaining({port: 5432})]})
    expect(by('db/postgresql')[0]!.dataPaths.find((p) => p.path === '/var/lib/postgresql/15/main')?.sizeBytes).toBeGreaterThan(0)
    expect(by('cache/redis')[0]).toMatchObject({user: 'redis', ports: [expect.objectContaining({port: 6379})]})
    expect(by('runtime/python')[0]).toMatchObject({user: 'billing', command: ['/usr/bin/python3', '/opt/billing/app.py'], secrets: ['BILLING_DB_PASSWORD']})
    expect(by('batch/cron-job').map((w) => w.user)).toEqual(['billing', 'billing'])
    expect(inv.unclaimed.ports).toEqual([])

    const plan = parsePlan(readFileSync(join(out, 'hosts/legacy/plan.yaml'), 'utf8'), 'plan.yaml')
    const redis = plan.services.find((s) => s.rule === 'cache/redis')!
    expect(redis.command.slice(0, 2)).toEqual(['/usr/bin/redis-server', '/etc/redis/redis.conf'])
    expect(plan.services.find((s) => s.rule === 'runtime/python')?.resources.memoryMiB).toBeGreaterThan(0)
    expect(readFileSync(join(out, 'hosts/legacy/plan.yaml'), 'utf8')).not.toContain('s3cr3t')
  })

  it('keeps a hand edit across re-runs, and --check names the line of a bad one', async () => {
    const file = join(out, 'hosts/legacy/plan.yaml')
    const edited = readFileSync(file, 'utf8').replace('      image: debian:12\n', '      image: debian:12.8\n')
    writeFileSync(file, edited)
    const again = await hoist(['plan', '--out', out])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('plan.yaml has your edits: kept')
    expect(readFileSync(file, 'utf8')).toBe(edited)
    writeFileSync(file, edited.replace('    include: true\n', '    include: maybe\n'))
    const check = await hoist(['plan', '--check', '--out', out])
    expect(check.code).toBe(1)
    expect(check.stderr).toMatch(/PLAN_INVALID[\s\S]*plan\.yaml:\d+: \/services\/0\/include: must be boolean/)
  })
})
