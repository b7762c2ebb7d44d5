import type {HostFacts} from '../types/facts.js'
import type {Inventory} from '../types/inventory.js'
import {PLAN_SCHEMA_VERSION, type BaseImagePolicy, type Plan} from '../types/plan.js'
import {DEFAULT_SIZING, type SizingPolicy} from './resources.js'
import {planService} from './service.js'

export interface PlanOptions {
  policy: BaseImagePolicy
  sizing: SizingPolicy
}

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {policy: 'same-os', sizing: DEFAULT_SIZING}

/** Inventory (+ the facts it came from) → plan. Pure: the same inputs give the same plan. */
export function buildPlan(inventory: Inventory, facts: HostFacts, options: PlanOptions = DEFAULT_PLAN_OPTIONS): Plan {
  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    host: inventory.host,
    os: {id: inventory.os.id, versionId: inventory.os.versionId, ...(inventory.os.endOfLife ? {endOfLife: inventory.os.endOfLife} : {})},
    services: [],
    excluded: inventory.system.map((s) => ({name: s.name, rule: s.rule, reason: s.reason})),
    unresolved: [],
    decisions: [],
  }
  for (const b of inventory.blockers) plan.unresolved.push({service: '*', question: `${b.severity === 'blocking' ? 'BLOCKER' : 'risk'} (${b.code}): ${b.message}`})
  for (const w of inventory.workloads) plan.services.push(planService(w, facts, options.policy, options.sizing, plan))
  for (const p of inventory.unclaimed.ports) {
    plan.unresolved.push({service: '*', question: `port ${p.protocol} ${p.address}:${p.port} is open but no service claims it${p.pid === undefined ? ' (owner unknown: scan with --sudo)' : ''}`})
  }
  return plan
}
