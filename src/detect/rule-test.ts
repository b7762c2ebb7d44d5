import {readFile} from 'node:fs/promises'
import {isAbsolute, join} from 'node:path'
import {ingestSnapshot} from '../collect/collect.js'
import {packageRoot} from '../paths.js'
import type {HostFacts} from '../types/facts.js'
import type {Workload} from '../types/inventory.js'
import type {ExpectedWorkload, Rule} from '../types/rule.js'
import {assertHostFacts} from '../types/validate.js'
import {hostConditions, precedence} from './claims.js'
import {detect} from './engine.js'
import {indexHost} from './host-index.js'
import type {RuleSet} from './load.js'
import {matchesProcess} from './match.js'

export interface ExampleResult {
  rule: string
  facts: string
  ok: boolean
  problems: string[]
}

const factsCache = new Map<string, Promise<HostFacts>>()

/** An example's facts: a facts.json, or raw probe output (a .txt) parsed as `hoist scan --from` does. */
export function loadExampleFacts(path: string): Promise<HostFacts> {
  const full = isAbsolute(path) ? path : join(packageRoot(), path)
  let facts = factsCache.get(full)
  if (!facts) {
    facts = readFile(full, 'utf8').then((text) => {
      if (full.endsWith('.json')) {
        const value: unknown = JSON.parse(text)
        assertHostFacts(value, full)
        return value
      }
      return ingestSnapshot(text, {name: 'example', transport: 'snapshot', sudo: false}, full)
    })
    factsCache.set(full, facts)
  }
  return facts
}

/** Runs every example of every rule, with the whole rule set loaded (so precedence plays as in real use). */
export async function testRules(ruleset: RuleSet, only?: (rule: Rule) => boolean): Promise<ExampleResult[]> {
  const results: ExampleResult[] = []
  for (const rule of ruleset.rules.filter(only ?? (() => true))) {
    for (const example of rule.examples) {
      const problems: string[] = []
      try {
        const inventory = detect(await loadExampleFacts(example.facts), ruleset)
        const found = [...inventory.workloads.filter((w) => w.rule === rule.id), ...inventory.system.filter((s) => s.rule === rule.id).map(asWorkload)]
        problems.push(...compare(example.expect, found))
      } catch (error) {
        problems.push((error as Error).message)
      }
      results.push({rule: rule.id, facts: example.facts, ok: problems.length === 0, problems})
    }
  }
  return results
}

function asWorkload(s: {name: string; pids: number[]}): Workload {
  return {name: s.name, ports: [], configPaths: [], dataPaths: [], command: [], processes: s.pids.map((pid) => ({pid, comm: '', argv: []}))} as unknown as Workload
}

function compare(expected: ExpectedWorkload[], found: Workload[]): string[] {
  const problems: string[] = []
  if (expected.length !== found.length) {
    problems.push(`expected ${expected.length} workload(s), found ${found.length}${found.length ? `: ${found.map((w) => w.name).join(', ')}` : ''}`)
  }
  const left = [...found]
  for (const e of expected) {
    const i = left.findIndex((w) => mismatches(e, w).length === 0)
    if (i >= 0) {
      left.splice(i, 1)
      continue
    }
    const closest = left.find((w) => w.name === e.name) ?? left[0]
    problems.push(closest ? `${e.name ?? 'workload'}: ${mismatches(e, closest).join('; ')}` : `${e.name ?? 'workload'}: not found`)
  }
  return problems
}

function mismatches(e: ExpectedWorkload, w: Workload): string[] {
  const out: string[] = []
  const ports = [...new Set(w.ports.map((p) => p.port))].sort((a, b) => a - b)
  if (e.name !== undefined && e.name !== w.name) out.push(`name ${JSON.stringify(w.name)}, expected ${JSON.stringify(e.name)}`)
  if (e.ports && JSON.stringify([...e.ports].sort((a, b) => a - b)) !== JSON.stringify(ports)) out.push(`ports [${ports}], expected [${e.ports}]`)
  if (e.user !== undefined && e.user !== w.user) out.push(`user ${w.user}, expected ${e.user}`)
  if (e.version !== undefined && e.version !== w.version) out.push(`version ${w.version}, expected ${e.version}`)
  if (e.command !== undefined && !w.command.join(' ').includes(e.command)) out.push(`command "${w.command.join(' ')}" does not contain "${e.command}"`)
  for (const p of e.configPaths ?? []) if (!w.configPaths.some((x) => x.path === p)) out.push(`no config path ${p}`)
  for (const p of e.dataPaths ?? []) if (!w.dataPaths.some((x) => x.path === p)) out.push(`no data path ${p}`)
  return out
}

/** Pairs of process rules of equal precedence that would claim the same process in some example's facts. */
export async function overlappingRules(ruleset: RuleSet): Promise<string[]> {
  const out = new Set<string>()
  const files = [...new Set(ruleset.rules.flatMap((r) => r.examples.map((e) => e.facts)))]
  const processRules = ruleset.rules.filter((r) => r.match.process)
  for (const file of files) {
    const facts = await loadExampleFacts(file)
    const index = indexHost(facts)
    const applicable = processRules.filter((r) => hostConditions(r, index) !== undefined)
    for (const p of facts.processes) {
      const matching = applicable.filter((r) => matchesProcess(p, r.match.process!, index))
      for (let i = 0; i < matching.length; i++) {
        for (let j = i + 1; j < matching.length; j++) {
          const [a, b] = [matching[i]!, matching[j]!]
          if (precedence(a) === precedence(b)) out.add(`${a.id} and ${b.id} both claim ${p.comm} (pid ${p.pid}) in ${file} at precedence ${precedence(a)}`)
        }
      }
    }
  }
  return [...out]
}
