// Smoke test of the stacks fixture host: every stack runs as its usual user and answers on its
// port. If this fails, the debian12-stacks fixture cannot be re-captured (capture.ts).
// Needs root (namespaces, mounts); the first run builds the stacks rootfs cache (~2 min).
import {execFile} from 'node:child_process'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {ensureStacksRootfs, type FixtureHost, PLANTED_SECRET, STACK_MARKERS, STACK_PORTS, startStacksHost} from './stacks-host.js'

const exec = promisify(execFile)
const timings: Record<string, number> = {}
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const start = Date.now()
  try {
    return await fn()
  } finally {
    timings[label] = Date.now() - start
  }
}

/** Sends bytes to a TCP port from the machine; resolves with the first bytes that come back. */
function tcpExchange(host: string, port: number, send: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({host, port, timeout: 5000}, () => socket.write(send))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data)
    })
    socket.once('timeout', () => socket.destroy(new Error(`${host}:${port}: no answer in 5 s`)))
    socket.once('error', reject)
  })
}

/** Python run inside the host: the loopback-only services are reachable only from there. */
const tcpInside = (port: number, send: string) => `python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", ${port}), 3)
s.sendall(${JSON.stringify(send)}.encode())
s.settimeout(3)
sys.stdout.write(s.recv(200).decode("latin-1") if ${JSON.stringify(send)} else "connected")
'`

describe('stacks fixture host', () => {
  let dir: string
  let host: FixtureHost

  beforeAll(async () => {
    await timed('ensureStacksRootfs', ensureStacksRootfs)
    dir = await mkdtemp(join(tmpdir(), 'hoist-stacks-test-'))
    await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')])
    const authorizedKeys = [await readFile(join(dir, 'id.pub'), 'utf8')]
    host = await timed('start (up)', () => startStacksHost({name: 'stacks-smoke', index: 63, authorizedKeys}))
  }, 900_000)

  afterAll(async () => {
    await timed('stop (down)', async () => host?.stop())
    if (dir) await rm(dir, {recursive: true, force: true})
    console.log('stacks host timings (ms):', timings)
  })

  const http = async (port: number, path = '/') => {
    const response = await fetch(`http://${host.address}:${port}${path}`, {signal: AbortSignal.timeout(10_000)})
    return {status: response.status, body: await response.text()}
  }

  test.each<[number, string, string]>([
    [80, STACK_MARKERS.php, 'apache2 + mod_php'],
    [8080, STACK_MARKERS.tomcat, 'tomcat10'],
    [8081, STACK_MARKERS.jar, 'java -jar'],
    [3000, STACK_MARKERS.node, 'node'],
    [8000, STACK_MARKERS.flask, 'gunicorn + Flask'],
    [8001, STACK_MARKERS.uwsgi, 'uwsgi'],
    [9292, STACK_MARKERS.puma, 'puma'],
    [8404, STACK_MARKERS.node, 'haproxy -> node'],
  ])('HTTP :%i answers with its marker (%s, %s)', async (port, marker) => {
    const {status, body} = await http(port)
    expect(status).toBe(200)
    expect(body).toContain(marker)
  })

  test('the PHP page is run by PHP, not served as source', async () => {
    const {body} = await http(80, '/index.php')
    expect(body).toMatch(new RegExp(`${STACK_MARKERS.php}: storefront on PHP 8\\.2\\.`))
    expect(body).not.toContain('<?php')
  })

  test('rabbitmq speaks AMQP 0-9-1 on :5672', async () => {
    const reply = await tcpExchange(host.address, 5672, Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'))
    expect(reply[0]).toBe(1) // a method frame: connection.start
    expect(reply.toString('latin1')).toContain('RabbitMQ')
  })

  test('memcached answers on 127.0.0.1:11211', async () => {
    const r = await host.exec(tcpInside(11211, 'version\r\n'))
    expect(r.stdout, r.stderr).toMatch(/^VERSION 1\.6\./)
  })

  test('php-fpm accepts connections on 127.0.0.1:9000', async () => {
    const r = await host.exec(tcpInside(9000, ''))
    expect(r.stdout, r.stderr).toBe('connected')
  })

  test('mariadb answers, and has the shop database', async () => {
    const one = await host.exec("mysql -e 'select 1'")
    expect(one.code, one.stderr).toBe(0)
    expect(one.stdout).toBe('1\n1\n')
    const tcp = await host.exec(`MYSQL_PWD=${PLANTED_SECRET} mysql -h 127.0.0.1 -u shop -N -e 'select count(*) from shop.products'`)
    expect(tcp.stdout, tcp.stderr).toBe('3\n')
  })

  test('each stack runs as its usual user', async () => {
    const ps = await host.exec('ps -eo user:20,comm')
    const pairs = new Set(ps.stdout.split('\n').map((l) => l.trim().split(/\s+/).join(' ')))
    // Plus the root parents that pre-fork servers keep, epmd beside rabbitmq, and cron.
    const extra = ['root apache2', 'root php-fpm8.2', 'epmd epmd', 'root cron']
    for (const pair of [...STACK_PORTS.map((s) => `${s.user} ${s.comm}`), ...extra]) {
      expect(pairs, pair).toContain(pair)
    }
  })

  test('every port listens, owned by the expected process', async () => {
    const ss = (await host.exec('ss -Hltnp')).stdout
    const owners = new Map<number, string>()
    for (const line of ss.split('\n').filter(Boolean)) {
      const port = Number(/:(\d+)\s/.exec(line.split(/\s+/)[3] + ' ')?.[1])
      const comm = /users:\(\("([^"]+)"/.exec(line)?.[1]
      if (comm) owners.set(port, comm)
    }
    for (const {port, comm} of STACK_PORTS) expect(owners.get(port), `port ${port}`).toBe(comm)
  })

  test('the java -jar app and gunicorn are started as their units say', async () => {
    const jar = await host.exec('tr "\\0" " " < /proc/$(cat /run/pricing.pid)/cmdline')
    expect(jar.stdout.trim()).toBe('/usr/bin/java -jar /opt/app/app.jar')
    const gunicorn = await host.exec('tr "\\0" " " < /proc/$(cat /run/flask-app.pid)/cmdline')
    expect(gunicorn.stdout).toContain('/usr/bin/gunicorn --config /etc/flask-app/gunicorn.conf.py app:app')
    const uwsgi = await host.exec('tr "\\0" " " < /proc/$(cat /run/uwsgi/app/hello/pid)/cmdline')
    expect(uwsgi.stdout).toContain('--ini /etc/uwsgi/apps-enabled/hello.ini')
  })

  test('the planted secret is in gunicorn\'s environment, for scans to redact', async () => {
    const env = await host.exec('tr "\\0" "\\n" < /proc/$(cat /run/flask-app.pid)/environ')
    expect(env.stdout).toContain(`SHOP_DB_PASSWORD=${PLANTED_SECRET}\n`)
  })

  test('the nightly report job is scheduled, and runs as reports', async () => {
    expect(await readFile(join(host.rootDir, 'etc/cron.d/nightly-report'), 'utf8')).toContain('reports /opt/reports/bin/nightly.sh')
    const r = await host.exec('su -s /bin/sh reports -c /opt/reports/bin/nightly.sh && stat -c "%U %n" /var/lib/reports/report-*.txt')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^reports \/var\/lib\/reports\/report-\d{4}-\d\d-\d\d\.txt\n$/)
  })

  test('root can log in over SSH with the key it was given', async () => {
    const knownHosts = join(dir, 'known_hosts')
    await writeFile(knownHosts, `${host.knownHostsLine()}\n`)
    const {stdout} = await exec('ssh', ['-F', '/dev/null', '-i', join(dir, 'id'), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
      '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'StrictHostKeyChecking=yes',
      `root@${host.address}`, 'hostname'])
    expect(stdout.trim()).toBe('stacks-smoke')
  })
})
