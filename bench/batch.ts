/**
 * bench/batch: hosts per minute and peak memory of a batch scan, Hoist against Ansible's fullest
 * fact gathering (setup + package_facts + service_facts, Debian's ansible, pipelining on), at the
 * same concurrency, over N real sshd instances on loopback (the issue allows that: every instance
 * is this machine, so each run probes the same real processes, packages and units).
 * Peak memory is the sum of RSS over the tool's whole process tree (controller and forks), sampled
 * every 50 ms. Ansible's ControlPersist ssh masters leave that tree, so its figure is a lower bound.
 * Env: SIZES (default "10,25,50"), CONCURRENCY (default 10), SIZE_BUDGET (hoist scan --size-budget;
 * default the scan's own). Needs root (sshd as root).
 */
import {spawn, spawnSync} from 'node:child_process'
import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {mkdtemp} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {makeKey, startSshd, type RunningSshd} from '../test/e2e/transport/sshd.js'

const SIZES = (process.env.SIZES ?? '10,25,50').split(',').map(Number)
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10)
const dir = await mkdtemp(join(tmpdir(), 'hoist-bench-batch-'))
const key = await makeKey(dir, 'id_ed25519')
const servers: RunningSshd[] = []
for (let i = 0; i < Math.max(...SIZES); i++) servers.push(await startSshd({authorizedKeys: [key.publicLine]}))
const knownHosts = join(dir, 'known_hosts')
writeFileSync(knownHosts, servers.map((s) => `[127.0.0.1]:${s.port} ${s.hostKeyPubLines[0]}\n`).join(''))

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
    const hosts = servers.slice(0, n)
    const csv = join(dir, `hosts-${n}.csv`)
    writeFileSync(csv, `name,host,user,port\n${hosts.map((s, i) => `h${i},127.0.0.1,root,${s.port}`).join('\n')}\n`)
    const ini = join(dir, `hosts-${n}.ini`)
    writeFileSync(ini, `[all]\n${hosts.map((s, i) => `h${i} ansible_host=127.0.0.1 ansible_port=${s.port} ansible_user=root ansible_ssh_private_key_file=${key.file}`).join('\n')}\n[all:vars]\nansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes'\n`)
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
  for (const s of servers) await s.stop()
}
console.log(`bench/batch — concurrency ${CONCURRENCY}, sshd instances on loopback (this machine), Ansible with pipelining`)
for (const r of rows) console.log(r)
console.log('targets: at least 5× Ansible\'s hosts per minute; Hoist\'s peak memory flat as N grows, under 150 MB at 50 hosts')
