/**
 * The report's side of the workspace: reading what it is built from (facts, inventory, plan, and
 * artifacts when generate has run) and writing report.json (schema-checked first), report.html and
 * report.md, per host and for the portfolio at the workspace root.
 */
import {access} from 'node:fs/promises'
import {join} from 'node:path'
import {HoistError} from '../errors.js'
import type {Artifacts} from '../types/artifacts.js'
import type {Report} from '../types/report.js'
import {validatorErrors, type CompiledValidator} from '../types/validate.js'
import validateReport from '../types/generated/report.js'
import {loadFacts, scannedHosts} from './hosts.js'
import {loadInventory} from './inventory.js'
import {inside} from './paths.js'
import {loadPlan, planFiles} from './plan-file.js'
import {artifactsPath, loadArtifacts} from './services.js'
import {writeAtomic, writeJson} from './write.js'
import type {HostInputs} from '../report/host.js'

/** Everything one host's report is built from; artifacts are optional (plan only, said in the report). */
export async function loadReportInputs(out: string, host: string): Promise<HostInputs> {
  // Read beside the others, but awaited after them: a missing or broken facts, inventory or plan is still the error said.
  const pending = optionalArtifacts(out, host)
  pending.catch(() => {})
  const [facts, inventory, plan] = await Promise.all([loadFacts(out, host), loadInventory(out, host), loadPlan(out, host)])
  const artifacts = await pending
  return {facts, inventory, plan, ...(artifacts ? {artifacts} : {})}
}

/** artifacts.json when generate has run; a file that is there but cannot be read or parsed is an error. */
async function optionalArtifacts(out: string, host: string): Promise<Artifacts | undefined> {
  try {
    return await loadArtifacts(out, host)
  } catch (error) {
    if (await exists(artifactsPath(out, host))) throw error
    return undefined
  }
}

/** The scanned hosts that have a plan: the ones a report can cover. */
export async function plannedHosts(out: string): Promise<{planned: string[]; unplanned: string[]}> {
  const hosts = await scannedHosts(out)
  const planned: string[] = []
  const unplanned: string[] = []
  for (const host of hosts) ((await exists(planFiles(out, host).plan)) ? planned : unplanned).push(host)
  return {planned, unplanned}
}

interface ReportFiles {
  json: string
  html: string
  md: string
}

/** Writes a report's three files in a folder (a host's, or the workspace root); JSON is checked first. */
export async function writeReport(dir: string, report: Report, html: string, md: string): Promise<ReportFiles> {
  const errors = validatorErrors(validateReport as CompiledValidator, report)
  if (errors.length > 0) {
    throw new HoistError('WORKSPACE_INVALID', `the ${report.scope} report is not valid: ${errors.slice(0, 5).join('; ')}`, 'This is a bug in Hoist: report it with the host\'s facts.json and plan.yaml.')
  }
  const files = {json: join(dir, 'report.json'), html: join(dir, 'report.html'), md: join(dir, 'report.md')}
  await writeJson(files.json, report, {durable: false})
  await writeAtomic(files.html, html, {durable: false})
  await writeAtomic(files.md, md, {durable: false})
  return files
}

export function portfolioDir(out: string): string {
  return inside(out, '.')
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false)
}
