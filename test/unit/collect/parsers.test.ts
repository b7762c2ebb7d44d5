import {describe, expect, it} from 'vitest'
import type {HostFacts, Listener, ProcessFact, UnitFact} from '../../../src/types/facts.js'
import {assertHostFacts} from '../../../src/types/validate.js'
import {MARKER, parseFixture, parseOutput, readFixture, withSectionBody} from './probe-fixtures.js'

const KIB = 1024
const PAGE = 4096

/** The one item that matches; a clear error when there are none or several. */
function one<T>(items: T[], match: (item: T) => boolean, what: string): T {
  const found = items.filter(match)
  if (found.length !== 1) throw new Error(`expected exactly one ${what}, found ${found.length}`)
  return found[0]!
}

function proc(f: HostFacts, match: (p: ProcessFact) => boolean): ProcessFact {
  return one(f.processes, match, 'matching process')
}

function byPid(f: HostFacts, pid: number): ProcessFact {
  return one(f.processes, (p) => p.pid === pid, `process ${pid}`)
}

function unit(f: HostFacts, name: string): UnitFact {
  return one(f.units, (u) => u.name === name, `unit ${name}`)
}

function listener(f: HostFacts, protocol: Listener['protocol'], port: number): Listener {
  return one(f.listeners, (l) => l.protocol === protocol && l.port === port, `${protocol} listener on ${port}`)
}

function expectValid(f: HostFacts): void {
  expect(() => assertHostFacts(JSON.parse(JSON.stringify(f)), 'fixture facts')).not.toThrow()
}

describe('debian12: real output of the probe on a Debian 12 machine', () => {
  const f = parseFixture('debian12')
  const httpNobody = proc(f, (p) => p.argv.join(' ') === '/usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory /srv')
  const httpRoot = proc(f, (p) => p.argv.join(' ') === '/usr/bin/python3 -m http.server 8081 --bind :: --directory /srv')
  const demo = proc(f, (p) => p.argv[1] === '-c' && p.argv.includes('--key-file'))

  it('is valid HostFacts with no probe errors', () => {
    expectValid(f)
    expect(f.probeErrors).toEqual([])
    expect(f.probe).toMatchObject({version: 1, complete: true})
    expect(f.probe.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(f.host).toMatchObject({hostname: 'vm', probeUid: 0})
  })

  it('reads the OS from os-release, uname and the container evidence', () => {
    expect(f.os).toEqual({
      id: 'debian', idLike: [], name: 'Debian GNU/Linux', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)',
      codename: 'bookworm', kernel: '6.18.44-fc-v657', arch: 'x86_64',
      // /.dockerenv and detect-virt=docker: a container. PID 1 is the sandbox's own agent, no known init.
      virtualization: 'container', init: 'unknown',
    })
    expect(f.capacity).toEqual({cpus: 2, cpuModel: 'AMD EPYC', memoryBytes: 24684092 * KIB, swapBytes: 0})
  })

  it('reads processes with user, exe, cwd and a multi-line argv element joined back', () => {
    expect(httpNobody).toMatchObject({user: 'nobody', uid: 65534, exe: '/usr/bin/python3.11', cwd: '/srv', comm: 'python3'})
    expect(proc(f, (p) => p.pid === httpNobody.ppid).comm).toBe('runuser')
    expect(httpRoot).toMatchObject({user: 'root', uid: 0, cwd: '/srv'})
    const code = demo.argv[2]!.split('\n')
    expect(code).toHaveLength(7)
    expect(code[0]).toBe('import socket, time, sys')
    expect(demo.argv.slice(3)).toEqual(['--password=<redacted>', '--token', '<redacted>', '--key-file', '/etc/ssl/private/demo.key'])
    expect(f.processes.every((p) => p.ppid !== 2 && p.pid !== 2), 'kernel threads are left out').toBe(true)
    expect(f.processes.find((p) => p.pid === 1)).toMatchObject({comm: 'process_api', argv: expect.arrayContaining(['--firecracker-init'])})
  })

  it('reads environments with secrets redacted on the host, a multi-line PEM value included', () => {
    expect(demo.env).toMatchObject({
      DB_PASSWORD: '<redacted>', PGPASSWORD: '<redacted>', API_KEY: '<redacted>', TLS_PRIVATE_KEY: '<redacted>',
      DATABASE_URL: 'postgres://app:<redacted>@db:5432/app', APP_MODE: 'demo', PWD: '/srv',
    })
    const all = JSON.stringify(f)
    for (const secret of ['fixture-db-secret', 'fixture-pg-secret', 'fixture-api-secret', 'fixture-url-secret', 'fixture-argv-secret',
      'fixture-token-secret', 'MIIEvfixturePEMbody', 'BEGIN PRIVATE KEY']) {
      expect(all).not.toContain(secret)
    }
  })

  it('gives listeners their pid through the socket inodes in /proc/PID/fd', () => {
    expect(listener(f, 'tcp', 8080)).toMatchObject({address: '127.0.0.1', pid: httpNobody.pid})
    expect(listener(f, 'tcp6', 8081)).toMatchObject({address: '::', pid: httpRoot.pid})
    expect(listener(f, 'udp', 5514)).toMatchObject({address: '127.0.0.1', pid: demo.pid})
    // PID 1's descriptors are not readable in this sandbox, even as root: its listener has no owner.
    expect(listener(f, 'tcp', 2024)).toEqual({protocol: 'tcp', address: '0.0.0.0', port: 2024, inode: 1664})
    const client = f.connections.find((c) => c.peerPort === 8080)
    expect(client).toMatchObject({protocol: 'tcp', localAddress: '127.0.0.1', peerAddress: '127.0.0.1', pid: demo.pid})
    expect(f.connections.find((c) => c.localPort === 8080 && c.peerPort === client?.localPort)?.pid).toBe(httpNobody.pid)
  })

  it('reads dpkg packages with their versions and architectures', () => {
    expect(f.packages.length).toBeGreaterThan(500)
    expect(f.packages.every((p) => p.manager === 'dpkg')).toBe(true)
    expect(f.packages).toEqual(expect.arrayContaining([
      {manager: 'dpkg', name: 'dash', version: '0.5.12-2', arch: 'amd64'},
      {manager: 'dpkg', name: 'openssh-server', version: '1:9.2p1-2+deb12u10', arch: 'amd64'},
      {manager: 'dpkg', name: 'postgresql-15', version: '15.18-0+deb12u1', arch: 'amd64'},
      {manager: 'dpkg', name: 'sysstat', version: '12.6.1-1', arch: 'amd64'},
    ]))
  })

  it('reads unit files once each (first directory wins), their env files, and SysV scripts', () => {
    const names = f.units.map((u) => `${u.kind} ${u.name}`)
    expect(new Set(names).size).toBe(names.length)
    expect(unit(f, 'ssh.service')).toEqual({
      name: 'ssh.service', kind: 'systemd', path: '/lib/systemd/system/ssh.service', description: 'OpenBSD Secure Shell server',
      execStart: '/usr/sbin/sshd -D $SSHD_OPTS', environmentFiles: ['-/etc/default/ssh'], environment: {SSHD_OPTS: ''},
    })
    expect(unit(f, 'systemd-timesyncd.service')).toMatchObject({user: 'systemd-timesync', environment: {SYSTEMD_NSS_RESOLVE_VALIDATE: '0'}})
    expect(unit(f, 'dbus-org.freedesktop.timesync1.service').path).toBe('/etc/systemd/system/dbus-org.freedesktop.timesync1.service')
    // systemd is not running here: no state from systemctl.
    expect(f.units.every((u) => u.active === undefined)).toBe(true)
    expect(unit(f, 'dbus')).toMatchObject({kind: 'sysv', execStart: '/usr/bin/dbus-daemon', description: 'system message bus', enabled: true})
    expect(unit(f, 'procps')).toMatchObject({kind: 'sysv', execStart: '/sbin/sysctl', enabled: false})
    expect(f.units.some((u) => u.name === 'hwclock.sh')).toBe(false)
  })

  it('reads /etc/cron.d with its user column, periodic scripts, and each enabled timer once', () => {
    expect(f.cron).toEqual(expect.arrayContaining([
      {kind: 'cron', source: '/etc/cron.d/e2scrub_all', user: 'root', schedule: '30 3 * * 0',
        command: 'test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/x86_64-linux-gnu/e2fsprogs/e2scrub_all_cron'},
      {kind: 'cron', source: '/etc/cron.d/sysstat', user: 'root', schedule: '5-55/10 * * * *', command: 'command -v debian-sa1 > /dev/null && debian-sa1 1 1'},
      {kind: 'periodic', source: '/etc/cron.daily/dpkg', user: 'root', schedule: '@daily', command: '/etc/cron.daily/dpkg'},
    ]))
    // /lib is /usr/lib on Debian 12: every timer is listed twice by the probe and must count once.
    expect(f.cron.filter((c) => c.kind === 'systemd-timer')).toEqual([
      {kind: 'systemd-timer', source: 'apt-daily-upgrade.timer', schedule: 'OnCalendar=*-*-* 6:00', command: 'apt-daily-upgrade.service'},
      {kind: 'systemd-timer', source: 'apt-daily.timer', schedule: 'OnCalendar=*-*-* 6,18:00', command: 'apt-daily.service'},
      {kind: 'systemd-timer', source: 'dpkg-db-backup.timer', schedule: 'OnCalendar=daily', command: 'dpkg-db-backup.service'},
      {kind: 'systemd-timer', source: 'e2scrub_all.timer', schedule: 'OnCalendar=Sun *-*-* 03:10:00', command: 'e2scrub_all.service'},
      {kind: 'systemd-timer', source: 'fstrim.timer', schedule: 'OnCalendar=weekly', command: 'fstrim.service'},
      {kind: 'systemd-timer', source: 'man-db.timer', schedule: 'OnCalendar=daily', command: 'man-db.service'},
    ])
    expect(f.cron.filter((c) => c.source === '/etc/cron.d/sysstat')).toHaveLength(2)
  })

  it('joins mounts with df, leaves pseudo filesystems out, and sizes data paths', () => {
    expect(f.mounts.find((m) => m.mountPoint === '/')).toEqual({
      device: '/dev/vda', mountPoint: '/', fsType: 'ext4', options: ['rw', 'relatime', 'discard', 'resv_strict', 'resuid=65534', 'resgid=65534'],
      sizeBytes: 264212084 * KIB, usedBytes: expect.any(Number), availBytes: expect.any(Number),
    })
    expect(f.mounts.filter((m) => ['proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'devtmpfs', 'nsfs'].includes(m.fsType))).toEqual([])
    expect(f.dataPaths.find((d) => d.path === '/srv')).toEqual({
      path: '/srv', sizeBytes: 4 * KIB, reasons: ['working-directory'], pids: [httpRoot.pid, demo.pid, httpNobody.pid].sort((a, b) => a - b),
    })
    expect(f.dataPaths.find((d) => d.path === '/var/lib/dpkg')).toMatchObject({reasons: ['open-file'], pids: [demo.pid]})
  })

  it('reads users, network, modules, one utilisation reading and no sysstat history', () => {
    expect(f.users.find((u) => u.name === 'nobody')).toEqual({name: 'nobody', uid: 65534, gid: 65534, home: '/nonexistent', shell: '/usr/sbin/nologin'})
    expect(f.groups.find((g) => g.name === 'ssl-cert')).toEqual({name: 'ssl-cert', gid: 103, members: ['postgres']})
    expect(f.network).toEqual({
      addresses: [
        {interface: 'eth0', family: 'inet', cidr: '192.0.2.2/24'},
        {interface: 'eth0', family: 'inet6', cidr: 'fd00::2/64'},
        {interface: 'eth0', family: 'inet6', cidr: 'fe80::fc:ff:fe00:1/64'},
      ],
      defaultGateway: '192.0.2.1',
      nameservers: ['10.255.255.53'],
    })
    // No /proc/modules on this kernel: the section exits 1 and says nothing.
    expect(f.kernelModules).toEqual([])
    expect(f.transcript.find((t) => t.section === 'modules')).toMatchObject({exitCode: 1, truncated: false})
    expect(f.utilisation.samples).toHaveLength(1)
    const [sample] = f.utilisation.samples
    expect(sample?.cpuBusyPercent).toBeUndefined()
    expect(sample?.memoryUsedBytes).toBeGreaterThan(0)
    expect(sample?.processes.find((p) => p.pid === httpNobody.pid)?.rssBytes).toBeGreaterThan(0)
    expect(f.utilisation).toMatchObject({intervalSeconds: 0, history: []})
    expect(f.utilisation.historySource).toBeUndefined()
  })

  it('writes a transcript entry for every section, none cut off', () => {
    expect(f.transcript.map((t) => t.section)).toEqual([
      'meta', 'os', 'capacity', 'processes', 'environ', 'sockets', 'fds', 'packages', 'units', 'initscripts', 'cron', 'users',
      'sysctl', 'network', 'modules', 'mounts', 'datapaths', 'sysstat', 'utilisation',
    ])
    expect(f.transcript.every((t) => !t.truncated && t.commands.length > 0)).toBe(true)
  })
})

describe('rhel8: Rocky Linux 8.9 with systemd, rpm and sysstat (built by hand)', () => {
  const f = parseFixture('rhel8')

  it('is valid HostFacts; the only probe error is the du deadline', () => {
    expectValid(f)
    expect(f.probeErrors).toEqual([{section: 'datapaths', message: 'directory sizing stopped at its time limit (--size-budget): some data paths have no size'}])
    expect(f.host).toMatchObject({hostname: 'app01.corp.example', probeUid: 0})
  })

  it('reads the OS, the hypervisor and the capacity', () => {
    expect(f.os).toEqual({
      id: 'rocky', idLike: ['rhel', 'centos', 'fedora'], name: 'Rocky Linux', versionId: '8.9', prettyName: 'Rocky Linux 8.9 (Green Obsidian)',
      kernel: '4.18.0-513.5.1.el8_9.x86_64', arch: 'x86_64', virtualization: 'vmware', init: 'systemd',
    })
    expect(f.capacity).toEqual({cpus: 4, cpuModel: 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz', memoryBytes: 16265628 * KIB, swapBytes: 4194300 * KIB})
  })

  it('reads processes: user, unit from the cgroup, times from /proc/PID/stat, redacted argv and env', () => {
    expect(f.processes.map((p) => p.pid)).toEqual([1, 612, 845, 1021, 1104, 1105, 1290, 1450, 1452, 1460, 1500, 1620, 1702, 2210, 2214, 2301])
    expect(byPid(f, 1290)).toMatchObject({
      comm: 'java', ppid: 1, uid: 53, user: 'tomcat', unit: 'tomcat.service', cgroup: '/system.slice/tomcat.service', threads: 48,
      exe: '/usr/lib/jvm/java-11-openjdk-11.0.21.0.9-2.el8.x86_64/bin/java', cwd: '/opt/tomcat',
      rssBytes: 196608 * PAGE, cpuSeconds: (523400 + 81200) / 100, startedAt: '2023-11-21T08:00:17.020Z',
    })
    expect(byPid(f, 1290).argv).toContain('-Djavax.net.ssl.keyStorePassword=<redacted>')
    expect(byPid(f, 1290).env?.JAVA_OPTS).toBe('-Djava.awt.headless=true -Djavax.net.ssl.trustStorePassword=<redacted>')
    expect(byPid(f, 1500)).toMatchObject({
      comm: 'python3.6', user: 'orders', unit: 'orders.service', cwd: '/opt/orders',
      argv: ['/usr/bin/python3.6', '/opt/orders/app.py', '--config', '/etc/orders/orders.ini', '--db-password=<redacted>'],
    })
    expect(byPid(f, 1500).env).toMatchObject({
      DB_PASSWORD: '<redacted>', ORDERS_DB_URL: 'postgresql://orders:<redacted>@127.0.0.1:5432/orders', USER: 'orders',
      BANNER: 'Orders API\nmanaged by the ops team',
    })
    expect(byPid(f, 1702).argv).toEqual(['/opt/agent/bin/agentd', '--config', '/etc/agent.conf', '--api-key', '<redacted>'])
    // A command name with parentheses, under a user's systemd instance.
    expect(byPid(f, 2214)).toMatchObject({comm: '(sd-pam)', user: 'ops', unit: 'user@1000.service'})
    expect(byPid(f, 1105)).toMatchObject({comm: 'nginx', ppid: 1104, user: 'nginx', argv: ['nginx: worker process']})
    // Title-rewriting daemons pad argv with NULs: the padding is not kept.
    expect(byPid(f, 1452).argv).toEqual(['postgres: checkpointer   '])
    const all = JSON.stringify(f)
    for (const secret of ['Winter2023!', 'changeit', '5f2b9c0e7d', 'k3y-s3cr3t-value', 'Exp0rtPass']) expect(all).not.toContain(secret)
  })

  it('decodes IPv4, IPv6 and v4-mapped socket addresses and finds each owner (first holder of a shared socket)', () => {
    expect(f.listeners).toEqual([
      {protocol: 'tcp', address: '0.0.0.0', port: 22, inode: 25871, pid: 1021},
      {protocol: 'tcp', address: '0.0.0.0', port: 80, inode: 27012, pid: 1104},
      {protocol: 'tcp', address: '127.0.0.1', port: 8080, inode: 29831, pid: 1290},
      {protocol: 'tcp', address: '127.0.0.1', port: 5432, inode: 28444, pid: 1450},
      {protocol: 'tcp6', address: '::', port: 22, inode: 25873, pid: 1021},
      {protocol: 'tcp6', address: '::', port: 80, inode: 27013, pid: 1104},
      {protocol: 'tcp6', address: '::1', port: 5432, inode: 28443, pid: 1450},
      {protocol: 'tcp6', address: '::ffff:127.0.0.1', port: 8005, inode: 29840, pid: 1290},
      {protocol: 'udp', address: '127.0.0.1', port: 323, inode: 22011, pid: 845},
      {protocol: 'udp6', address: '::1', port: 323, inode: 22012, pid: 845},
    ])
    // TIME_WAIT and connected UDP sockets are neither listeners nor connections.
    expect(f.connections).toEqual([
      {protocol: 'tcp', localAddress: '127.0.0.1', localPort: 41138, peerAddress: '127.0.0.1', peerPort: 5432, pid: 1500},
      {protocol: 'tcp', localAddress: '127.0.0.1', localPort: 5432, peerAddress: '127.0.0.1', peerPort: 41138, pid: 1460},
      {protocol: 'tcp6', localAddress: '2001:db8:10::41', localPort: 22, peerAddress: '2001:db8:10::5', peerPort: 50122, pid: 2301},
    ])
  })

  it('reads rpm packages: (none) and 0 epochs dropped, real epochs kept, no arch for gpg-pubkey', () => {
    expect(f.packages).toHaveLength(22)
    expect(f.packages).toEqual(expect.arrayContaining([
      {manager: 'rpm', name: 'bash', version: '4.4.20-4.el8_6', arch: 'x86_64'},
      {manager: 'rpm', name: 'nginx', version: '1:1.14.1-9.module+el8.0.0+4108+af250afe', arch: 'x86_64'},
      {manager: 'rpm', name: 'ca-certificates', version: '2023.2.60_v7.0.306-80.0.el8_8', arch: 'noarch'},
      {manager: 'rpm', name: 'postgresql-server', version: '12.17-1.module+el8.9.0+1563+c51e2d5e', arch: 'x86_64'},
    ]))
    expect(f.packages.find((p) => p.name === 'gpg-pubkey')).toEqual({manager: 'rpm', name: 'gpg-pubkey', version: '6d745a60-60287f36', arch: undefined})
    expect(f.packages.filter((p) => p.name === 'kernel').map((p) => p.version)).toEqual(['4.18.0-477.27.1.el8_8', '4.18.0-513.5.1.el8_9'])
  })

  it('reads units: ExecStart, User, EnvironmentFile contents, drop-ins over vendor units, state', () => {
    expect(f.units.map((u) => u.name)).toEqual([
      'chronyd.service', 'crond.service', 'dnf-makecache.service', 'nginx.service', 'orders-report.service', 'orders.service',
      'postgresql.service', 'sshd.service', 'sysstat-collect.service', 'sysstat.service', 'tomcat.service', 'legacy-agent',
    ])
    expect(unit(f, 'orders.service')).toEqual({
      name: 'orders.service', kind: 'systemd', path: '/etc/systemd/system/orders.service', description: 'Orders API (Python)',
      user: 'orders', group: 'orders', workingDirectory: '/opt/orders',
      execStart: '/usr/bin/python3.6 /opt/orders/app.py --config /etc/orders/orders.ini --db-password=<redacted>',
      environmentFiles: ['/etc/orders/orders.env'],
      environment: {
        ORDERS_SECRET_KEY: '<redacted>', ORDERS_WORKERS: '4', DB_HOST: '127.0.0.1', DB_USER: 'orders', DB_PASSWORD: '<redacted>',
        ORDERS_DB_URL: 'postgresql://orders:<redacted>@127.0.0.1:5432/orders', LOG_LEVEL: 'info',
      },
      active: 'active/running', enabled: true,
    })
    // The vendor unit lives in /usr/lib; the drop-in in /etc/systemd/system/postgresql.service.d wins.
    expect(unit(f, 'postgresql.service')).toMatchObject({
      path: '/lib/systemd/system/postgresql.service', user: 'postgres', execStart: '/usr/bin/postmaster -D ${PGDATA}', environment: {PGDATA: '/srv/pgdata'},
    })
    expect(unit(f, 'tomcat.service')).toMatchObject({
      user: 'tomcat', enabled: false, active: 'active/running',
      environment: {JAVA_HOME: '/usr/lib/jvm/jre-11', CATALINA_PID: '/opt/tomcat/temp/tomcat.pid', CATALINA_HOME: '/opt/tomcat', CATALINA_OPTS: '-Xms512m -Xmx1024m -server'},
    })
    expect(unit(f, 'sshd.service')).toMatchObject({
      environmentFiles: ['-/etc/crypto-policies/back-ends/opensshserver.config', '-/etc/sysconfig/sshd'], environment: {SSH_USE_STRONG_RNG: '0'},
    })
    expect(unit(f, 'orders-report.service')).toMatchObject({active: 'failed/failed', enabled: false, user: 'orders'})
    expect(unit(f, 'legacy-agent')).toEqual({
      name: 'legacy-agent', kind: 'sysv', path: '/etc/init.d/legacy-agent', description: 'Legacy monitoring agent',
      execStart: '/opt/agent/bin/agentd --config /etc/agent.conf --api-key <redacted>', user: 'root', workingDirectory: undefined,
      environmentFiles: [], environment: {}, enabled: true,
    })
  })

  it('reads /etc/crontab, anacrontab, /etc/cron.d, per-user crontabs, periodic scripts and enabled timers', () => {
    expect(f.cron).toEqual([
      {kind: 'cron', source: '/etc/crontab', user: 'orders', schedule: '15 2 * * *', command: '/opt/orders/bin/export --target s3://orders-archive --password=<redacted>'},
      {kind: 'cron', source: '/etc/anacrontab', user: 'root', schedule: 'anacron every 1 days', command: 'nice run-parts /etc/cron.daily'},
      {kind: 'cron', source: '/etc/anacrontab', user: 'root', schedule: 'anacron every 7 days', command: 'nice run-parts /etc/cron.weekly'},
      {kind: 'cron', source: '/etc/anacrontab', user: 'root', schedule: 'anacron @monthly', command: 'nice run-parts /etc/cron.monthly'},
      {kind: 'cron', source: '/etc/cron.d/0hourly', user: 'root', schedule: '01 * * * *', command: 'run-parts /etc/cron.hourly'},
      {kind: 'cron', source: '/etc/cron.d/orders-cleanup', user: 'orders', schedule: '*/30 * * * *', command: '/opt/orders/bin/cleanup --older-than 7d'},
      {kind: 'cron', source: '/etc/cron.d/orders-cleanup', user: 'root', schedule: '@reboot', command: '/opt/agent/bin/agent-restore'},
      {kind: 'cron', source: '/var/spool/cron/orders', user: 'orders', schedule: '0 6 * * 1-5', command: '/opt/orders/bin/report --mail ops@corp.example'},
      {kind: 'cron', source: '/var/spool/cron/orders', user: 'orders', schedule: '*/5 * * * *', command: '/usr/bin/flock -n /tmp/orders-sync.lock /opt/orders/bin/sync'},
      {kind: 'periodic', source: '/etc/cron.daily/logrotate', user: 'root', schedule: '@daily', command: '/etc/cron.daily/logrotate'},
      {kind: 'periodic', source: '/etc/cron.hourly/0anacron', user: 'root', schedule: '@hourly', command: '/etc/cron.hourly/0anacron'},
      {kind: 'systemd-timer', source: 'orders-report.timer', schedule: 'OnCalendar=Mon..Fri 06:30', command: 'orders-report.service'},
      {kind: 'systemd-timer', source: 'dnf-makecache.timer', schedule: 'OnBootSec=10min', command: 'dnf-makecache.service'},
    ])
  })

  it('reads mounts with the octal-escaped mount point unescaped and df sizes joined', () => {
    expect(f.mounts.map((m) => m.mountPoint)).toEqual(['/dev/shm', '/run', '/sys/fs/cgroup', '/', '/boot', '/srv/pgdata', '/home', '/mnt/orders archive', '/run/user/1000'])
    expect(f.mounts.find((m) => m.fsType === 'nfs4')).toMatchObject({
      device: 'nas01.corp.example:/exports/orders', mountPoint: '/mnt/orders archive',
      sizeBytes: 104857600 * KIB, usedBytes: 52428800 * KIB, availBytes: 52428800 * KIB,
    })
    expect(f.mounts.find((m) => m.mountPoint === '/srv/pgdata')).toMatchObject({device: '/dev/mapper/data-pgdata', fsType: 'xfs', sizeBytes: 209612800 * KIB})
  })

  it('sizes data paths up to the deadline, with the processes that use them', () => {
    expect(f.dataPaths.map((d) => d.path)).toEqual([
      '/opt/agent', '/opt/orders', '/opt/orders/var/cache', '/opt/tomcat', '/opt/tomcat/logs', '/opt/tomcat/webapps', '/srv/pgdata',
      '/srv/pgdata/base/16384', '/srv/pgdata/log', '/var/lib/alternatives', '/var/lib/chrony',
    ])
    expect(f.dataPaths.find((d) => d.path === '/srv/pgdata')).toEqual({
      path: '/srv/pgdata', sizeBytes: 1883220 * KIB, reasons: ['open-file', 'working-directory'], pids: [1450, 1452, 1460],
    })
    expect(f.dataPaths.find((d) => d.path === '/opt/agent')).toEqual({path: '/opt/agent', sizeBytes: 4 * KIB, reasons: ['well-known'], pids: []})
  })

  it('reads users, groups, sysctl overrides, network and modules', () => {
    expect(f.users.find((u) => u.name === 'orders')).toEqual({name: 'orders', uid: 1001, gid: 1001, home: '/opt/orders', shell: '/bin/bash'})
    expect(f.groups.find((g) => g.name === 'orders')).toEqual({name: 'orders', gid: 1001, members: ['ops', 'tomcat']})
    expect(f.sysctl).toEqual([
      {key: 'vm.swappiness', value: '10', source: '/etc/sysctl.d/90-orders.conf'},
      {key: 'net.core.somaxconn', value: '1024', source: '/etc/sysctl.d/90-orders.conf'},
      {key: 'net.ipv4.ip_local_port_range', value: '1024 65000', source: '/etc/sysctl.d/90-orders.conf'},
      {key: 'fs.file-max', value: '200000', source: '/etc/sysctl.d/90-orders.conf'},
    ])
    expect(f.network).toEqual({
      addresses: [
        {interface: 'ens192', family: 'inet', cidr: '10.20.30.41/24'},
        {interface: 'ens192', family: 'inet6', cidr: '2001:db8:10::41/64'},
        {interface: 'ens192', family: 'inet6', cidr: 'fe80::250:56ff:fe8a:1b2c/64'},
        {interface: 'ens192.20', family: 'inet', cidr: '172.16.20.41/24'},
      ],
      defaultGateway: '10.20.30.1',
      nameservers: ['10.20.0.53', '10.20.0.54'],
    })
    expect(f.kernelModules).toHaveLength(15)
    expect(f.kernelModules).toContain('vmxnet3')
  })

  it('reads sysstat history from both sadf reports of each daily file, skipping restart records', () => {
    expect(f.utilisation.historySource).toBe('/var/log/sa')
    expect(f.utilisation.history).toEqual([
      {at: '2023-11-20T00:10:01Z', cpuBusyPercent: 13.38, memoryUsedPercent: 69.18},
      {at: '2023-11-20T00:20:01Z', cpuBusyPercent: 28.5, memoryUsedPercent: 70.42},
      {at: '2023-11-20T00:30:01Z', cpuBusyPercent: 10.11, memoryUsedPercent: 68.63},
      {at: '2023-11-21T08:10:01Z', cpuBusyPercent: 46, memoryUsedPercent: 72.4},
    ])
  })

  it('turns three utilisation readings into rates: host CPU and per-process CPU', () => {
    const {samples, intervalSeconds} = f.utilisation
    expect(intervalSeconds).toBe(5)
    expect(samples.map((s) => s.at)).toEqual(['2023-11-21T11:31:03.410Z', '2023-11-21T11:31:08.420Z', '2023-11-21T11:31:13.440Z'])
    expect(samples.map((s) => s.cpuBusyPercent)).toEqual([undefined, 12.5, 20])
    expect(samples.map((s) => s.loadAverage)).toEqual([0.42, 0.46, 0.58])
    expect(samples[0]!.memoryUsedBytes).toBe((16265628 - 9876543) * KIB)
    const java = samples.map((s) => s.processes.find((p) => p.pid === 1290))
    expect(java).toEqual([
      {pid: 1290, rssBytes: 196608 * PAGE},
      {pid: 1290, rssBytes: 196608 * PAGE, cpuPercent: 35.93},
      {pid: 1290, rssBytes: 196608 * PAGE, cpuPercent: 61.75},
    ])
    expect(samples[2]!.processes.find((p) => p.pid === 1500)?.cpuPercent).toBe(1.2)
  })

  it('records how long each section took on the host', () => {
    expect(f.transcript.find((t) => t.section === 'datapaths')).toMatchObject({exitCode: 0, truncated: false, seconds: 30.02})
    expect(f.transcript).toHaveLength(19)
  })
})

describe('alpine318: Alpine 3.18 with busybox, apk and OpenRC, no systemd or sysstat (built by hand)', () => {
  const f = parseFixture('alpine318')

  it('is valid HostFacts with no probe errors', () => {
    expectValid(f)
    expect(f.probeErrors).toEqual([])
    expect(f.host).toMatchObject({hostname: 'shop-edge', probeUid: 0})
  })

  it('reads the OS, OpenRC as init and KVM from DMI', () => {
    expect(f.os).toEqual({
      id: 'alpine', idLike: [], name: 'Alpine Linux', versionId: '3.18.4', prettyName: 'Alpine Linux v3.18',
      kernel: '6.1.57-0-virt', arch: 'x86_64', virtualization: 'kvm', init: 'openrc',
    })
    expect(f.capacity).toEqual({cpus: 2, cpuModel: 'Intel Xeon Processor (Cascadelake)', memoryBytes: 2017324 * KIB, swapBytes: 0})
  })

  it('reads processes without getconf (default clock ticks and page size) and busybox ls output', () => {
    expect(byPid(f, 2102)).toMatchObject({
      comm: 'node', user: 'shop', uid: 1000, exe: '/usr/bin/node', cwd: '/srv/shop', cgroup: '/shop', threads: 11,
      rssBytes: 38912 * PAGE, cpuSeconds: (61200 + 9800) / 100, startedAt: '2023-11-14T09:00:05.920Z',
      argv: ['/usr/bin/node', '/srv/shop/server.js', '--port', '3000', '--session-secret', '<redacted>'],
    })
    expect(byPid(f, 2102).unit).toBeUndefined()
    expect(byPid(f, 2102).env).toMatchObject({
      NODE_ENV: 'production', SHOP_SESSION_SECRET: '<redacted>', STRIPE_API_KEY: '<redacted>', REDIS_URL: 'redis://:<redacted>@127.0.0.1:6379/0',
    })
    expect(byPid(f, 2201)).toMatchObject({comm: 'tmux: server', user: 'shop', argv: ['tmux', 'new', '-d', '-s', 'deploy']})
    expect(byPid(f, 1)).toMatchObject({comm: 'init', exe: '/bin/busybox', argv: ['/sbin/init']})
    expect(byPid(f, 2150).argv).toEqual(['/usr/bin/redis-server 127.0.0.1:6379'])
    const all = JSON.stringify(f)
    for (const secret of ['s3ss10n-Secr3t', 'sk_live_51Hq0fixture', 'r3d1sPass', 'Backup!2023', 'tok_live_abc123']) expect(all).not.toContain(secret)
  })

  it('finds listeners and connections by socket inode, the IPv6 :: listener included', () => {
    expect(f.listeners).toEqual([
      {protocol: 'tcp', address: '0.0.0.0', port: 22, inode: 18211, pid: 2010},
      {protocol: 'tcp', address: '0.0.0.0', port: 80, inode: 18420, pid: 2055},
      {protocol: 'tcp', address: '0.0.0.0', port: 443, inode: 18421, pid: 2055},
      {protocol: 'tcp', address: '127.0.0.1', port: 3000, inode: 18530, pid: 2102},
      {protocol: 'tcp', address: '127.0.0.1', port: 6379, inode: 18600, pid: 2150},
      {protocol: 'tcp6', address: '::', port: 22, inode: 18213, pid: 2010},
      {protocol: 'tcp6', address: '::1', port: 6379, inode: 18601, pid: 2150},
    ])
    expect(f.connections).toContainEqual({protocol: 'tcp', localAddress: '127.0.0.1', localPort: 50000, peerAddress: '127.0.0.1', peerPort: 3000, pid: 2056})
    expect(f.connections).toContainEqual({protocol: 'tcp', localAddress: '127.0.0.1', localPort: 53746, peerAddress: '127.0.0.1', peerPort: 6379, pid: 2102})
    expect(f.connections).toHaveLength(4)
  })

  it('reads apk packages from the installed database', () => {
    expect(f.packages).toHaveLength(16)
    expect(f.packages.every((p) => p.manager === 'apk' && p.arch === 'x86_64')).toBe(true)
    expect(f.packages).toEqual(expect.arrayContaining([
      {manager: 'apk', name: 'musl', version: '1.2.4-r2', arch: 'x86_64'},
      {manager: 'apk', name: 'nodejs', version: '18.18.2-r0', arch: 'x86_64'},
      {manager: 'apk', name: 'openssh-server-pam', version: '9.3_p2-r0', arch: 'x86_64'},
    ]))
  })

  it('reads OpenRC scripts: command, command_args, command_user, directory and the default runlevel', () => {
    expect(f.units.filter((u) => u.kind === 'systemd')).toEqual([])
    expect(unit(f, 'shop')).toEqual({
      name: 'shop', kind: 'openrc', path: '/etc/init.d/shop', description: undefined,
      execStart: '/usr/bin/node /srv/shop/server.js --port 3000 --session-secret <redacted>', user: 'shop', workingDirectory: '/srv/shop',
      environmentFiles: [], environment: {}, enabled: true,
    })
    expect(unit(f, 'redis')).toMatchObject({kind: 'openrc', execStart: '/usr/bin/redis-server ${cfgfile}', user: 'redis', enabled: true})
    expect(unit(f, 'nginx')).toMatchObject({kind: 'openrc', execStart: '/usr/sbin/nginx -c /etc/nginx/nginx.conf', enabled: true})
    // syslog runs from the boot runlevel, not default.
    expect(unit(f, 'syslog')).toMatchObject({kind: 'openrc', execStart: '/sbin/syslogd ${SYSLOGD_OPTS}', enabled: false})
    expect(f.units.some((u) => u.name === 'functions.sh')).toBe(false)
    expect(f.units.filter((u) => u.enabled).map((u) => u.name)).toEqual(['acpid', 'crond', 'nginx', 'redis', 'shop', 'sshd'])
  })

  it('reads each busybox crontab once, though the probe sees it through a link and crontab -l', () => {
    expect(f.cron).toEqual([
      {kind: 'cron', source: '/var/spool/cron/crontabs/root', user: 'root', schedule: '*/15 * * * *', command: 'run-parts /etc/periodic/15min'},
      {kind: 'cron', source: '/var/spool/cron/crontabs/root', user: 'root', schedule: '0 * * * *', command: 'run-parts /etc/periodic/hourly'},
      {kind: 'cron', source: '/var/spool/cron/crontabs/root', user: 'root', schedule: '0 2 * * *', command: 'run-parts /etc/periodic/daily'},
      {kind: 'cron', source: '/var/spool/cron/crontabs/root', user: 'root', schedule: '0 3 * * 6', command: 'run-parts /etc/periodic/weekly'},
      {kind: 'cron', source: '/var/spool/cron/crontabs/root', user: 'root', schedule: '0 5 1 * *', command: 'run-parts /etc/periodic/monthly'},
      {kind: 'cron', source: '/var/spool/cron/crontabs/root', user: 'root', schedule: '30 1 * * *',
        command: '/srv/shop/bin/backup.sh --password=<redacted> --to /srv/shop-data/backups'},
      {kind: 'cron', source: '/var/spool/cron/crontabs/shop', user: 'shop', schedule: '@daily', command: '/srv/shop/bin/rotate-logs'},
      {kind: 'cron', source: '/var/spool/cron/crontabs/shop', user: 'shop', schedule: '*/5 * * * *', command: '/usr/bin/node /srv/shop/jobs/sync.js --api-token <redacted>'},
      {kind: 'periodic', source: '/etc/periodic/15min/shop-healthcheck', user: 'root', schedule: '@15min', command: '/etc/periodic/15min/shop-healthcheck'},
      {kind: 'periodic', source: '/etc/periodic/daily/shop-report', user: 'root', schedule: '@daily', command: '/etc/periodic/daily/shop-report'},
    ])
  })

  it('reads mounts with a space in the mount point and busybox df, and data paths with spaces', () => {
    expect(f.mounts.map((m) => m.mountPoint)).toEqual(['/', '/run', '/dev/shm', '/boot', '/srv/shop data'])
    expect(f.mounts.find((m) => m.mountPoint === '/srv/shop data')).toEqual({
      device: '/dev/vdb1', mountPoint: '/srv/shop data', fsType: 'ext4', options: ['rw', 'noatime'],
      sizeBytes: 20510332 * KIB, usedBytes: 6301120 * KIB, availBytes: 13144252 * KIB,
    })
    expect(f.dataPaths.find((d) => d.path === '/srv/shop data')).toEqual({path: '/srv/shop data', sizeBytes: 6291456 * KIB, reasons: ['open-file'], pids: [2102]})
    expect(f.dataPaths.find((d) => d.path === '/var/lib/redis')).toEqual({path: '/var/lib/redis', sizeBytes: 1224 * KIB, reasons: ['working-directory'], pids: [2150]})
  })

  it('reads busybox ip output, users, sysctl, one reading and no history', () => {
    expect(f.network).toEqual({
      addresses: [
        {interface: 'eth0', family: 'inet', cidr: '192.168.122.40/24'},
        {interface: 'eth0', family: 'inet6', cidr: 'fe80::5054:ff:fe3a:9c21/64'},
      ],
      defaultGateway: '192.168.122.1',
      nameservers: ['192.168.122.1'],
    })
    expect(f.users.find((u) => u.name === 'shop')).toEqual({name: 'shop', uid: 1000, gid: 1000, home: '/srv/shop', shell: '/bin/ash'})
    expect(f.sysctl.find((s) => s.key === 'net.ipv4.ping_group_range')).toEqual({key: 'net.ipv4.ping_group_range', value: '999 59999', source: '/etc/sysctl.d/00-alpine.conf'})
    expect(f.sysctl.find((s) => s.key === 'net.core.somaxconn')?.source).toBe('/etc/sysctl.d/shop.conf')
    expect(f.utilisation.history).toEqual([])
    expect(f.utilisation.historySource).toBeUndefined()
    expect(f.utilisation.samples).toEqual([expect.objectContaining({
      at: '2023-11-21T09:02:04.380Z', memoryUsedBytes: (2017324 - 1210440) * KIB, loadAverage: 0.08,
    })])
    expect(f.transcript.find((t) => t.section === 'sysstat')).toMatchObject({exitCode: 0, truncated: false})
  })
})

describe('branches the three hosts do not reach', () => {
  const rhel = readFixture('rhel8')

  it('names crontabs it could not read without --sudo', () => {
    const body = `${MARKER} UNREADABLE /var/spool/cron/orders\n${MARKER} PERIODIC\n${MARKER} OWN\n0 1 * * * /home/ops/bin/tidy\n${MARKER} TIMERS\n${MARKER} TIMERS-ENABLED\n`
    const f = parseOutput(withSectionBody(rhel, 'cron', body))
    expect(f.probeErrors).toContainEqual({section: 'cron', message: 'unreadable without --sudo: /var/spool/cron/orders'})
    // The scan user (uid 0 in the fixture's meta) is root: its own crontab is attributed to it.
    expect(f.cron).toEqual([{kind: 'cron', source: 'crontab -l (root)', user: 'root', schedule: '0 1 * * *', command: '/home/ops/bin/tidy'}])
  })

  it('reads the probe\'s current format as it read the older one: tables behind grep -H names, cgroup lines under STATUS', () => {
    // Output of probes before 2026-11 (the fixtures) turned into what today's probe prints.
    const older = readFixture('rhel8')
    const sockets = (older.split(`${MARKER} BEGIN sockets `)[1] ?? '').split(`\n${MARKER} RC `)[0]!.split('\n').slice(1)
    let table = ''
    const grepped = sockets.flatMap((line) => {
      const m = new RegExp(`^${MARKER} TABLE (\\w+)$`).exec(line)
      if (m) table = m[1]!
      return m || !table ? [] : [`/proc/net/${table}:${line}`]
    })
    let current = withSectionBody(older, 'sockets', `${grepped.join('\n')}\n`)
    current = current.replace(new RegExp(`^${MARKER} LINKS\n([\\s\\S]*?)^${MARKER} CGROUP\n([\\s\\S]*?)(?=^${MARKER} CMDLINE)`, 'm'),
      (_m, links: string, cgroups: string) => `${cgroups}${MARKER} LINKS\n${links}`)
    expect(current).not.toContain(' TABLE ')
    expect(current).not.toContain(' CGROUP')
    const before = parseOutput(older)
    const after = parseOutput(current)
    expect(after.listeners.length).toBeGreaterThan(3)
    expect(after.processes.filter((p) => p.unit).length).toBeGreaterThan(3)
    expect({...after, transcript: [], probe: {}}).toEqual({...before, transcript: [], probe: {}})
  })

  it('says so when the host has no timeout command and data paths were not sized', () => {
    const f = parseOutput(withSectionBody(rhel, 'datapaths', 'no-timeout-command\n'))
    expect(f.dataPaths).toEqual([])
    expect(f.probeErrors).toContainEqual({section: 'datapaths', message: 'the host has no `timeout` command: data paths were not sized'})
  })

  it('keeps every listed candidate, sized or not, when sizing ran out of time', () => {
    // The candidates come first as "-"; du's lines follow for the group it finished; the cut du
    // of the second group left half a line, which names no candidate and is dropped.
    const body = `-\t/var/lib/pgsql/data\n-\t/opt/tomcat\n-\t/srv/files\n84212\t/var/lib/pgsql/data\n${MARKER} DEADLINE\n9120\t/srv/fi\n`
    const f = parseOutput(withSectionBody(rhel, 'datapaths', body))
    expect(f.dataPaths.map((d) => [d.path, d.sizeBytes])).toEqual([
      ['/opt/tomcat', undefined], ['/srv/files', undefined], ['/var/lib/pgsql/data', 84212 * KIB],
    ])
    expect(f.probeErrors).toContainEqual({section: 'datapaths', message: 'directory sizing stopped at its time limit (--size-budget): 2 data paths without a size'})
  })

  it('falls back to /etc/redhat-release on hosts older than os-release', () => {
    const body = `${MARKER} FILE /etc/redhat-release\nCentOS release 6.10 (Final)\n\n${MARKER} UNAME\nLinux 2.6.32-754.35.1.el6.x86_64 x86_64\n${MARKER} INIT\ninit\n${MARKER} VIRT\n`
    const f = parseOutput(withSectionBody(rhel, 'os', body))
    expect(f.os).toEqual({
      id: 'centos', idLike: ['rhel', 'fedora'], name: 'CentOS', versionId: '6.10', prettyName: 'CentOS release 6.10 (Final)',
      kernel: '2.6.32-754.35.1.el6.x86_64', arch: 'x86_64', virtualization: 'unknown', init: 'sysvinit',
    })
    expect(f.probeErrors.filter((e) => e.section === 'os')).toEqual([])
  })

  it('estimates memory in use from MemFree, Buffers and Cached on kernels without MemAvailable', () => {
    const body = `${MARKER} SAMPLE 100.00\ncpu  100 0 100 800 0 0 0 0 0 0\nMemTotal:        1000000 kB\nMemFree:          200000 kB\nBuffers:           50000 kB\nCached:           250000 kB\n0.01 0.02 0.03 1/80 999\n`
    const f = parseOutput(withSectionBody(rhel, 'utilisation', body))
    expect(f.utilisation.samples).toEqual([{at: '2023-11-21T08:01:40.000Z', memoryUsedBytes: 500000 * KIB, loadAverage: 0.01, processes: []}])
  })

  it('reads the CPU column of older sadf, which says "all"', () => {
    const body = `${MARKER} FILE /var/log/sa/sa05\n# hostname;interval;timestamp;CPU;%user;%nice;%system;%iowait;%steal;%idle\nold;600;2014-03-05 10:10:01 UTC;all;1.00;0.00;1.00;0.00;0.00;98.00\n`
    const f = parseOutput(withSectionBody(rhel, 'sysstat', body))
    expect(f.utilisation.history).toEqual([{at: '2014-03-05T10:10:01Z', cpuBusyPercent: 2}])
  })

  it('notes an empty utilisation section and a missing hostname', () => {
    const noSample = withSectionBody(rhel, 'utilisation', '')
    const f = parseOutput(withSectionBody(noSample, 'meta', 'probe_version=1\nuid=0\nclk_tck=100\npage_size=4096\nbtime 1700553600\n'))
    expect(f.probeErrors).toEqual(expect.arrayContaining([
      {section: 'utilisation', message: 'no utilisation reading was taken'},
      {section: 'meta', message: 'the host did not report its hostname'},
    ]))
    expect(f.host.hostname).toBe('fixture')
    expectValid(f)
  })
})
