import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Inventory} from '../../../src/types/inventory.js'
import {parsePlan} from '../../../src/workspace/plan-file.js'
import {hoist} from '../cli.js'
import {ensureStacksRootfs, PLANTED_SECRET, startStacksHost, type FixtureHost} from '../hosts/stacks/stacks-host.js'
import {startSession} from '../session.js'

let host: FixtureHost
let out: string

beforeAll(async () => {
  await ensureStacksRootfs()
  const session = await startSession(startStacksHost, {name: 'stacks-plan', index: 35})
  host = session.host
  out = join(session.dir, 'out')
  const scan = await hoist(['scan', `root@${host.address}`, '--name', 'stacks', '--identity', session.key, '--known-hosts', session.knownHosts, '--out', out])
  expect(scan.code, scan.stderr).toBe(0)
  const plan = await hoist(['plan', '--out', out])
  expect(plan.code, plan.stderr).toBe(0)
}, 900_000)

afterAll(async () => {
  await host?.stop()
})

// What really runs on the host (see build-stacks-rootfs.sh and init-stacks.sh).
const EXPECTED = [
  {rule: 'web/apache-httpd-mod-php', port: 80, user: 'root', command: '/usr/sbin/apache2'},
  {rule: 'app/php-fpm', port: 9000, user: 'root', command: 'php-fpm'},
  {rule: 'app/tomcat', port: 8080, user: 'tomcat', command: 'org.apache.catalina.startup.Bootstrap'},
  {rule: 'app/spring-boot-jar', port: 8081, user: 'app', command: '-jar /opt/app/app.jar'},
  {rule: 'runtime/nodejs', port: 3000, user: 'node', command: '/srv/node-app/server.js'},
  {rule: 'runtime/gunicorn', port: 8000, user: 'flask', command: '--config /etc/flask-app/gunicorn.conf.py'},
  {rule: 'runtime/uwsgi', port: 8001, user: 'www-data', command: '--ini /etc/uwsgi/apps-enabled/hello.ini'},
  {rule: 'runtime/ruby-puma', port: 9292, user: 'ruby', command: 'puma'},
  {rule: 'db/mysql-mariadb', port: 3306, user: 'mysql', command: 'mariadbd'},
  {rule: 'cache/memcached', port: 11211, user: 'memcache', command: '/usr/bin/memcached'},
  {rule: 'queue/rabbitmq', port: 5672, user: 'rabbitmq', command: 'beam.smp'},
  {rule: 'proxy/haproxy', port: 8404, user: 'haproxy', command: '-f /etc/haproxy/haproxy.cfg'},
]

describe('hoist plan on a real host running thirteen stacks', () => {
  it('finds each application with its port, user and command', () => {
    const inv = JSON.parse(readFileSync(join(out, 'hosts/stacks/inventory.json'), 'utf8')) as Inventory
    for (const e of EXPECTED) {
      const w = inv.workloads.filter((x) => x.rule === e.rule)
      expect(w.length, e.rule).toBe(1)
      expect(w[0]!.ports.map((p) => p.port), e.rule).toContain(e.port)
      expect(w[0]!.user, e.rule).toBe(e.user)
      expect(w[0]!.command.join(' '), e.rule).toContain(e.command)
    }
    expect(inv.workloads.find((w) => w.rule === 'batch/cron-job')).toMatchObject({user: 'reports', schedule: {schedule: '15 1 * * *'}})
    expect(inv.workloads.find((w) => w.rule === 'db/mysql-mariadb')!.dataPaths.find((p) => p.path === '/var/lib/mysql')?.sizeBytes).toBeGreaterThan(0)
    expect(inv.workloads.find((w) => w.rule === 'runtime/gunicorn')!.secrets).toContain('SHOP_DB_PASSWORD')
    expect(inv.unclaimed.ports).toEqual([])
  })

  it('plans every application, and no planted secret reaches the workspace', () => {
    const text = readFileSync(join(out, 'hosts/stacks/plan.yaml'), 'utf8')
    const plan = parsePlan(text, 'plan.yaml')
    for (const e of EXPECTED) expect(plan.services.some((s) => s.rule === e.rule && s.ports.some((p) => p.port === e.port)), e.rule).toBe(true)
    for (const f of ['facts.json', 'inventory.json', 'plan.yaml']) {
      expect(readFileSync(join(out, 'hosts/stacks', f), 'utf8').includes(PLANTED_SECRET), f).toBe(false)
    }
  })
})
