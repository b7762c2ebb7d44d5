import type {Rule} from '../types/rule.js'
import type {HostIndex} from './host-index.js'
import {holds, matchesCron, matchesProcess} from './match.js'
import type {Claim} from './workload.js'

export const DEFAULT_PRECEDENCE = 50

export function precedence(rule: Rule): number {
  return rule.precedence ?? DEFAULT_PRECEDENCE
}

/**
 * Which rule claims which processes and cron entries. Rules are tried by precedence (highest
 * first); a process claimed once is not claimed again, so the generic fallback (precedence 0) only
 * sees what no other rule took. A rule's processes are grouped into trees: a matching child of a
 * matching parent (nginx workers under their master) belongs to its parent's workload.
 */
export function claim(rules: Rule[], index: HostIndex): Claim[] {
  const ordered = [...rules].sort((a, b) => precedence(b) - precedence(a) || a.id.localeCompare(b.id))
  const applicable = new Map(ordered.map((r) => [r, hostConditions(r, index)]))
  // Processes some specific rule recognises by themselves: they never join another's tree.
  const recognised = new Set(
    index.facts.processes
      .filter((p) => ordered.some((r) => r.match.process && precedence(r) > 0 && applicable.get(r) && matchesProcess(p, r.match.process, index)))
      .map((p) => p.pid),
  )
  const taken = new Set<number>(index.probePids)
  const takenCron = new Set<number>()
  const claims: Claim[] = []
  for (const rule of ordered) {
    const conditions = applicable.get(rule)
    if (!conditions) continue
    if (rule.match.process) {
      const matched = index.facts.processes.filter((p) => !taken.has(p.pid) && matchesProcess(p, rule.match.process!, index))
      const mine = new Set(matched.map((p) => p.pid))
      for (const root of matched.filter((p) => !hasAncestorIn(p.pid, mine, index))) {
        // OS plumbing (init, sshd, cron) starts independent services: only applications take their trees.
        const pids = rule.emit.system ? groupOf(root.pid, mine, new Set(index.byPid.keys()), taken, index) : groupOf(root.pid, mine, recognised, taken, index)
        for (const pid of pids) taken.add(pid)
        claims.push({rule, root, pids, evidence: [{field: 'match', fact: `processes[pid=${root.pid}]`, value: root.argv.join(' ') || root.comm}, ...conditions]})
      }
    } else if (rule.match.cron) {
      index.facts.cron.forEach((entry, i) => {
        if (takenCron.has(i) || !matchesCron(entry, rule.match.cron!)) return
        takenCron.add(i)
        claims.push({rule, pids: [], cron: entry, evidence: [{field: 'match', fact: `cron[${entry.source}]`, value: `${entry.schedule} ${entry.command}`}, ...conditions]})
      })
    }
  }
  return claims
}

/** The rule's all/any/none conditions on the host, with the facts that satisfy them; undefined when they fail. */
export function hostConditions(rule: Rule, index: HostIndex) {
  const evidence = []
  for (const c of rule.match.all ?? []) {
    const e = holds(c, index)
    if (!e) return undefined
    evidence.push(e)
  }
  if (rule.match.any && rule.match.any.length > 0) {
    const e = rule.match.any.map((c) => holds(c, index)).find(Boolean)
    if (!e) return undefined
    evidence.push(e)
  }
  if ((rule.match.none ?? []).some((c) => holds(c, index))) return undefined
  return evidence
}

function hasAncestorIn(pid: number, set: Set<number>, index: HostIndex): boolean {
  let p = index.byPid.get(pid)
  for (let depth = 0; p && depth < 64; depth++) {
    if (set.has(p.ppid)) return true
    p = index.byPid.get(p.ppid)
  }
  return false
}

/**
 * A root and its process tree: its own matching processes, and the helpers below it that no rule
 * recognises by themselves (rabbitmq's erl_child_setup, a launcher's shell). A descendant another
 * rule recognises, or one already claimed, stays out.
 */
function groupOf(root: number, mine: Set<number>, recognised: Set<number>, taken: Set<number>, index: HostIndex): number[] {
  const out = [root]
  const stack = [...(index.children.get(root) ?? [])]
  while (stack.length > 0) {
    const pid = stack.pop()!
    if (taken.has(pid)) continue
    if (mine.has(pid) || !recognised.has(pid)) out.push(pid)
    stack.push(...(index.children.get(pid) ?? []))
  }
  return out.sort((a, b) => a - b)
}
