import type {Dockerfile, From, Instruction} from 'dockerfile-ast'
import type {LintFinding} from '../types.js'

/** One build stage: its FROM, the instructions after it, and the earlier stage it builds on. */
export interface Stage {
  from: From
  alias: string | null
  parent: Stage | null
  instructions: Instruction[]
}

export function parseStages(dockerfile: Dockerfile): Stage[] {
  const stages: Stage[] = []
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From
      // Docker matches stage names case-insensitively, and a tagged name is always an image.
      const image = from.getImage()?.toLowerCase()
      const parent = stages.find((s) => s.alias !== null && s.alias === image) ?? null
      stages.push({from, alias: from.getBuildStage()?.toLowerCase() ?? null, parent, instructions: []})
      continue
    }
    stages.at(-1)?.instructions.push(instruction)
  }
  return stages
}

export function finalStage(dockerfile: Dockerfile): Stage | undefined {
  return parseStages(dockerfile).at(-1)
}

/** What the image of a stage inherits: its ancestors' instructions, then its own. */
export function lineage(stage: Stage): Instruction[] {
  return stage.parent ? [...lineage(stage.parent), ...stage.instructions] : stage.instructions
}

export function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1
}

export function finding(rule: string, at: Instruction | number, message: string): LintFinding {
  return {rule, line: typeof at === 'number' ? at : lineOf(at), message}
}

/**
 * The arguments as Docker passes them on: dockerfile-ast drops comment lines inside a
 * continuation from getArguments() but keeps them in getArgumentsContent().
 */
export function argumentText(instruction: Instruction, expanded = false): string {
  const args = expanded ? instruction.getExpandedArguments() : instruction.getArguments()
  return args.map((a) => a.getValue()).join(' ')
}

export function ofKeyword(instructions: Instruction[], keyword: string): Instruction[] {
  return instructions.filter((i) => i.getKeyword() === keyword)
}

/** One finding for each `keyword` but the last: Docker silently keeps only the last one. */
export function overridden(rule: string, instructions: Instruction[], keyword: string): LintFinding[] {
  const all = ofKeyword(instructions, keyword)
  const last = all.at(-1)
  return all
    .slice(0, -1)
    .map((i) => finding(rule, i, `${keyword} here is overridden by the ${keyword} on line ${lineOf(last!)}`))
}
