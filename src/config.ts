import {readFile} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'
import {HoistError} from './errors.js'
import type {BaseImagePolicy} from './types/plan.js'
import type {NodeSize, Prices, SizingMode} from './types/report.js'
import {validatorErrors, type CompiledValidator} from './types/validate.js'
import validateConfig from './types/generated/config.js'
import {describeSchemaErrors, parseYamlFile} from './types/yaml-file.js'

export interface HoistConfig {
  rules?: {disabled?: string[]; dirs?: string[]}
  baseImage?: BaseImagePolicy
  headroom?: number
  percentile?: number
  /** The report's sizing mode, prices, target node and effort factors (src/report/settings.ts). */
  mode?: SizingMode
  prices?: Partial<Prices>
  node?: Partial<NodeSize>
  effort?: {kinds?: Record<string, number>} & Partial<Record<EffortFactorKey, number>>
}

export type EffortFactorKey = 'perHost' | 'perDependency' | 'perWarning' | 'perBlocking' | 'per100GiB' | 'perOpenQuestion' | 'notGenerated' | 'lowConfidence' | 'scopeDays'

export const CONFIG_FILE = 'hoist.yaml'

/** hoist.yaml from the working folder (or --config); none is fine, a wrong one is an error with its line. */
export async function loadConfig(path?: string): Promise<HoistConfig> {
  const file = resolve(path ?? CONFIG_FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    if (path) throw new HoistError('CONFIG_INVALID', `cannot read ${file}`, 'Pass an existing file to --config, or leave it out to use hoist.yaml in this folder.')
    return {}
  }
  const parsed = parseYamlFile(text)
  const validate = validateConfig as CompiledValidator
  const problems = parsed.problems.length > 0 ? parsed.problems : validatorErrors(validate, parsed.value ?? {}).length > 0 ? describeSchemaErrors(validate.errors ?? [], parsed) : []
  if (problems.length > 0) {
    throw new HoistError('CONFIG_INVALID', `${file}:\n${problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n')}`, 'Fix the lines named; README lists the keys hoist.yaml takes.')
  }
  const config = (parsed.value ?? {}) as HoistConfig
  // Rule folders are relative to the config file, not to wherever hoist was started.
  if (config.rules?.dirs) config.rules.dirs = config.rules.dirs.map((d) => resolve(dirname(file), d))
  return config
}
