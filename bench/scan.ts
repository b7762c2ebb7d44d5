/**
 * bench/scan: how long one host takes to inventory, on a real fixture host over SSH.
 *   1. `ssh host true`                          the connection floor
 *   2. `ssh host sh -s < probe`                 the probe's own commands over one ssh (the one-ssh floor)
 *   3. `hoist scan host`                        the CLI, end to end (node start, connect, probe, parse, write),
 *                                               started by bin/hoist as npm installs it; where NODE_EXTRA_CA_CERTS
 *                                               is set, also `node bin/run.js` with it kept, to show what it costs
 *   4. ansible-playbook: setup + package_facts + service_facts (Debian's ansible), the named peer
 * Prints medians of RUNS runs each and the ratios the issue sets targets on. Needs root (fixture host).
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {buildProbe} from '../src/collect/probe/script.js'
import type {HostFacts} from '../src/types/facts.js'
import {startFixtureHost} from '../test/e2e/hosts/host.js'

const RUNS = Number(process.env.RUNS ?? 7)
const NODE_DIRECT = '  node bin/run.js scan (NODE_EXTRA_CA_CERTS kept)'
const dir = mkdtempSync(join(tmpdir(), 'hoist-bench-scan-'))
const key = join(dir, 'id_ed25519')
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])
const host = await startFixtureHost({name: 'bench-scan', index: 60, authorizedKeys: [readFileSync(`${key}.pub`, 'utf8').trim()]})

try {
  const kh = join(dir, 'known_hosts')
  writeFileSync(kh, `${host.knownHostsLine()}\n`)
  const target = `root@${host.address}`
  const sshArgs = ['-i', key, '-o', `UserKnownHostsFile=${kh}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'ControlMaster=no']
  const probe = buildProbe()
  const out = join(dir, 'out')
  const inventory = join(dir, 'inventory.ini')
  writeFileSync(inventory, `[legacy]\n${host.address} ansible_user=root ansible_ssh_private_key_file=${key} ansible_ssh_common_args='-o UserKnownHostsFile=${kh} -o StrictHostKeyChecking=yes'\n`)
  const playbook = join(dir, 'facts.yml')
  writeFileSync(playbook, '- hosts: all\n  gather_facts: true\n  gather_subset: [all]\n  tasks:\n    - package_facts: {manager: auto}\n    - service_facts:\n')

  type Case = [name: string, command: string, args: string[], env?: Record<string, string>]
  const cases: Case[] = [
    ['ssh host true', 'ssh', [...sshArgs, target, 'true']],
    ['ssh host sh -s < probe', 'ssh', [...sshArgs, target, 'sh -s']],
    ['hoist scan', 'bin/hoist', ['scan', target, '--identity', key, '--known-hosts', kh, '--out', out, '--quiet']],
    ...(process.env.NODE_EXTRA_CA_CERTS ? [[NODE_DIRECT, process.execPath, ['bin/run.js', 'scan', target, '--identity', key, '--known-hosts', kh, '--out', out, '--quiet']] as Case] : []),
    ['ansible setup+package_facts+service_facts', 'ansible-playbook', ['-i', inventory, playbook], {ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_PIPELINING: 'True', ANSIBLE_STDOUT_CALLBACK: 'minimal'}],
  ]
  // Rounds run every case once, in turn, so a slow spell of this machine (a shared VM) lands on all
  // of them alike instead of on whichever case happened to be running.
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]))
  for (let round = 0; round < RUNS + 1; round++) {
    for (const [name, cmd, args, env] of cases) {
      const started = performance.now()
      const r = spawnSync(cmd, args, {input: name.includes('probe') ? probe.script : '', env: {...process.env, ...env, SSH_AUTH_SOCK: ''}, maxBuffer: 256 << 20})
      const ms = performance.now() - started
      if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr.toString().slice(0, 500)}${r.stdout.toString().slice(0, 500)}`)
      if (round > 0) times.get(name)!.push(ms) // the first round warms caches on both sides
    }
  }
  const medians = new Map([...times].map(([name, t]) => [name, t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!]))
  const facts = JSON.parse(readFileSync(join(out, 'hosts', host.address, 'facts.json'), 'utf8')) as HostFacts
  const row = (name: string) => `${name.padEnd(46)} ${medians.get(name)!.toFixed(0).padStart(7)} ms`
  console.log(`bench/scan — fixture host ${host.address}, ${RUNS} runs each, medians`)
  for (const [name] of cases) console.log(row(name))
  const floor = medians.get('ssh host sh -s < probe')!
  const hoist = medians.get('hoist scan')!
  const ansible = medians.get('ansible setup+package_facts+service_facts')!
  console.log(`hoist scan / one-ssh probe floor: ${(hoist / floor).toFixed(2)}× (target ≤ 1.5×)`)
  console.log(`ansible / hoist scan:             ${(ansible / hoist).toFixed(1)}× (target ≥ 5×)`)
  console.log(`hoist collected: ${facts.processes.length} processes, ${facts.listeners.length} listeners, ${facts.connections.length} connections, ` +
    `${facts.packages.length} packages, ${facts.units.length} units, ${facts.cron.length} cron entries, ${facts.dataPaths.length} data paths, ` +
    `${facts.users.length} users, ${facts.mounts.length} mounts (ansible's setup has no processes, listeners, connections, cron or data paths)`)
} finally {
  await host.stop()
}
