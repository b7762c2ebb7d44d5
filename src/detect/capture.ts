import type {ProcessFact, UnitFact} from '../types/facts.js'
import type {Evidence} from '../types/inventory.js'
import type {Rule} from '../types/rule.js'
import type {HostIndex} from './host-index.js'
import {capture, test} from './regex.js'
import type {Vars} from './template.js'

/** Variables a rule's emit templates can use: built-ins from the process, then the rule's captures. */
export function captureVars(rule: Rule, root: ProcessFact | undefined, unit: UnitFact | undefined, index: HostIndex, cronCommand?: string): {vars: Vars; evidence: Evidence[]} {
  const evidence: Evidence[] = []
  // A cron job has no process: its command line stands in for argv.
  const argv = root?.argv ?? (cronCommand ? ['sh', ...cronCommand.split(/\s+/)] : [])
  const vars: Vars = {
    comm: root?.comm,
    exe: root?.exe,
    exeName: root?.exe?.split('/').pop(),
    user: root?.user,
    cwd: root?.cwd,
    unit: unit?.name.replace(/\.service$/, ''),
    script: scriptOf(argv),
    jar: argv[argv.indexOf('-jar') + 1] && argv.includes('-jar') ? argv[argv.indexOf('-jar') + 1] : undefined,
  }
  for (const [name, sources] of Object.entries(rule.capture ?? {})) {
    for (const source of sources) {
      const found = fromSource(source, root, unit, index)
      if (found) {
        vars[name] = found.value
        evidence.push({field: name, fact: found.fact, value: found.value})
        break
      }
    }
  }
  return {vars, evidence}
}

type Source = NonNullable<Rule['capture']>[string][number]

function fromSource(source: Source, root: ProcessFact | undefined, unit: UnitFact | undefined, index: HostIndex): {value: string; fact: string} | undefined {
  if ('package' in source) {
    const p = index.packages.find((x) => test(source.package, x.name))
    return p && {value: p.version, fact: `packages[${p.name}].version`}
  }
  if ('argv' in source) {
    const value = capture(source.argv, root?.argv.join(' '))
    return value === undefined ? undefined : {value, fact: `processes[pid=${root!.pid}].argv`}
  }
  if ('exe' in source) {
    const value = capture(source.exe, root?.exe)
    return value === undefined ? undefined : {value, fact: `processes[pid=${root!.pid}].exe`}
  }
  if ('env' in source) {
    const entry = Object.entries(root?.env ?? {}).map(([k, v]) => `${k}=${v}`).find((e) => test(source.env, e))
    const value = entry === undefined ? undefined : capture(source.env, entry)
    return value === undefined ? undefined : {value, fact: `processes[pid=${root!.pid}].env`}
  }
  if ('unit' in source) {
    const value = capture(source.unit, unit?.execStart)
    return value === undefined ? undefined : {value, fact: `units[${unit!.name}].execStart`}
  }
  return {value: source.default, fact: 'rule default'}
}

/** The program an interpreter runs: the first argument that is a path or a script file. */
export function scriptOf(argv: string[]): string | undefined {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '-c' || a === '-e' || a === '-m') return undefined
    if (a.startsWith('-')) continue
    if (a.includes('/') || /\.(py|js|mjs|cjs|rb|php|pl|sh|jar|dll)$/.test(a)) return a
  }
  return undefined
}
