/**
 * Where the difference between a host's allocation and its containers' requests goes, as named
 * credits, each with its basis: capacity the host never used (idle CPU; memory that was page cache
 * or free), the OS overhead that disappears with the host (the kernel, the agents and system daemons
 * the substrate replaces, the other processes nobody lifts), and the headroom added back on top of
 * the services' own use. A credit that could not be measured is null, not zero.
 */
import type {HostFacts} from '../types/facts.js'
import type {Inventory} from '../types/inventory.js'
import type {Coverage, Credit} from '../types/report.js'
import {figure, minus, sum} from './figure.js'
import {measuredUse, type HostBefore, type Sized} from './sizing.js'

interface SizedService extends Sized {
  name: string
  inScope: boolean
}

export function credits(facts: HostFacts, inventory: Inventory, before: HostBefore, services: SizedService[], pct: number, cov: Coverage): {cpu: Credit[]; memory: Credit[]} {
  const agentPids = inventory.system.flatMap((s) => s.pids)
  const otherPids = inventory.unclaimed.processes.map((p) => p.pid)
  const agents = measuredUse(agentPids, facts, pct)
  const others = measuredUse(otherPids, facts, pct)
  const agentNames = inventory.system.map((s) => s.name).join(', ') || 'none'
  const otherNames = [...new Set(inventory.unclaimed.processes.map((p) => p.comm))].join(', ') || 'none'
  const inScope = services.filter((s) => s.inScope)

  const build = (key: 'cpu' | 'memory', unit: 'vCPU' | 'GiB'): Credit[] => {
    const usage = before[key]
    const agentUse = figure(key === 'cpu' ? agents.cpu : agents.memoryGiB, unit, `p${pct} use of the OS plumbing the substrate replaces (${agentNames})`, {processes: agentPids.length}, cov.confidence)
    const otherUse = figure(key === 'cpu' ? others.cpu : others.memoryGiB, unit, `p${pct} use of processes no rule claimed, not lifted (${otherNames}): confirm they are not needed`, {processes: otherPids.length}, cov.confidence)
    const servicesUsed = sum(services.map((s) => s.used[key]), unit, 'the services\' measured use', services.map((s) => s.name))
    const processes = sum([agentUse, otherUse, servicesUsed], unit, '', ['agents', 'otherProcesses', 'services'])
    const residual = minus(usage.used, processes, '', ['hostUsed', 'processes'])
    const kernel = figure(residual.value === null ? null : Math.max(0, residual.value), unit,
      `what the host used beyond its processes' measured use: kernel, slab, page tables, short-lived processes${residual.value !== null && residual.value < 0 ? ' (0: shared pages make the processes\' RSS overcount)' : ''}`,
      residual.inputs, residual.confidence)
    const requested = sum(inScope.map((s) => s.request[key]), unit, '', inScope.map((s) => s.name))
    const usedInScope = sum(inScope.map((s) => s.used[key]), unit, '', inScope.map((s) => s.name))
    const headroom = minus(usedInScope, requested, 'the in-scope services\' measured use − their requests: headroom and floors added back (negative)', ['used', 'requested'])
    const spare = minus(usage.allocated, usage.used, key === 'cpu'
      ? 'allocated − used: CPU the host never used at that percentile'
      : 'allocated − used: memory the host held as page cache or free, which a container does not reserve', ['allocated', 'used'])
    return [
      {id: key === 'cpu' ? 'idle' : 'page-cache', label: key === 'cpu' ? 'Idle CPU' : 'page cache and free memory', figure: spare},
      {id: 'kernel', label: 'Kernel and unattributed', figure: kernel},
      {id: 'agents', label: 'Agents and system daemons', figure: agentUse},
      {id: 'other-processes', label: 'Idle daemons and other processes not lifted', figure: otherUse},
      {id: 'headroom', label: 'Headroom and floors added back', figure: headroom},
    ]
  }
  return {cpu: build('cpu', 'vCPU'), memory: build('memory', 'GiB')}
}

