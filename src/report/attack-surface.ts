/**
 * Attack surface of a host before the move (what the scan saw) and after it (the LinuxKit substrate
 * plus the application images), for the report. Every figure that could not be measured says so
 * ('unknown', with a note) instead of counting as zero.
 */
import {isLoopback} from '../render/compose/compose.js'
import type {LinuxkitManifest} from '../render/linuxkit/types.js'
import type {Artifacts} from '../types/artifacts.js'
import type {HostFacts, ProcessFact} from '../types/facts.js'
import type {Plan} from '../types/plan.js'

export interface SurfaceFigures {
  /** Installed packages; after the move, the plan's packages of each image (base images aside). */
  packages: {count: number | 'unknown'; detail: {where: string; count: number | 'unknown'}[]}
  listeningPorts: {protocol: 'tcp' | 'udp'; port: number; owner: string; exposed: boolean}[]
  /** Distinct long-running programs running as root. */
  rootProcesses: string[]
  setuidBinaries: number | 'unknown'
  /** Programs reachable from the network: listening on an address other than loopback. */
  openServices: string[]
}

export interface AttackSurface {
  before: SurfaceFigures
  after: SurfaceFigures
  /** What the figures leave out, and why. */
  notes: string[]
}

/** The substrate's own long-running root processes: LinuxKit's init, containerd and its shims. */
const SUBSTRATE_ROOT = ['init', 'containerd', 'containerd-shim']

export function attackSurface(facts: HostFacts, artifacts: Artifacts, linuxkit: LinuxkitManifest, plan?: Plan): AttackSurface {
  const notes = [
    'Setuid binaries: unknown before and after. The probe does not list setuid files (that needs a walk of every filesystem) and images are not inspected.',
    'Root processes leave out the scan\'s own SSH session; after the move, onboot steps run as root but exit before the services start.',
  ]
  const before = beforeMove(facts)
  if (before.packages.count === 'unknown') notes.push('Packages before: the package list could not be read on the host.')
  const after = afterMove(facts, artifacts, linuxkit, plan)
  notes.push(after.packages.count === 'unknown'
    ? 'Packages after: unknown without the plan, which names the packages each image installs.'
    : 'Packages after: the packages the plan installs in each image; the base images\' own packages are not counted (images are not inspected).')
  return {before, after, notes}
}

function beforeMove(facts: HostFacts): SurfaceFigures {
  const processes = withoutScanSession(facts)
  const comm = new Map(facts.processes.map((p) => [p.pid, p.comm]))
  const ports = new Map<string, SurfaceFigures['listeningPorts'][number]>()
  for (const l of facts.listeners) {
    const protocol = l.protocol.startsWith('udp') ? 'udp' : 'tcp'
    const key = `${protocol}/${l.port}`
    const exposed = !isLoopback(l.address)
    const known = ports.get(key)
    if (known) known.exposed ||= exposed
    else ports.set(key, {protocol, port: l.port, owner: (l.pid !== undefined ? comm.get(l.pid) : undefined) ?? 'unknown', exposed})
  }
  const listening = [...ports.values()].sort(byPort)
  const unread = facts.packages.length === 0 && facts.probeErrors.some((e) => e.section === 'packages')
  return {
    packages: {count: unread ? 'unknown' : facts.packages.length, detail: [{where: 'host', count: unread ? 'unknown' : facts.packages.length}]},
    listeningPorts: listening,
    rootProcesses: distinct(processes.filter(isRoot).map((p) => p.comm)),
    setuidBinaries: 'unknown',
    openServices: distinct(listening.filter((p) => p.exposed).map((p) => p.owner)),
  }
}

function afterMove(facts: HostFacts, artifacts: Artifacts, linuxkit: LinuxkitManifest, plan: Plan | undefined): SurfaceFigures {
  const running = new Set(linuxkit.services.map((s) => s.name))
  const services = artifacts.services.filter((s) => running.has(s.name))
  // Each service binds as its own configuration says, in the substrate's one network namespace:
  // a port the original kept on loopback stays there.
  const loopbackOnly = new Set(beforeMove(facts).listeningPorts.filter((p) => !p.exposed).map((p) => `${p.protocol}/${p.port}`))
  const listening = services.flatMap((s) => s.ports.map((p) => ({protocol: p.protocol, port: p.port, owner: s.name, exposed: !loopbackOnly.has(`${p.protocol}/${p.port}`)}))).sort(byPort)
  const detail = artifacts.services.map((s) => {
    const planned = plan?.services.find((p) => p.name === s.name)
    return {where: `${s.image} (on ${s.baseImage})`, count: planned ? planned.packages.length : ('unknown' as const)}
  })
  const known = detail.every((d) => d.count !== 'unknown')
  const rootServices = linuxkit.services.filter((s) => s.uid === undefined || s.uid === 0 || s.uid === 'root').map((s) => s.name)
  return {
    packages: {count: known ? detail.reduce((n, d) => n + (d.count as number), 0) : 'unknown', detail},
    listeningPorts: listening,
    rootProcesses: distinct([...SUBSTRATE_ROOT, ...rootServices]),
    setuidBinaries: 'unknown',
    openServices: distinct(listening.filter((p) => p.exposed).map((p) => p.owner)),
  }
}

/**
 * The scan ran in an SSH session: the session's sshd (one that listens on nothing) and everything
 * below it are the probe, not the host's workload.
 */
export function withoutScanSession(facts: HostFacts): ProcessFact[] {
  const listening = new Set(facts.listeners.map((l) => l.pid))
  const session = new Set(facts.processes.filter((p) => p.comm === 'sshd' && !listening.has(p.pid) && facts.processes.some((q) => q.pid === p.ppid && q.comm === 'sshd')).map((p) => p.pid))
  const below = (p: ProcessFact, depth = 0): boolean => {
    if (session.has(p.pid)) return true
    const parent = facts.processes.find((q) => q.pid === p.ppid)
    return parent !== undefined && depth < 64 && below(parent, depth + 1)
  }
  return facts.processes.filter((p) => !below(p))
}

function isRoot(p: ProcessFact): boolean {
  return p.uid === 0 || (p.uid === undefined && p.user === 'root')
}

function distinct(names: string[]): string[] {
  return [...new Set(names)].sort()
}

function byPort(a: {port: number; protocol: string}, b: {port: number; protocol: string}): number {
  return a.port - b.port || a.protocol.localeCompare(b.protocol)
}
