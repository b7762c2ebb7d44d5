import {baseImageFor, sameOsBaseImage} from '../plan/base-image.js'
import type {Inventory} from '../types/inventory.js'
import type {BaseImagePolicy, Plan, Service} from '../types/plan.js'
import type {ServiceContext} from './questions.js'

/**
 * The wizard's choices as plan edits, the same edits a consultant would make by hand in
 * plan.yaml: `include`, `name` (with the references to it), `baseImage` (with the packages the
 * policy implies, as src/plan/service.ts does). Pure: plan in, plan changed in place.
 */

/** What the questions about one service need to know. */
export function serviceContext(plan: Plan, inventory: Inventory, service: Service): ServiceContext {
  const workload = inventory.workloads.find((w) => w.id === service.workload)
  return {
    host: plan.host,
    name: service.name,
    kind: service.kind,
    policy: service.baseImage.policy,
    sameOsImage: sameOsBaseImage(plan.os),
    ...(workload?.hints.officialImage ? {officialImage: workload.hints.officialImage} : {}),
    otherNames: plan.services.filter((s) => s !== service).map((s) => s.name),
  }
}

export function setInclude(service: Service, include: boolean): boolean {
  if (service.include === include) return false
  service.include = include
  return true
}

/** Renames a service and every reference to it: dependsOn, open questions, decisions. */
export function renameService(plan: Plan, service: Service, to: string): boolean {
  const from = service.name
  if (from === to) return false
  service.name = to
  for (const s of plan.services) s.dependsOn = s.dependsOn.map((d) => (d === from ? to : d))
  for (const note of [...plan.unresolved, ...plan.decisions]) if (note.service === from) note.service = to
  return true
}

/** Switches the base-image policy; `official` only where the rule names an upstream image. */
export function setBaseImage(plan: Plan, inventory: Inventory, service: Service, policy: BaseImagePolicy): boolean {
  if (service.baseImage.policy === policy) return false
  const workload = inventory.workloads.find((w) => w.id === service.workload)
  // The rule `hoist plan` applies (src/plan/base-image.ts); `official` without an upstream image is no choice.
  const chosen = baseImageFor(workload, plan.os, policy)
  if (chosen.baseImage.policy !== policy) return false
  service.baseImage = chosen.baseImage
  service.packages = chosen.packages
  plan.decisions.push({service: service.name, field: 'baseImage', decision: policy, because: 'chosen in the wizard'})
  return true
}
