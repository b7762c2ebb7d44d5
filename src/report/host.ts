/**
 * One host's report, assembled from its workspace documents (read → assemble; the command writes).
 * Pure: the same documents, settings and date give the same report.
 */
import {renderLinuxkit} from '../render/linuxkit/linuxkit.js'
import type {Artifacts} from '../types/artifacts.js'
import type {HostFacts} from '../types/facts.js'
import type {Inventory} from '../types/inventory.js'
import type {Plan} from '../types/plan.js'
import type {Application, HostReport} from '../types/report.js'
import {attackSurface, withoutScanSession} from './attack-surface.js'
import {coverage, platform} from './confidence.js'
import {afterCost, applicationSaving, beforeCost, difference, industryFigure, nodeShare} from './cost.js'
import {applicationEffort, hostEffort, total} from './effort.js'
import {percentOf, sum} from './figure.js'
import {credits} from './overhead.js'
import {risks, nextSteps, scopeLists, serviceScope} from './scope.js'
import type {ReportSettings} from './settings.js'
import {hostBefore, sizeServices} from './sizing.js'

export interface HostInputs {
  facts: HostFacts
  inventory: Inventory
  plan: Plan
  /** Absent when `hoist generate` has not run: the report is then from the plan only, and says so. */
  artifacts?: Artifacts
}

export function hostReport({facts, inventory: found, plan, artifacts}: HostInputs, settings: ReportSettings, now: Date): HostReport {
  const inventory = withoutProbe(found, facts)
  const cov = coverage(facts)
  const before = hostBefore(facts, settings.sizing, cov)
  const scopes = new Map(plan.services.map((s) => [s.name, serviceScope(s, artifacts)]))
  const workloads = new Map(inventory.workloads.map((w) => [w.id, w]))
  const pids = plan.services.map((s) => workloads.get(s.workload)?.processes.map((p) => p.pid) ?? [])
  const sized = sizeServices(plan.services.map((s, i) => ({name: s.name, pids: pids[i]!})), facts, settings.mode, settings.sizing, before, cov)
  const services = sized.map((s, i) => ({...s, name: plan.services[i]!.name, inScope: scopes.get(plan.services[i]!.name)!.inScope}))

  const inScope = services.filter((s) => s.inScope)
  const staying = services.filter((s) => !s.inScope)
  const afterCpu = sum(inScope.map((s) => s.request.cpu), 'vCPU', 'the sum of the in-scope services\' requests', inScope.map((s) => s.name))
  const afterMemory = sum(inScope.map((s) => s.request.memory), 'GiB', 'the sum of the in-scope services\' requests', inScope.map((s) => s.name))
  const nodes = nodeShare(afterCpu, afterMemory, settings.node)
  const costBefore = beforeCost({cpu: before.cpu.allocated, memory: before.memory.allocated}, settings)
  const costAfter = afterCost({cpu: afterCpu, memory: afterMemory}, nodes, staying, settings)
  const saving = difference(costBefore, costAfter, settings.prices, 'before − after')
  const kind = platform(facts.os.virtualization)

  const applications: Application[] = plan.services.map((service, i) => {
    const workload = workloads.get(service.workload)
    const scope = scopes.get(service.name)!
    const effort = applicationEffort({service, workload, openQuestions: plan.unresolved.filter((u) => u.service === service.name).length, generated: scope.generated}, settings.effort)
    const s = services[i]!
    return {
      name: service.name, workload: service.workload, kind: service.kind, rule: service.rule, inScope: scope.inScope, why: scope.why,
      evidence: evidence(service, workload),
      used: s.used, asIs: s.asIs, request: s.request,
      planned: {...service.resources},
      saving: applicationSaving(s.asIs, s.request, scope.inScope, settings),
      effort,
      fitsScope: (effort.days.value ?? 0) <= settings.effort.scopeDays,
    }
  })
  const effortLines = [
    ...hostEffort(inventory.blockers, settings.effort),
    ...applications.filter((a) => a.inScope).map((a) => ({factor: `application:${a.name}`, days: a.effort.days.value ?? 0, why: a.effort.lines.map((l) => `${l.factor} ${l.days}`).join(' + ')})),
  ]
  const days = total(effortLines, artifacts ? '' : 'Dockerfiles not generated yet: estimate from the plan only')
  const defaultPrices = settings.assumptions.some((a) => a.key.startsWith('prices.') && a.key !== 'prices.currency' && a.source === 'default')
  return {
    host: facts.host.name,
    hostname: facts.host.hostname,
    platform: kind,
    virtualization: facts.os.virtualization,
    os: {prettyName: inventory.os.prettyName || facts.os.prettyName, ...(inventory.os.endOfLife ? {endOfLife: inventory.os.endOfLife} : {})},
    inputs: {artifacts: artifacts !== undefined},
    coverage: cov,
    before,
    after: {cpu: afterCpu, memory: afterMemory, nodes},
    credits: credits(facts, inventory, before, services, settings.sizing.percentile, cov),
    cost: {
      before: costBefore,
      after: costAfter,
      saving,
      savingPercent: percentOf(saving.monthly, costBefore.monthly, 'saving ÷ before cost × 100', ['saving', 'before']),
      industry: industryFigure(kind, costBefore, settings),
    },
    applications,
    effort: {lines: effortLines, days, fitsScope: (days.value ?? 0) <= settings.effort.scopeDays},
    scope: scopeLists(plan, inventory, scopes),
    risks: risks(plan, inventory, cov, artifacts, now),
    nextSteps: nextSteps(facts.host.name, plan, cov, artifacts, defaultPrices),
    ...(artifacts ? {attackSurface: attackSurface(facts, artifacts, renderLinuxkit(artifacts, plan, facts), plan)} : {}),
  }
}

/** The scan's own session (sshd → sh → the probe) is not the host's: not a process to lift or to credit. */
function withoutProbe(inventory: Inventory, facts: HostFacts): Inventory {
  const host = new Set(withoutScanSession(facts).map((p) => p.pid))
  return {...inventory, unclaimed: {...inventory.unclaimed, processes: inventory.unclaimed.processes.filter((p) => host.has(p.pid))}}
}

/** What the host showed for an application: its processes, ports and data, and the rule's evidence. */
function evidence(service: Plan['services'][number], workload: Inventory['workloads'][number] | undefined): string[] {
  const out = (workload?.processes ?? []).map((p) => `process ${p.pid} ${p.comm}: ${clip(p.argv.join(' '))}`)
  if (workload?.schedule) out.push(`schedule ${workload.schedule.schedule} from ${workload.schedule.source}`)
  out.push(...service.ports.map((p) => `listens on ${p.protocol}/${p.port}`))
  out.push(...service.volumes.map((v) => `data ${v.path} (${v.role}${v.sizeBytes === undefined ? '' : `, ${(v.sizeBytes / 2 ** 20).toFixed(1)} MiB`})`))
  out.push(...(workload?.evidence ?? []).slice(0, 4).map((e) => `${e.field}: ${clip(e.value)} (${e.fact})`))
  if (workload) out.push(`rule ${workload.rule}, detection confidence ${workload.confidence}`)
  return out
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text
}
