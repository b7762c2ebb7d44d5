import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {HostFacts} from '../../../src/types/facts.js'
import {hoist} from '../cli.js'
import {diffTrees, ensureRootfs, hashTree, PLANTED_SECRET, startFixtureHost, type FixtureHost} from '../hosts/host.js'
import {startSession} from '../session.js'

let host: FixtureHost
let dir: string
let key: string
let before: Map<string, string>

beforeAll(async () => {
  await ensureRootfs()
  ;({host, dir, key} = await startSession(startFixtureHost, {
    name: 'legacy-scan',
    index: 31,
    // Passwordless sudo for the scan user, as a customer would grant it for --sudo.
    mutate: (root) => writeFileSync(join(root, 'etc/sudoers.d/hoist'), 'hoist ALL=(ALL) NOPASSWD: ALL\n', {mode: 0o440}),
  }))
  before = await hashTree(host.rootDir)
}, 600_000)

afterAll(async () => {
  await host?.stop()
})

function knownHosts(name: string, line?: string): string {
  const file = join(dir, name)
  if (line !== undefined) writeFileSync(file, `${line}\n`)
  return file
}

async function scan(user: string, out: string, kh: string, ...extra: string[]) {
  return hoist(['scan', `${user}@${host.address}`, '--identity', key, '--known-hosts', kh, '--out', out, ...extra])
}

function facts(out: string): HostFacts {
  return JSON.parse(readFileSync(join(out, 'hosts', host.address, 'facts.json'), 'utf8')) as HostFacts
}

function filesUnder(root: string): string[] {
  return readdirSync(root, {recursive: true, encoding: 'utf8'}).map((f) => join(root, f)).filter((f) => statSync(f).isFile())
}

describe('hoist scan against a real fixture host', () => {
  it('refuses an unknown host key with its fingerprint, and writes no known_hosts', async () => {
    const kh = join(dir, 'kh-none')
    const r = await scan('root', join(dir, 'out-unknown'), kh)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('SSH_HOSTKEY_UNKNOWN')
    expect(r.stderr).toMatch(/SHA256:[A-Za-z0-9+/]{43}/)
    expect(r.stderr).toContain('--accept-new')
    expect(existsSync(kh)).toBe(false)
  })

  it('refuses a changed host key, even with --accept-new', async () => {
    const other = join(dir, 'other')
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const [type, blob] = readFileSync(`${other}.pub`, 'utf8').split(' ')
    const kh = knownHosts('kh-changed', `${host.address} ${type} ${blob}`)
    const r = await scan('root', join(dir, 'out-changed'), kh, '--accept-new')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('SSH_HOSTKEY_CHANGED')
    expect(readFileSync(kh, 'utf8')).toBe(`${host.address} ${type} ${blob}\n`)
  })

  it('trusts a new key on first use with --accept-new, then scans strictly', async () => {
    const kh = join(dir, 'kh-tofu')
    const first = await scan('root', join(dir, 'out-tofu'), kh, '--accept-new')
    expect(first.code, first.stderr).toBe(0)
    expect(readFileSync(kh, 'utf8')).toContain(host.hostKeys.find((k) => k.type === 'ssh-ed25519')!.blob)
    const second = await scan('root', join(dir, 'out-tofu'), kh)
    expect(second.code, second.stderr).toBe(0)
  })

  describe('as root', () => {
    const out = () => join(dir, 'out-root')
    let f: HostFacts
    beforeAll(async () => {
      const r = await scan('root', out(), knownHosts('kh-root', host.knownHostsLine()), '--sample', '2s')
      expect(r.code, r.stderr).toBe(0)
      f = facts(out())
    }, 120_000)

    it('finds the OS, the processes and their users', () => {
      expect(f.os).toMatchObject({id: 'debian', versionId: '12'})
      expect(f.host.hostname).toBe('legacy-scan')
      const byComm = (c: string) => f.processes.filter((p) => p.comm === c)
      expect(byComm('nginx').length).toBeGreaterThan(0)
      expect(byComm('redis-server')[0]?.user).toBe('redis')
      expect(byComm('postgres')[0]?.user).toBe('postgres')
      expect(byComm('cron').length).toBe(1)
      const app = f.processes.find((p) => p.argv.includes('/opt/billing/app.py'))
      expect(app?.user).toBe('billing')
      expect(app?.cwd).toBe('/opt/billing')
    })

    it('finds every listening port with its owning process', () => {
      for (const [port, comm] of [[22, 'sshd'], [80, 'nginx'], [6379, 'redis-server'], [5432, 'postgres'], [8080, 'python3']] as const) {
        const l = f.listeners.find((x) => x.port === port && x.protocol.startsWith('tcp'))
        expect(l, `port ${port}`).toBeDefined()
        expect(f.processes.find((p) => p.pid === l!.pid)?.comm, `owner of ${port}`).toBe(comm)
      }
    })

    it('finds packages, cron entries, units and users', () => {
      const pkg = (n: string) => f.packages.find((p) => p.name === n)
      expect(pkg('nginx')?.manager).toBe('dpkg')
      expect(pkg('redis-server')?.version).toMatch(/^5:7\./)
      expect(pkg('postgresql-15')).toBeDefined()
      expect(f.cron).toContainEqual(expect.objectContaining({source: '/etc/cron.d/billing-export', user: 'billing', command: expect.stringContaining('/opt/billing/bin/export.sh')}))
      expect(f.cron.some((c) => c.source === '/var/spool/cron/crontabs/billing' && c.user === 'billing')).toBe(true)
      const unit = f.units.find((u) => u.name === 'billing.service')
      expect(unit).toMatchObject({user: 'billing', workingDirectory: '/opt/billing', environmentFiles: ['/etc/billing/billing.env']})
      expect(unit?.environment.BILLING_DB_PASSWORD).toBe('<redacted>')
      expect(unit?.environment.BILLING_MODE).toBe('batch')
      expect(f.users.map((u) => u.name)).toEqual(expect.arrayContaining(['billing', 'postgres', 'redis', 'www-data']))
    })

    it('reads the secret-bearing environment, redacted', () => {
      const app = f.processes.find((p) => p.argv.includes('/opt/billing/app.py'))
      expect(app?.env?.BILLING_DB_PASSWORD).toBe('<redacted>')
    })

    it('takes utilisation samples and sizes data paths', () => {
      expect(f.utilisation.samples.length).toBeGreaterThanOrEqual(2)
      expect(f.utilisation.samples[1]?.cpuBusyPercent).toBeGreaterThanOrEqual(0)
      expect(f.dataPaths.find((d) => d.path === '/var/lib/postgresql')?.sizeBytes).toBeGreaterThan(0)
    })

    it('writes a transcript with every command and the probe hash, and an index entry', () => {
      const t = readFileSync(join(out(), 'hosts', host.address, 'transcript.log'), 'utf8')
      expect(t).toContain(`probe sha256:     ${f.probe.sha256}`)
      expect(t).toContain("grep -H '' /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6")
      const index = JSON.parse(readFileSync(join(out(), 'index.json'), 'utf8'))
      expect(index.hosts[host.address]).toMatchObject({status: 'scanned', transport: 'ssh'})
    })
  })

  it('as a non-root user without sudo: degrades, and says what it could not read', async () => {
    const out = join(dir, 'out-user')
    const r = await scan('hoist', out, knownHosts('kh-user', host.knownHostsLine()))
    expect(r.code, r.stderr).toBe(0)
    const f = facts(out)
    expect(f.host.probeUid).not.toBe(0)
    expect(f.listeners.map((l) => l.port)).toEqual(expect.arrayContaining([22, 80, 5432, 6379, 8080]))
    expect(f.listeners.find((l) => l.port === 5432)?.pid).toBeUndefined()
    expect(f.processes.find((p) => p.comm === 'postgres')?.env).toBeUndefined()
    expect(f.probeErrors).toContainEqual(expect.objectContaining({section: 'cron', message: expect.stringContaining('/var/spool/cron/crontabs')}))
  })

  it('with --sudo: runs the probe through sudo -n and sees every process', async () => {
    const out = join(dir, 'out-sudo')
    const r = await scan('hoist', out, knownHosts('kh-sudo', host.knownHostsLine()), '--sudo')
    expect(r.code, r.stderr).toBe(0)
    const f = facts(out)
    expect(f.host.probeUid).toBe(0)
    expect(f.listeners.find((l) => l.port === 5432)?.pid).toBeDefined()
  })

  it('with --size-budget 0s: lists the data paths without sizes and says why', async () => {
    const out = join(dir, 'out-unsized')
    const r = await scan('root', out, knownHosts('kh-unsized', host.knownHostsLine()), '--size-budget', '0s')
    expect(r.code, r.stderr).toBe(0)
    const f = facts(out)
    expect(f.dataPaths.find((d) => d.path === '/var/lib/postgresql')).toMatchObject({reasons: expect.any(Array)})
    expect(f.dataPaths.every((d) => d.sizeBytes === undefined)).toBe(true)
    expect(f.probeErrors).toContainEqual({section: 'datapaths', message: `directory sizing stopped at its time limit (--size-budget): ${f.dataPaths.length} data paths without a size`})
  })

  it('shows help for a command through `hoist help`', async () => {
    const r = await hoist(['help', 'scan'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('--size-budget')
    expect(r.stdout).toMatch(/^Inventory hosts over SSH/)
  })

  it('left the host unchanged, and no planted secret reached the output', async () => {
    expect(diffTrees(before, await hashTree(host.rootDir))).toEqual([])
    for (const file of filesUnder(dir).filter((f) => f.includes('/out-'))) {
      expect(readFileSync(file, 'utf8').includes(PLANTED_SECRET), file).toBe(false)
    }
  })
})
