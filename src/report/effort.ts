/**
 * Fixed-scope effort in days: per application, a base by kind plus a line per thing that costs
 * time (blockers, data to migrate, dependencies to rewire, open questions, a service generate could
 * not lift, a doubtful detection); per host, the machine's own work and its host-wide blockers. Every
 * line says why, and every factor is overridable under `effort:` in hoist.yaml.
 */
import type {Blocker, Workload} from '../types/inventory.js'
import type {EffortLine, Figure} from '../types/report.js'
import type {Service} from '../types/plan.js'
import {figure} from './figure.js'
import type {EffortFactors} from './settings.js'

export interface EffortInput {
  service: Service
  workload?: Workload
  openQuestions: number
  /** undefined: generate has not run; false: it skipped the service. */
  generated: boolean | undefined
}

/** Detections below this are a guess worth a look before the scope is signed. */
const LOW_DETECTION_CONFIDENCE = 0.7

export function applicationEffort(input: EffortInput, factors: EffortFactors): {days: Figure; lines: EffortLine[]} {
  const {service, workload} = input
  const base = factors.kinds[service.kind] ?? factors.kinds.generic ?? 0
  const lines: EffortLine[] = [{factor: `kind:${service.kind}`, days: base, why: `lifting one ${service.kind} application (effort.kinds.${service.kind in factors.kinds ? service.kind : 'generic'})`}]
  lines.push(...blockerLines(workload?.blockers ?? [], factors))
  const dataBytes = service.volumes.reduce((n, v) => n + (v.sizeBytes ?? 0), 0)
  const dataGiB = dataBytes / 2 ** 30
  // Data under a gibibyte moves within the cut-over itself; above, each started 100 GiB costs time.
  if (dataGiB >= 1) lines.push({factor: 'data', days: Math.ceil(dataGiB / 100) * factors.per100GiB, why: `${dataGiB.toFixed(1)} GiB of data to migrate (${Math.ceil(dataGiB / 100)} × ${factors.per100GiB} days per started 100 GiB)`})
  const dependencies = Math.max(service.dependsOn.length, workload?.dependencies.length ?? 0)
  if (dependencies > 0) lines.push({factor: 'dependencies', days: dependencies * factors.perDependency, why: `${dependencies} dependenc${dependencies === 1 ? 'y' : 'ies'} to rewire and test (${factors.perDependency} each)`})
  if (input.openQuestions > 0) lines.push({factor: 'open-questions', days: input.openQuestions * factors.perOpenQuestion, why: `${input.openQuestions} open question(s) in plan.yaml (${factors.perOpenQuestion} each)`})
  if (input.generated === false) lines.push({factor: 'not-generated', days: factors.notGenerated, why: 'generate could not lift it faithfully: hand work'})
  if (workload && workload.confidence < LOW_DETECTION_CONFIDENCE) lines.push({factor: 'low-confidence', days: factors.lowConfidence, why: `detected with confidence ${workload.confidence}: investigate first`})
  return {days: total(lines, input.generated === undefined ? 'Dockerfiles not generated yet: estimate from the plan only' : ''), lines}
}

/** The host's own lines: access, substrate and cut-over of the machine, and its host-wide blockers. */
export function hostEffort(blockers: Blocker[], factors: EffortFactors): EffortLine[] {
  return [{factor: 'host', days: factors.perHost, why: 'access, substrate and cut-over of the machine (effort.perHost)'}, ...blockerLines(blockers, factors)]
}

export function total(lines: EffortLine[], note = ''): Figure {
  const days = lines.reduce((n, l) => n + l.days, 0)
  const inputs = Object.fromEntries(lines.map((l, i) => [`${i}:${l.factor}`, l.days]))
  return figure(days, 'days', `the sum of its effort lines${note ? `; ${note}` : ''}`, inputs, note ? 'low' : 'medium')
}

function blockerLines(blockers: Blocker[], factors: EffortFactors): EffortLine[] {
  return blockers
    // Large data is costed by its size (the data line), not again as a blocker.
    .filter((b) => b.code !== 'large-data')
    .map((b) => ({factor: `blocker:${b.code}`, days: b.severity === 'blocking' ? factors.perBlocking : factors.perWarning, why: `${b.severity}: ${b.message}`}))
}
