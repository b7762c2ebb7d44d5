/**
 * bench/plan: detect + plan over 1,000 hosts' facts (target: under 10 s, under 500 MB).
 * The hosts are variations of the real captured facts in examples/ and test/fixtures/hosts/
 * (pids, names and ports shifted, processes dropped at random, so no two hosts are identical),
 * written as a workspace; `hoist plan` then runs over all of them as a user would, and its wall
 * time and peak RSS are measured, as well as detect + plan alone in this process.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {detect} from '../src/detect/engine.js'
import {loadRules} from '../src/detect/load.js'
import {loadExampleFacts} from '../src/detect/rule-test.js'
import {buildPlan} from '../src/plan/build.js'
import type {HostFacts} from '../src/types/facts.js'

const HOSTS = Number(process.env.HOSTS ?? 1000)
const sources = ['examples/debian12-web/probe-output.txt', ...['debian12-legacy', 'debian12-stacks'].map((n) => `test/fixtures/hosts/${n}/facts.json`).filter(existsSync)]
const fixtureDir = 'test/fixtures/hosts'
for (const d of existsSync(fixtureDir) ? readdirSync(fixtureDir) : []) {
  const f = join(fixtureDir, d, 'facts.json')
  if (existsSync(f) && !sources.includes(f)) sources.push(f)
}
const bases = await Promise.all(sources.map((s) => loadExampleFacts(s)))

let seed = 42
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)

function variant(base: HostFacts, i: number): HostFacts {
  const f = structuredClone(base)
  const shift = 1000 * (i + 1)
  const keep = f.processes.filter((p) => p.pid === 1 || random() > 0.1)
  const kept = new Set(keep.map((p) => p.pid))
  f.processes = keep.map((p) => ({...p, pid: p.pid + shift, ppid: kept.has(p.ppid) ? p.ppid + shift : p.ppid}))
  f.listeners = f.listeners.filter((l) => l.pid === undefined || kept.has(l.pid)).map((l) => ({...l, pid: l.pid === undefined ? undefined : l.pid + shift}))
  f.connections = f.connections.map((c) => ({...c, pid: c.pid === undefined ? undefined : c.pid + shift}))
  f.utilisation.samples = f.utilisation.samples.map((s) => ({...s, processes: s.processes.map((p) => ({...p, pid: p.pid + shift}))}))
  f.host = {...f.host, name: `host-${String(i).padStart(4, '0')}`, hostname: `host-${i}`}
  return f
}

const out = mkdtempSync(join(tmpdir(), 'hoist-bench-plan-'))
const hosts: HostFacts[] = []
const index: Record<string, unknown> = {}
for (let i = 0; i < HOSTS; i++) {
  const f = variant(bases[i % bases.length]!, i)
  hosts.push(f)
  mkdirSync(join(out, 'hosts', f.host.name), {recursive: true})
  writeFileSync(join(out, 'hosts', f.host.name, 'facts.json'), JSON.stringify(f))
  index[f.host.name] = {host: f.host.name, transport: 'snapshot', status: 'scanned', scannedAt: f.collectedAt}
}
writeFileSync(join(out, 'index.json'), JSON.stringify({version: 1, hosts: index}))

const rules = await loadRules()
const t0 = performance.now()
let workloads = 0
for (const f of hosts) {
  const inv = detect(f, rules)
  workloads += inv.workloads.length
  buildPlan(inv, f)
}
const inProcess = performance.now() - t0

const started = performance.now()
const r = spawnSync('/usr/bin/time', ['-f', '%M', 'bin/hoist', 'plan', '--out', out, '-q'], {encoding: 'utf8'})
const wall = performance.now() - started
if (r.status !== 0) throw new Error(`hoist plan failed: ${r.stderr}`)
const peakKb = Number(r.stderr.trim().split('\n').pop())

console.log(`bench/plan — ${HOSTS} hosts (variations of ${bases.length} real captures: ${sources.join(', ')}), ${rules.rules.length} rules`)
console.log(`detect + plan in process:           ${(inProcess / 1000).toFixed(2)} s  (${workloads} workloads, ${(inProcess / HOSTS).toFixed(2)} ms/host)`)
console.log(`hoist plan over the workspace (CLI): ${(wall / 1000).toFixed(2)} s, peak RSS ${(peakKb / 1024).toFixed(0)} MB (targets: < 10 s, < 500 MB)`)
