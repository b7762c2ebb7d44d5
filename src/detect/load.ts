import {createHash} from 'node:crypto'
import {readdir, readFile} from 'node:fs/promises'
import {join, relative} from 'node:path'
import {HoistError} from '../errors.js'
import {packagePath} from '../paths.js'
import type {Rule} from '../types/rule.js'
import {validatorErrors, type CompiledValidator} from '../types/validate.js'
import validateRule from '../types/generated/rule.js'
import {describeSchemaErrors, parseYamlFile, type YamlProblem} from '../types/yaml-file.js'

export interface RuleSet {
  rules: Rule[]
  /** Of every loaded rule file: an inventory says which rule set produced it. */
  sha256: string
  /** Rule file per id, for messages and `hoist rules list`. */
  files: Map<string, string>
}

export interface LoadOptions {
  /** Folders of the user's own rules, after the built-in ones; a rule with a built-in id replaces it. */
  dirs?: string[]
  /** Rule ids to leave out (hoist.yaml: rules.disabled). */
  disabled?: string[]
  builtinDir?: string
}

export const BUILTIN_RULES = () => packagePath('rulesets')

/** Loads every rule, strictly: a rule with an unknown key, a bad regex or a wrong id stops the load. */
export async function loadRules(options: LoadOptions = {}): Promise<RuleSet> {
  const byId = new Map<string, Rule>()
  const files = new Map<string, string>()
  const hash = createHash('sha256')
  for (const dir of [options.builtinDir ?? BUILTIN_RULES(), ...(options.dirs ?? [])]) {
    for (const file of await yamlFiles(dir)) {
      const text = await readFile(file, 'utf8')
      hash.update(`${relative(dir, file)}\0${text}\0`)
      const rule = parseRule(text, file, relative(dir, file).replace(/\.ya?ml$/, ''))
      byId.set(rule.id, rule)
      files.set(rule.id, file)
    }
  }
  const disabled = new Set(options.disabled ?? [])
  for (const id of disabled) {
    if (!byId.has(id)) throw new HoistError('CONFIG_INVALID', `rules.disabled names an unknown rule: ${id}`, 'Run `hoist rules list` for the rule ids.')
  }
  const rules = [...byId.values()].filter((r) => !disabled.has(r.id)).sort((a, b) => a.id.localeCompare(b.id))
  return {rules, sha256: hash.digest('hex'), files}
}

export function parseRule(text: string, file: string, expectedId: string): Rule {
  const parsed = parseYamlFile(text)
  const fail = (problems: YamlProblem[]) =>
    new HoistError(
      'RULE_INVALID',
      `${file} is not a valid rule:\n${problems.map((p) => `  ${file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n')}`,
      'Fix the rule (see an existing rule under rulesets/ for the shape), or disable it by id in hoist.yaml (rules.disabled).',
    )
  if (parsed.problems.length > 0) throw fail(parsed.problems)
  const validate = validateRule as CompiledValidator
  if (!validate(parsed.value)) throw fail(describeSchemaErrors(validate.errors ?? [], parsed))
  const rule = parsed.value as Rule
  const problems: YamlProblem[] = []
  if (rule.id !== expectedId) problems.push({line: parsed.lineOf('/id'), message: `id "${rule.id}" must equal the file's path under the rules folder: "${expectedId}"`})
  if (Boolean(rule.match.process) === Boolean(rule.match.cron)) problems.push({line: parsed.lineOf('/match'), message: 'match needs exactly one anchor: process or cron'})
  for (const [path, pattern] of regexes(rule)) {
    try {
      new RegExp(pattern)
    } catch (error) {
      problems.push({line: parsed.lineOf(path), message: `${path}: not a valid regular expression: ${(error as Error).message}`})
    }
  }
  if (problems.length > 0) throw fail(problems)
  return rule
}

const REGEX_KEYS = new Set(['comm', 'exe', 'argv', 'user', 'command', 'source', 'name', 'version', 'execStart', 'id', 'versionId', 'path', 'package', 'env', 'unit'])

/** Every regex in a rule's match and capture sections, with its JSON pointer. */
function regexes(rule: Rule): [string, string][] {
  const out: [string, string][] = []
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      const key = path.split('/').pop()!
      if (REGEX_KEYS.has(key)) out.push([path, value])
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}/${i}`))
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`)
  }
  walk(rule.match, '/match')
  walk(rule.capture ?? {}, '/capture')
  return out
}

async function yamlFiles(dir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, {recursive: true, withFileTypes: true})
  } catch {
    throw new HoistError('INPUT_MISSING', `rules folder not found: ${dir}`, 'Pass an existing folder to --rules.')
  }
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(e.parentPath ?? (e as unknown as {path: string}).path, e.name))
    .sort()
}
