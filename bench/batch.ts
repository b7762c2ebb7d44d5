/**
 * bench/batch: hosts per minute and peak memory of a batch scan, Hoist against Ansible's fullest
 * fact gathering (setup + package_facts + service_facts, Debian's ansible, pipelining on), at the
 * same concurrency, over N real sshd instances.
 *
 * HOSTS=legacy (default): the N sshd instances run inside one legacy fixture host (its own network,
 * PID and mount namespaces and root: nginx, PostgreSQL, Redis, a Python app, cron), each on its own
 * port, so every "host" is a small legacy server as bench/scan sees it.
 * HOSTS=machine: N sshd instances on loopback, each exposing this machine itself, with its
 * development trees (12 GB under /opt and /var/lib here, which every probe sizes within its
 * --size-budget): a heavier host, and all N of them share the 2 cores with the tools.
 *
 * Peak memory is the sum of RSS over the tool's whole process tree (controller and forks), sampled
 * every 50 ms. Ansible's ControlPersist ssh masters leave that tree, so its figure is a lower bound.
 * Env: HOSTS, SIZES (default "10,25,50"), CONCURRENCY (default 10), SIZE_BUDGET (hoist scan
 * --size-budget; default the scan's own). Needs root (fixture host, sshd as root).
 */
import {spawn, spawnSync} from 'node:child_process'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startFixtureHost} from '../test/e2e/hosts/host.js'
import {makeKey, startSshd, type RunningSshd} from '../test/e2e/transport/sshd.js'

const HOSTS = process.env.HOSTS ?? 'legacy'
const SIZES = (process.env.SIZES ?? '10,25,50').split(',').map(Number)
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10)
const dir = await mkdtemp(join(tmpdir(), 'hoist-bench-batch-'))
const key = await makeKey(dir, 'id_ed25519')

interface Hosts {
  what: string
  endpoints: {address: string; port: number}[]
  knownHosts: string[]
  stop(): Promise<void>
}

/** N sshd instances inside one legacy fixture host, on ports 2201 and up. */
async function legacyHosts(n: number): Promise<Hosts> {
  const host = await startFixtureHost({name: 'bench-batch', index: 61, authorizedKeys: [key.publicLine]})
  const ports = Array.from({length: n}, (_, i) => 2201 + i)
  const started = await host.exec(`for p in ${ports.join(' ')}; do /usr/sbin/sshd -f /etc/ssh/sshd_config -p "$p" -o PidFile=/run/sshd-$p.pid -E /var/log/auth-$p.log || exit 1; done`)
  if (started.code !== 0) {
    await host.stop()
    throw new Error(`the extra sshd instances did not start: ${started.stderr}`)
  }
  const hostKey = host.hostKeys.find((k) => k.type === 'ssh-ed25519') ?? host.hostKeys[0]!
  return {
    what: `sshd instances on ports 2201-${2200 + n} of one legacy fixture host (${host.address})`,
    endpoints: ports.map((port) => ({address: host.address, port})),
    knownHosts: ports.map((port) => `[${host.address}]:${port} ${hostKey.type} ${hostKey.blob}`),
    stop: () => host.stop(),
  }
}

/** N sshd instances on loopback, each exposing this machine. */
async function machineHosts(n: number): Promise<Hosts> {
  const servers: RunningSshd[] = []
  for (let i = 0; i < n; i++) servers.push(await startSshd({authorizedKeys: [key.publicLine]}))
  return {
    what: 'sshd instances on loopback (this machine)',
    endpoints: servers.map((s) => ({address: '127.0.0.1', port: s.port})),
    knownHosts: servers.map((s) => `[127.0.0.1]:${s.port} ${s.hostKeyPubLines[0]}`),
    stop: async () => {
      for (const s of servers) await s.stop()
    },
  }
}

const hosts = HOSTS === 'machine' ? await machineHosts(Math.max(...SIZES)) : await legacyHosts(Math.max(...SIZES))
const knownHosts = join(dir, 'known_hosts')
writeFileSync(knownHosts, `${hosts.knownHosts.join('\n')}\n`)

/** Runs a command in its own process group; returns wall time and the peak summed RSS of the group. */
function measure(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ms: number; peakMb: number; code: number | null; output: string}> {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(cmd, args, {detached: true, env: {...process.env, ...env, SSH_AUTH_SOCK: ''}, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    let peak = 0
    const sample = setInterval(() => {
      let rss = 0
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
          const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
          if (Number(f[2]) === child.pid) rss += Number(f[21]) * 4096
        } catch {
          // gone
        }
      }
      peak = Math.max(peak, rss)
    }, 50)
    child.on('close', (code) => {
      clearInterval(sample)
      resolve({ms: performance.now() - started, peakMb: peak / 2 ** 20, code, output})
    })
  })
}

const rows: string[] = []
try {
  for (const n of SIZES) {
    const endpoints = hosts.endpoints.slice(0, n)
    const csv = join(dir, `hosts-${n}.csv`)
    writeFileSync(csv, `name,host,user,port\n${endpoints.map((e, i) => `h${i},${e.address},root,${e.port}`).join('\n')}\n`)
    const ini = join(dir, `hosts-${n}.ini`)
    writeFileSync(ini, `[all]\n${endpoints.map((e, i) => `h${i} ansible_host=${e.address} ansible_port=${e.port} ansible_user=root ansible_ssh_private_key_file=${key.file}`).join('\n')}\n[all:vars]\nansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes'\n`)
    const playbook = join(dir, 'facts.yml')
    writeFileSync(playbook, '- hosts: all\n  gather_facts: true\n  gather_subset: [all]\n  tasks:\n    - package_facts: {manager: auto}\n    - service_facts:\n')

    const hoist = await measure('bin/hoist', ['scan', '--inventory', csv, '--identity', key.file, '--known-hosts', knownHosts, '--out', join(dir, `out-${n}`), '--concurrency', String(CONCURRENCY), '-q', ...(process.env.SIZE_BUDGET ? ['--size-budget', process.env.SIZE_BUDGET] : [])])
    if (hoist.code !== 0) throw new Error(`hoist failed at ${n}: ${hoist.output.slice(0, 800)}`)
    const ansible = await measure('ansible-playbook', ['-i', ini, '-f', String(CONCURRENCY), playbook], {ANSIBLE_PIPELINING: 'True', ANSIBLE_STDOUT_CALLBACK: 'minimal', ANSIBLE_HOST_KEY_CHECKING: 'True'})
    if (ansible.code !== 0) throw new Error(`ansible failed at ${n}: ${ansible.output.slice(-800)}`)
    // Ansible leaves an ssh ControlPersist master per host for a minute, each holding an sshd
    // session: end them, so the next run starts from the same quiet machine as the first.
    spawnSync('pkill', ['-f', '\\.ansible/cp/'])
    const perMin = (ms: number) => (n / (ms / 60_000)).toFixed(0)
    rows.push(
      `${String(n).padStart(3)} hosts  hoist ${perMin(hoist.ms).padStart(5)} hosts/min, peak ${hoist.peakMb.toFixed(0).padStart(4)} MB   ` +
        `ansible ${perMin(ansible.ms).padStart(5)} hosts/min, peak ≥${ansible.peakMb.toFixed(0).padStart(4)} MB   ` +
        `hoist ${(ansible.ms / hoist.ms).toFixed(1)}× faster`,
    )
  }
} finally {
  await hosts.stop()
}
console.log(`bench/batch — concurrency ${CONCURRENCY}, ${hosts.what}, Ansible with pipelining`)
for (const r of rows) console.log(r)
console.log('targets: at least 5× Ansible\'s hosts per minute; Hoist\'s peak memory flat as N grows, under 150 MB at 50 hosts')
