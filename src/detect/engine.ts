import type {HostFacts} from '../types/facts.js'
import {INVENTORY_SCHEMA_VERSION, type Inventory, type SystemService, type Workload} from '../types/inventory.js'
import {claim} from './claims.js'
import {endOfLife} from './eol.js'
import {indexHost} from './host-index.js'
import type {RuleSet} from './load.js'
import {dependencies, hostBlockers, workloadBlockers} from './relations.js'
import {buildWorkload} from './workload.js'

/** Facts → inventory: every process a rule claims becomes a workload (or a known system service). Pure. */
export function detect(facts: HostFacts, ruleset: Pick<RuleSet, 'rules' | 'sha256'>, now = new Date()): Inventory {
  const index = indexHost(facts)
  const claims = claim(ruleset.rules, index)
  const system: SystemService[] = []
  const partial: Omit<Workload, 'dependencies' | 'blockers'>[] = []
  const ids = new Set<string>()
  for (const c of claims) {
    if (c.rule.emit.system) {
      // One entry per system rule: its processes (or cron entries) together.
      const known = system.find((s) => s.rule === c.rule.id)
      if (known) known.pids.push(...c.pids)
      else system.push({rule: c.rule.id, name: c.rule.emit.name, pids: [...c.pids], reason: c.rule.emit.system})
      continue
    }
    const w = buildWorkload(c, index)
    partial.push({id: uniqueId(w.name, ids), ...w})
  }
  const workloads: Workload[] = partial.map((w) => ({...w, dependencies: dependencies(w, partial, index), blockers: workloadBlockers(w, index)}))

  const claimed = new Set([...index.probePids, ...claims.flatMap((c) => c.pids)])
  const claimedPorts = new Set(workloads.flatMap((w) => w.ports.map((p) => p.port)))
  const systemPids = new Set(system.flatMap((s) => s.pids))
  const eol = endOfLife(facts.os.id, facts.os.versionId)
  return {
    schemaVersion: INVENTORY_SCHEMA_VERSION,
    host: facts.host.name,
    os: {id: facts.os.id, versionId: facts.os.versionId, prettyName: facts.os.prettyName, ...(eol ? {endOfLife: eol} : {})},
    detectedAt: now.toISOString(),
    rules: {count: ruleset.rules.length, sha256: ruleset.sha256},
    workloads,
    system,
    unclaimed: {
      processes: facts.processes
        .filter((p) => !claimed.has(p.pid) && p.pid !== 1)
        .map((p) => ({pid: p.pid, comm: p.comm, ...(p.user ? {user: p.user} : {}), argv: p.argv})),
      ports: facts.listeners
        .filter((l) => !claimedPorts.has(l.port) && !(l.pid !== undefined && systemPids.has(l.pid)))
        .map((l) => ({protocol: l.protocol, address: l.address, port: l.port, ...(l.pid === undefined ? {} : {pid: l.pid})})),
    },
    blockers: hostBlockers(index, eol, now.toISOString().slice(0, 10)),
  }
}

function uniqueId(name: string, ids: Set<string>): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'service'
  let id = base
  for (let n = 2; ids.has(id); n++) id = `${base}-${n}`
  ids.add(id)
  return id
}
