/**
 * Hand-built hosts for the report's worked examples: only what the model reads is filled in, so each
 * figure in the tests can be computed by hand from the few numbers here.
 */
import type {HostFacts, UtilisationSample} from '../../../src/types/facts.js'
import type {Inventory, Workload} from '../../../src/types/inventory.js'
import type {Plan, Service} from '../../../src/types/plan.js'
import type {HostInputs} from '../../../src/report/host.js'

export const MiB = 2 ** 20
export const GiB = 2 ** 30

export interface SampleSpec {
  /** Host CPU busy percent; leave out on the first sample (a rate needs two readings). */
  cpu?: number
  memGiB: number
  procs: {pid: number; cpu?: number; rssMiB: number}[]
}

export interface HostSpec {
  name: string
  virtualization: string
  cpus: number
  memoryGiB: number
  intervalSeconds?: number
  samples: SampleSpec[]
  processes: {pid: number; comm: string; rssMiB: number; argv?: string[]}[]
  /** Applications: one workload and one service each. */
  apps: {name: string; kind: Workload['kind']; pids: number[]; include?: boolean; dataGiB?: number; blockers?: Workload['blockers']; dependencies?: number; confidence?: number}[]
  system?: {name: string; pids: number[]}[]
  unclaimed?: number[]
  eol?: string
}

export function hostInputs(spec: HostSpec, withArtifacts = true): HostInputs {
  const interval = spec.intervalSeconds ?? 30
  const start = Date.parse('2026-01-01T00:00:00Z')
  const samples: UtilisationSample[] = spec.samples.map((s, i) => ({
    at: new Date(start + i * interval * 1000).toISOString(),
    ...(s.cpu === undefined ? {} : {cpuBusyPercent: s.cpu}),
    memoryUsedBytes: s.memGiB * GiB,
    processes: s.procs.map((p) => ({pid: p.pid, rssBytes: p.rssMiB * MiB, ...(p.cpu === undefined ? {} : {cpuPercent: p.cpu})})),
  }))
  const facts = {
    schemaVersion: 1,
    host: {name: spec.name, hostname: spec.name, transport: 'snapshot', sudo: false},
    collectedAt: '2026-01-01T00:00:00Z',
    probe: {version: 1, sha256: '0', durationMs: 1, bytes: 1, complete: true},
    os: {id: 'debian', idLike: [], name: 'Debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1', arch: 'x86_64', virtualization: spec.virtualization, init: 'systemd'},
    capacity: {cpus: spec.cpus, memoryBytes: spec.memoryGiB * GiB, swapBytes: 0},
    processes: spec.processes.map((p) => ({pid: p.pid, ppid: 1, user: 'app', comm: p.comm, argv: p.argv ?? [p.comm], rssBytes: p.rssMiB * MiB, cpuSeconds: 0})),
    listeners: [], connections: [], packages: [], units: [], cron: [], mounts: [], dataPaths: [], users: [], groups: [], sysctl: [], kernelModules: [],
    network: {addresses: [], nameservers: []},
    utilisation: {intervalSeconds: interval, samples, history: []},
    probeErrors: [], transcript: [],
  } as HostFacts
  const comm = (pid: number) => spec.processes.find((p) => p.pid === pid)?.comm ?? 'x'
  const argv = (pid: number) => spec.processes.find((p) => p.pid === pid)?.argv ?? [comm(pid)]
  const inventory: Inventory = {
    schemaVersion: 1,
    host: spec.name,
    os: {id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', endOfLife: spec.eol ?? '2028-06-30'},
    detectedAt: '2026-01-01T00:00:00Z',
    rules: {count: 1, sha256: '0'},
    workloads: spec.apps.map((a) => ({
      id: a.name, rule: `test/${a.kind}`, kind: a.kind, name: a.name,
      processes: a.pids.map((pid) => ({pid, comm: comm(pid), argv: argv(pid)})),
      ports: [], configPaths: [], dataPaths: [], logPaths: [], command: [a.name], environment: {}, secrets: [],
      dependencies: Array.from({length: a.dependencies ?? 0}, (_, i) => ({kind: 'external' as const, target: `db${i}:5432`, port: 5432, evidence: 'connection'})),
      packages: [], confidence: a.confidence ?? 0.9, evidence: [], blockers: a.blockers ?? [], hints: {},
    })),
    system: (spec.system ?? []).map((s) => ({rule: `system/${s.name}`, name: s.name, pids: s.pids, reason: 'OS plumbing'})),
    unclaimed: {processes: (spec.unclaimed ?? []).map((pid) => ({pid, comm: comm(pid), argv: argv(pid)})), ports: []},
    blockers: [],
  }
  const plan: Plan = {
    schemaVersion: 1, host: spec.name, os: {id: 'debian', versionId: '12'},
    services: spec.apps.map((a) => service(a.name, a.kind, a.include ?? true, a.dataGiB)),
    excluded: [], unresolved: [], decisions: [],
  }
  const artifacts = {
    schemaVersion: 1 as const, host: spec.name, generatedAt: '2026-01-01T00:00:00Z', skipped: [],
    services: spec.apps.filter((a) => a.include ?? true).map((a) => ({
      name: a.name, kind: a.kind, image: `hoist/${spec.name}-${a.name}:1`, context: `services/${a.name}`, baseImage: 'debian:12', ports: [], volumes: [],
      user: {name: 'app'}, environment: {}, secrets: [], command: [a.name], dependsOn: [], capabilities: [], resources: {cpu: 0.05, memoryMiB: 32},
    })),
  }
  return {facts, inventory, plan, ...(withArtifacts ? {artifacts} : {})}
}

function service(name: string, kind: string, include: boolean, dataGiB?: number): Service {
  return {
    name, workload: name, rule: `test/${kind}`, kind, include,
    baseImage: {policy: 'same-os', image: 'debian:12'}, packages: [], files: [],
    volumes: dataGiB === undefined ? [] : [{path: `/var/lib/${name}`, role: 'database', sizeBytes: dataGiB * GiB}],
    ports: [], user: 'app', command: [name], environment: {}, secrets: [], capabilities: [], dependsOn: [],
    resources: {cpu: 0.05, memoryMiB: 32, basis: 'test'},
  }
}

/** The VM of the worked example: 8 vCPU, 32 GiB, host CPU at 10% at p95 (peak 40%), one application. */
export function vmAtTenPercent(): HostSpec {
  // 21 samples 30 s apart (10 minutes): the first has no rate; of the 20 rates, 18 at 5%, one at 10%, one at 40%.
  const cpu = [undefined, ...Array<number>(18).fill(5), 10, 40]
  const appCpu = [undefined, ...Array<number>(18).fill(50), 60, 200]
  return {
    name: 'vm01', virtualization: 'kvm', cpus: 8, memoryGiB: 32,
    samples: cpu.map((c, i) => ({cpu: c, memGiB: 4, procs: [{pid: 100, cpu: appCpu[i], rssMiB: 2048}, {pid: 10, cpu: i === 0 ? undefined : 0, rssMiB: 64}]})),
    processes: [{pid: 100, comm: 'java', rssMiB: 2048}, {pid: 10, comm: 'sshd', rssMiB: 64}],
    apps: [{name: 'app', kind: 'runtime', pids: [100]}],
    system: [{name: 'sshd', pids: [10]}],
  }
}

/** Customer prices that make hand sums easy: a 8 vCPU / 32 GiB machine costs 0.48 an hour. */
export const EASY_CONFIG = {
  prices: {currency: 'EUR', vcpuHour: 0.04, gibHour: 0.005, nodeHour: 0},
  node: {vcpu: 8, memoryGiB: 32, reservedVcpu: 0, reservedMemoryGiB: 0},
}
