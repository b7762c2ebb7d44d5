import {Keyword} from 'dockerfile-ast'
import {finding} from './support/stages.js'
import type {LintFinding, LintRule} from './types.js'

const ID = 'hoist/swallowed-instruction'
const KEYWORDS = new Set<string>(Object.values(Keyword))

/**
 * Docker drops comment lines inside a continuation, so a RUN whose last continued line is a
 * `# trace` comment takes the next instruction as more shell; dockerfile-utils reports nothing.
 * The sign is a continued line that starts with an instruction keyword.
 */
export const swallowedInstruction: LintRule = {
  id: ID,
  title: 'No instruction is swallowed by the line continuation before it',
  check(dockerfile) {
    const findings: LintFinding[] = []
    for (const instruction of dockerfile.getInstructions()) {
      let line = instruction.getRange().start.line
      for (const arg of instruction.getArguments()) {
        const start = arg.getRange().start.line
        if (start > line && KEYWORDS.has(arg.getValue())) {
          findings.push(finding(ID, start + 1, `${arg.getValue()} on this line is part of the ${instruction.getKeyword()} above it: end that continuation before it`))
        }
        line = arg.getRange().end.line
      }
    }
    return findings
  },
}
