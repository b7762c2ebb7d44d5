import type {FetchReport, FetchRequest} from '../collect/fetch/report.js'
import {ARTIFACTS_SCHEMA_VERSION, type Artifacts} from '../types/artifacts.js'
import type {HostFacts} from '../types/facts.js'
import type {Plan, Service} from '../types/plan.js'
import type {LintFinding} from './dockerfile/lint/types.js'
import {cannotLift, renderService, type ContextFile} from './service.js'

/** The I/O a host's generation needs, given by the command: the stage itself stays pure. */
export interface HostIo {
  /** Copies the requested paths into the service's build context; undefined when no source is open. */
  fetch(service: string, requests: FetchRequest[], exclude: string[]): Promise<FetchReport | undefined>
  write(service: string, files: ContextFile[], report: FetchReport | undefined): Promise<void>
  /** Called before fetching, so a stale context from an earlier run is gone. */
  reset(service: string): Promise<void>
}

export interface HostOutcome {
  artifacts: Artifacts
  findings: {service: string; finding: LintFinding}[]
  reports: {service: string; report: FetchReport}[]
}

// Content (a static site) this small is copied into the image as well as declared a volume, so a
// fresh volume starts with the site; larger data moves only with migrate.sh.
const SEED_MAX_BYTES = 64 * 1024 * 1024

/** What to copy from the host for a service: its files, and the content volumes small enough to seed. */
export function fetchRequests(service: Service): FetchRequest[] {
  return [
    ...service.files,
    ...service.volumes.filter((v) => v.role === 'content' && (v.sizeBytes ?? Infinity) <= SEED_MAX_BYTES).map((v) => ({path: v.path, role: v.role})),
  ]
}

/** Every service of a plan → a build context, a Dockerfile and the artifacts record. */
export async function generateHost(plan: Plan, facts: HostFacts, io: HostIo, now = new Date()): Promise<HostOutcome> {
  const artifacts: Artifacts = {schemaVersion: ARTIFACTS_SCHEMA_VERSION, host: plan.host, generatedAt: now.toISOString(), services: [], skipped: []}
  const findings: HostOutcome['findings'] = []
  const reports: HostOutcome['reports'] = []
  for (const service of plan.services) {
    const reason = cannotLift(plan, service)
    if (reason) {
      artifacts.skipped.push({service: service.name, reason})
      continue
    }
    await io.reset(service.name)
    const requests = fetchRequests(service)
    const report = requests.length > 0 ? await io.fetch(service.name, requests, service.volumes.map((v) => v.path)) : undefined
    if (requests.length > 0 && !report) {
      artifacts.skipped.push({service: service.name, reason: `its files (${requests.map((r) => r.path).join(', ')}) could not be fetched: no source for this host`})
      continue
    }
    const rendered = renderService(plan, service, facts, report)
    await io.write(service.name, rendered.files, report)
    artifacts.services.push(rendered.service)
    for (const finding of rendered.findings) findings.push({service: service.name, finding})
    if (report) reports.push({service: service.name, report})
  }
  return {artifacts, findings, reports}
}
