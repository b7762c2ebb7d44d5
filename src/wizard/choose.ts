import type {Inventory} from '../types/inventory.js'
import type {BaseImagePolicy, Plan} from '../types/plan.js'
import {renameService, serviceContext, setBaseImage, setInclude} from './apply.js'
import {describeFound} from './found.js'
import {serviceQuestionId, type QuestionContext} from './questions.js'
import type {Asker, Resolver} from './resolve.js'

export interface Found {
  plan: Plan
  inventory: Inventory
}

/**
 * Shows what each host holds, then asks per service: lift it or not (one checklist per host),
 * its name, and its base image where an upstream image exists. Questions are keyed by the
 * workload id, which a rename does not change, so answers replay onto a re-planned host.
 * Returns the hosts whose plan changed.
 */
export async function chooseServices(r: Resolver, asker: Asker, found: Found[], base: QuestionContext): Promise<Set<string>> {
  for (const f of found) for (const line of describeFound(f.plan, f.inventory)) asker.say(line)
  const changed = new Set<string>()
  const several = found.length > 1
  for (const {plan, inventory} of found) {
    const key = (workload: string) => (several ? `${plan.host}/${workload}` : workload)
    const ctxOf = (i: number): QuestionContext => ({...base, service: serviceContext(plan, inventory, plan.services[i]!)})
    const include = await r.answerAll(
      plan.services.map((s, i) => ({id: serviceQuestionId(key(s.workload), 'include'), ctx: ctxOf(i)})),
      `Applications to lift on ${plan.host} (space ticks or unticks, enter confirms)`,
    )
    for (const [i, service] of plan.services.entries()) {
      const id = serviceQuestionId(key(service.workload), 'include')
      if (setInclude(service, include[id] ?? service.include)) changed.add(plan.host)
      if (!service.include) continue
      const name = await r.answer(serviceQuestionId(key(service.workload), 'rename'), ctxOf(i))
      if (typeof name === 'string' && renameService(plan, service, name)) changed.add(plan.host)
      const policy = await r.answer(serviceQuestionId(key(service.workload), 'base-image'), ctxOf(i))
      if (typeof policy === 'string' && setBaseImage(plan, inventory, service, policy as BaseImagePolicy)) changed.add(plan.host)
    }
  }
  return changed
}
