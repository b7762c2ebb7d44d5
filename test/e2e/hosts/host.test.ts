// Smoke test of the fixture hosts themselves: if this fails, every e2e scan test would too.
// Needs root (namespaces, mounts); the first run builds the rootfs cache (~2 min).
import {execFile} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readdir, readFile, readlink, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, test} from 'vitest'
import {diffTrees, ensureRootfs, FIXTURE_MARKERS, type FixtureHost, hashTree, PLANTED_SECRET, startFixtureHost} from './host.js'

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

describe('fixture host', () => {
  let dir: string
  let a: FixtureHost
  let b: FixtureHost | undefined

  const ssh = async (host: FixtureHost, user: string, cmd: string) => {
    const knownHosts = join(dir, `known_hosts.${host.name}`)
    await writeFile(knownHosts, `${host.knownHostsLine()}\n`)
    const options = ['-F', '/dev/null', '-i', join(dir, 'id'), '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
      '-o', 'ConnectTimeout=5', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'StrictHostKeyChecking=yes']
    return (await exec('ssh', [...options, `${user}@${host.address}`, cmd])).stdout
  }
  const curl = async (url: string) => (await exec('curl', ['-sf', '--max-time', '5', url])).stdout

  beforeAll(async () => {
    await timed('ensureRootfs', ensureRootfs)
    dir = await mkdtemp(join(tmpdir(), 'hoist-host-test-'))
    await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')])
    const authorizedKeys = [await readFile(join(dir, 'id.pub'), 'utf8')]
    a = await timed('start (up)', () => startFixtureHost({name: 'smoke-a', index: 201, authorizedKeys}))
  }, 900_000)

  afterAll(async () => {
    await a?.stop()
    await b?.stop()
    if (dir) await rm(dir, {recursive: true, force: true})
    console.log('fixture host timings (ms):', timings)
  })

  test('over SSH as hoist: the services run as their users and their ports listen', async () => {
    const out = await timed('ssh round trip', () => ssh(a, 'hoist', 'ps -eo user,comm; ss -ltnp'))
    const processes = new Set(out.split('\n').map((l) => l.trim().split(/\s+/).join(' ')))
    for (const p of ['root sshd', 'root nginx', 'www-data nginx', 'redis redis-server', 'postgres postgres', 'root cron', 'billing python3']) {
      expect(processes, p).toContain(p)
    }
    for (const port of [22, 80, 6379, 5432, 8080]) expect(out).toMatch(new RegExp(`LISTEN.*:${port}\\s`))
  })

  test('nginx serves the site and the billing app answers on 8080', async () => {
    expect(await curl(`http://${a.address}/`)).toContain(FIXTURE_MARKERS.site)
    expect(await curl(`http://${a.address}:8080/`)).toContain(FIXTURE_MARKERS.app)
  })

  test('the hostname is the host name, inside and over SSH', async () => {
    expect((await a.exec('hostname')).stdout.trim()).toBe('smoke-a')
    expect((await ssh(a, 'hoist', 'uname -n; cat /etc/hostname')).trim()).toBe('smoke-a\nsmoke-a')
  })

  test('the planted secret, the legacy artifacts, and what hoist may not do', async () => {
    const env = await a.exec('tr "\\0" "\\n" < /proc/$(cat /run/billing.pid)/environ')
    expect(env.stdout).toContain(`BILLING_DB_PASSWORD=${PLANTED_SECRET}\n`)
    const files = await a.exec('stat -c "%n %a %U:%G" /etc/billing/app.conf /var/spool/cron/crontabs/billing /etc/sudoers.d/hoist')
    expect(files.stdout).toBe('/etc/billing/app.conf 640 root:billing\n/var/spool/cron/crontabs/billing 600 billing:crontab\n/etc/sudoers.d/hoist 440 root:root\n')
    expect(await readFile(join(a.rootDir, 'etc/billing/app.conf'), 'utf8')).toContain(`db_password = ${PLANTED_SECRET}\n`)
    expect((await a.exec('su -s /bin/sh billing -c "psql -At -d billing -c \'select count(*) from invoices\'"')).stdout).toBe('3\n')
    expect((await a.exec("dpkg-query -W -f '${Status}' sysstat")).stdout).not.toContain(' installed')
    // A scan must cope with an unprivileged account: no secret, no sudo.
    expect(await ssh(a, 'hoist', 'id -Gn; cat /etc/billing/app.conf 2>&1; sudo -n true 2>&1; echo end')).toMatch(/^hoist\n.*Permission denied\n.*password is required\nend\n$/s)
  })

  test('an idle host does not change outside HASH_TREE_EXCLUDES while read over SSH', async () => {
    const before = await timed('hashTree', () => hashTree(a.rootDir))
    await ssh(a, 'hoist', 'ps -ef; ss -ltn; cat /etc/os-release; dpkg -l; ls -la /etc/cron.d /etc/systemd/system; crontab -l || true')
    await ssh(a, 'root', 'crontab -u billing -l; cat /etc/billing/app.conf; tr "\\0" " " </proc/1/environ')
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const idle = await hashTree(a.rootDir)
    expect(diffTrees(before, idle)).toEqual([])
    // Memoised digests must not hide an edit whose mtime was put back, nor a chmod.
    await a.exec('cp -p /etc/motd /tmp/motd && echo edited >>/etc/motd && touch -r /tmp/motd /etc/motd && chmod 600 /etc/issue')
    expect(diffTrees(idle, await hashTree(a.rootDir)).map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['~ /etc/issue', '~ /etc/motd'])
  })

  test('a second host runs at the same time on another index', async () => {
    const authorizedKeys = [await readFile(join(dir, 'id.pub'), 'utf8')]
    b = await startFixtureHost({name: 'smoke-b', index: 202, authorizedKeys, mutate: (root) => writeFile(join(root, 'var/www/html/index.html'), 'host b\n')})
    expect(b.address).toBe('10.210.202.2')
    expect((await ssh(b, 'hoist', 'hostname')).trim()).toBe('smoke-b')
    expect(await curl(`http://${b.address}/`)).toBe('host b\n')
    expect(await curl(`http://${a.address}/`)).toContain(FIXTURE_MARKERS.site) // mutate touched b only
    expect((await ssh(a, 'hoist', 'hostname')).trim()).toBe('smoke-a')
  })

  test('starting a name that is still up replaces it (the leftovers of a crashed run)', async () => {
    await a.exec('touch /run/old-run /etc/old-run')
    const authorizedKeys = [await readFile(join(dir, 'id.pub'), 'utf8')]
    a = await startFixtureHost({name: 'smoke-a', index: 201, authorizedKeys})
    expect((await a.exec('ls /run/old-run /etc/old-run 2>&1')).code).not.toBe(0) // fresh tree, fresh /run
    expect(await curl(`http://${a.address}:8080/`)).toContain(FIXTURE_MARKERS.app)
  })

  test('stop leaves no namespace, interface, process, mount or directory', async () => {
    const hosts = [a, b!]
    await timed('stop (down)', () => a.stop())
    await b!.stop()
    const netns = (await exec('ip', ['netns', 'list'])).stdout
    const links = (await exec('ip', ['-o', 'link'])).stdout
    const mounts = await readFile('/proc/self/mounts', 'utf8')
    for (const host of hosts) {
      expect(netns).not.toContain(`hoist-${host.name}`)
      expect(mounts).not.toContain(host.rootDir)
      expect(existsSync(join(host.rootDir, '..'))).toBe(false)
      expect(await processesRootedIn(host.rootDir)).toEqual([])
    }
    expect(links).not.toMatch(/hoistv20[12]\b/)
    await expect(curl(`http://${a.address}/`)).rejects.toThrow()
  })
})

async function processesRootedIn(rootDir: string): Promise<string[]> {
  const found: string[] = []
  for (const pid of (await readdir('/proc')).filter((e) => /^\d+$/.test(e))) {
    const root = await readlink(`/proc/${pid}/root`).catch(() => '')
    if (root.startsWith(rootDir)) found.push(pid)
  }
  return found
}
