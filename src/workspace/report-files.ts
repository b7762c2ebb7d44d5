/**
 * The report's side of the workspace: reading what it is built from (facts, inventory, plan, and
 * artifacts when generate has run) and writing report.json (schema-checked first), report.html and
 * report.md, per host and for the portfolio at the workspace root.
 */
import {access, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {HoistError} from '../errors.js'
import type {Artifacts} from '../types/artifacts.js'
import type {Inventory} from '../types/inventory.js'
import type {Report} from '../types/report.js'
import {validatorErrors, type CompiledValidator} from '../types/validate.js'
import validateInventory from '../types/generated/inventory.js'
import validateReport from '../types/generated/report.js'
import {loadFacts, scannedHosts} from './hosts.js'
import {hostPaths, inside} from './paths.js'
import {loadPlan, planFiles} from './plan-file.js'
import {artifactsPath, loadArtifacts} from './services.js'
import {writeAtomic, writeJson} from './write.js'
import type {HostInputs} from '../report/host.js'

export async function loadInventory(out: string, host: string): Promise<Inventory> {
  const file = join(hostPaths(out, host).dir, 'inventory.json')
  let value: unknown
  try {
    value = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw new HoistError('INPUT_MISSING', `cannot read ${file}: ${(error as Error).message}`, `Run \`hoist plan --out ${out}\` first.`, {host})
  }
  const errors = validatorErrors(validateInventory as CompiledValidator, value)
  if (errors.length > 0) throw new HoistError('WORKSPACE_INVALID', `${file} is not a valid inventory: ${errors.slice(0, 5).join('; ')}`, `Run \`hoist plan --out ${out}\` again to rewrite it.`, {host})
  return value as Inventory
}

/** Everything one host's report is built from; artifacts are optional (plan only, said in the report). */
export async function loadReportInputs(out: string, host: string): Promise<HostInputs> {
  const [facts, inventory, plan] = await Promise.all([loadFacts(out, host), loadInventory(out, host), loadPlan(out, host)])
  const artifacts: Artifacts | undefined = (await exists(artifactsPath(out, host))) ? await loadArtifacts(out, host) : undefined
  return {facts, inventory, plan, ...(artifacts ? {artifacts} : {})}
}

/** The scanned hosts that have a plan: the ones a report can cover. */
export async function plannedHosts(out: string): Promise<{planned: string[]; unplanned: string[]}> {
  const hosts = await scannedHosts(out)
  const planned: string[] = []
  const unplanned: string[] = []
  for (const host of hosts) ((await exists(planFiles(out, host).plan)) ? planned : unplanned).push(host)
  return {planned, unplanned}
}

export interface ReportFiles {
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

export function hostReportDir(out: string, host: string): string {
  return hostPaths(out, host).dir
}

export function portfolioDir(out: string): string {
  return inside(out, '.')
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false)
}
