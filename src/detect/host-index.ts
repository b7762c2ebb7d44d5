import type {HostFacts, Listener, PackageFact, ProcessFact} from '../types/facts.js'

/** Lookups over one host's facts, built once per detect run. */
export interface HostIndex {
  facts: HostFacts
  byPid: Map<number, ProcessFact>
  children: Map<number, number[]>
  listenersByPid: Map<number, Listener[]>
  packages: PackageFact[]
  /** The probe's own processes (the `sh -s` it ran in and its children): never workloads. */
  probePids: Set<number>
  /** Addresses that mean "this host". */
  localAddresses: Set<string>
}

export function indexHost(facts: HostFacts): HostIndex {
  const byPid = new Map(facts.processes.map((p) => [p.pid, p]))
  const children = new Map<number, number[]>()
  for (const p of facts.processes) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid])
  const listenersByPid = new Map<number, Listener[]>()
  for (const l of facts.listeners) if (l.pid !== undefined) listenersByPid.set(l.pid, [...(listenersByPid.get(l.pid) ?? []), l])
  const probePids = new Set<number>()
  const roots = facts.processes.filter((p) => isProbeShell(p.argv))
  const stack = roots.map((p) => p.pid)
  while (stack.length > 0) {
    const pid = stack.pop()!
    if (probePids.has(pid)) continue
    probePids.add(pid)
    stack.push(...(children.get(pid) ?? []))
  }
  const localAddresses = new Set(['127.0.0.1', '::1', '0.0.0.0', '::', 'localhost'])
  for (const a of facts.network.addresses) localAddresses.add(a.cidr.split('/')[0]!)
  return {facts, byPid, children, listenersByPid, packages: facts.packages, probePids, localAddresses}
}

function isProbeShell(argv: string[]): boolean {
  const line = argv.join(' ')
  return line === 'sh -s' || line === 'sudo -n -- sh -s'
}

export function isLocalAddress(index: HostIndex, address: string): boolean {
  return index.localAddresses.has(address) || address.startsWith('127.') || address.startsWith('::ffff:127.')
}

/** A process and all its descendants. */
export function descendants(index: HostIndex, pid: number): number[] {
  const out: number[] = []
  const stack = [pid]
  while (stack.length > 0) {
    const p = stack.pop()!
    out.push(p)
    stack.push(...(index.children.get(p) ?? []))
  }
  return out
}
