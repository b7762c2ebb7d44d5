/**
 * What moves and what does not, and why; the risks a customer must see before signing (end-of-life
 * OS, blockers, figures measured over too short a time, open questions); and the next steps that
 * would remove them.
 */
import type {Artifacts} from '../types/artifacts.js'
import type {Inventory} from '../types/inventory.js'
import type {Plan, Service} from '../types/plan.js'
import type {Coverage, Risk, ScopeItem} from '../types/report.js'

interface ServiceScope {
  inScope: boolean
  why: string
  /** undefined: generate has not run for it; false: generate skipped it. */
  generated: boolean | undefined
}

export function serviceScope(service: Service, artifacts: Artifacts | undefined): ServiceScope {
  if (!service.include) return {inScope: false, why: 'excluded in plan.yaml (include: false)', generated: undefined}
  const skipped = artifacts?.skipped.find((s) => s.service === service.name)
  if (skipped) return {inScope: false, why: `generate could not lift it faithfully: ${skipped.reason}`, generated: false}
  if (artifacts?.services.some((s) => s.name === service.name)) return {inScope: true, why: `planned and generated (services/${service.name}/Dockerfile)`, generated: true}
  if (artifacts) return {inScope: true, why: 'planned, but not in artifacts.json: plan.yaml changed since `hoist generate` ran', generated: undefined}
  return {inScope: true, why: 'planned (include: true); Dockerfiles not generated yet', generated: undefined}
}

export function scopeLists(plan: Plan, inventory: Inventory, scopes: Map<string, ServiceScope>): {in: ScopeItem[]; out: ScopeItem[]} {
  const inScope = plan.services.filter((s) => scopes.get(s.name)?.inScope).map((s) => ({name: s.name, why: scopes.get(s.name)!.why}))
  const out = [
    ...plan.services.filter((s) => !scopes.get(s.name)?.inScope).map((s) => ({name: s.name, why: scopes.get(s.name)?.why ?? ''})),
    ...plan.excluded.map((e) => ({name: e.name, why: `${e.reason} (${e.rule})`})),
    ...[...new Set(inventory.unclaimed.processes.map((p) => p.comm))].map((comm) => ({name: comm, why: 'a process no rule recognised: not lifted; confirm whether it is needed'})),
  ]
  return {in: inScope, out}
}

export function risks(plan: Plan, inventory: Inventory, cov: Coverage, artifacts: Artifacts | undefined, now: Date): Risk[] {
  const out: Risk[] = []
  const eol = inventory.os.endOfLife ?? plan.os.endOfLife
  const os = inventory.os.prettyName || `${inventory.os.id} ${inventory.os.versionId}`
  if (eol && eol <= now.toISOString().slice(0, 10)) {
    out.push({level: 'high', code: 'eol-os', message: `${os} reached end of life on ${eol}: lifted as-is, the images carry unpatched packages`})
  } else if (eol && Date.parse(eol) - now.getTime() < 365 * 86400_000) {
    out.push({level: 'medium', code: 'eol-os-soon', message: `${os} reaches end of life on ${eol}, within a year`})
  } else if (!eol) {
    out.push({level: 'low', code: 'eol-unknown', message: `the end of life of ${os} is not known to Hoist`})
  }
  for (const b of inventory.blockers.filter((b) => b.code !== 'eol-os')) out.push({level: b.severity === 'blocking' ? 'high' : 'medium', code: b.code, message: b.message})
  for (const w of inventory.workloads) {
    const service = plan.services.find((s) => s.workload === w.id)?.name ?? w.id
    for (const b of w.blockers) out.push({level: b.severity === 'blocking' ? 'high' : 'medium', code: b.code, message: b.message, service})
  }
  if (cov.confidence === 'none' || cov.confidence === 'low') {
    out.push({level: cov.confidence === 'none' ? 'high' : 'medium', code: 'low-confidence', message: `sizing measured over too little time (${cov.basis})`})
  }
  const questions = new Map<string, number>()
  for (const u of plan.unresolved) questions.set(u.service, (questions.get(u.service) ?? 0) + 1)
  for (const [service, n] of questions) out.push({level: 'medium', code: 'open-questions', message: `${n} open question(s) in plan.yaml`, service})
  if (!artifacts) out.push({level: 'low', code: 'not-generated', message: 'Dockerfiles not generated yet: scope and effort are from the plan only'})
  return out
}

export function nextSteps(host: string, plan: Plan, cov: Coverage, artifacts: Artifacts | undefined, defaultPrices: boolean): string[] {
  const steps: string[] = []
  if (cov.confidence !== 'high') steps.push(`Measure for longer: \`hoist scan ${host} --rescan --sample 10m\`, or enable sysstat on the host and scan again in a week.`)
  if (plan.unresolved.length > 0) steps.push(`Answer the ${plan.unresolved.length} open question(s) in hosts/${host}/plan.yaml, then \`hoist generate --host ${host}\`.`)
  if (!artifacts) steps.push(`Generate the Dockerfiles: \`hoist generate --host ${host}\`, then \`hoist report\` again.`)
  if (artifacts?.skipped.length) steps.push(`Lift by hand what generate skipped: ${artifacts.skipped.map((s) => s.service).join(', ')}.`)
  if (artifacts && artifacts.services.length > 0) steps.push(`Prove the images: \`hoist verify --host ${host}\`.`)
  if (defaultPrices) steps.push('Put the customer\'s unit prices under `prices:` in hoist.yaml: the costs use Hoist\'s placeholders.')
  return steps
}
