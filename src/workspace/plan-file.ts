import {createHash} from 'node:crypto'
import {readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {stringify} from 'yaml'
import {HoistError} from '../errors.js'
import type {Plan} from '../types/plan.js'
import {validatorErrors, type CompiledValidator} from '../types/validate.js'
import validatePlan from '../types/generated/plan.js'
import {describeSchemaErrors, parseYamlFile} from '../types/yaml-file.js'
import {hostPaths} from './paths.js'
import {writeAtomic} from './write.js'

const HEADER = `Hoist plan: what \`hoist generate\` builds for this host. Edit it freely.
Re-running \`hoist plan\` never overwrites your edits: when this file has changed since Hoist
wrote it, the new proposal goes to plan.proposed.yaml beside it (\`hoist plan --force\` replaces it).
Check an edit with \`hoist plan --check\`.`

export type PlanWrite = {file: string; kept: boolean}

export function planFiles(out: string, host: string) {
  const dir = hostPaths(out, host).dir
  return {plan: join(dir, 'plan.yaml'), proposed: join(dir, 'plan.proposed.yaml'), stamp: join(dir, '.plan.generated.sha256')}
}

export function renderPlan(plan: Plan): string {
  const body = stringify(plan, {version: '1.1', lineWidth: 0})
  return `${HEADER.split('\n').map((l) => `# ${l}`).join('\n')}\n${body}`
}

/** Writes plan.yaml, unless the consultant edited it since Hoist wrote it: then plan.proposed.yaml. */
export async function writePlan(out: string, plan: Plan, force: boolean): Promise<PlanWrite> {
  const files = planFiles(out, plan.host)
  const text = renderPlan(plan)
  const current = await readFile(files.plan, 'utf8').catch(() => undefined)
  const stamp = (await readFile(files.stamp, 'utf8').catch(() => '')).trim()
  const edited = current !== undefined && sha256(current) !== stamp
  if (edited && !force) {
    await writeAtomic(files.proposed, text, {durable: false})
    return {file: files.proposed, kept: true}
  }
  await writeAtomic(files.plan, text, {durable: false})
  await writeAtomic(files.stamp, `${sha256(text)}\n`, {durable: false})
  await rm(files.proposed, {force: true})
  return {file: files.plan, kept: false}
}

/** Reads plan.yaml strictly: a wrong edit is rejected with its line and what was expected. */
export async function loadPlan(out: string, host: string): Promise<Plan> {
  const file = planFiles(out, host).plan
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new HoistError('INPUT_MISSING', `no plan for ${host}: ${file}`, `Run \`hoist plan --out ${out}\` first.`)
  }
  return parsePlan(text, file)
}

export function parsePlan(text: string, file: string): Plan {
  const parsed = parseYamlFile(text)
  const fail = (problems: {line?: number; message: string}[]) =>
    new HoistError('PLAN_INVALID', `${file} has ${problems.length} problem(s):\n${problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n')}`,
      'Fix the lines named above (the plan.yaml header explains the file), or regenerate it with `hoist plan --force`.')
  if (parsed.problems.length > 0) throw fail(parsed.problems)
  const validate = validatePlan as CompiledValidator
  if (validatorErrors(validate, parsed.value).length > 0) throw fail(describeSchemaErrors(validate.errors ?? [], parsed))
  const plan = parsed.value as Plan
  const names = new Set<string>()
  const problems = []
  for (const [i, s] of plan.services.entries()) {
    if (names.has(s.name)) problems.push({line: parsed.lineOf(`/services/${i}/name`), message: `/services/${i}/name: "${s.name}" is used by two services: names must be unique`})
    names.add(s.name)
  }
  if (problems.length > 0) throw fail(problems)
  return plan
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
