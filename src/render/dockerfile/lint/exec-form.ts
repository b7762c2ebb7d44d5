import type {Instruction} from 'dockerfile-ast'
import {argumentText, finding} from './support/stages.js'
import type {LintRule} from './types.js'

const ID = 'hoist/exec-form'

/**
 * Docker falls back to shell form whenever the arguments are not a JSON array of strings; the
 * arguments are re-joined because dockerfile-ast's getJSONStrings() stops at a comment line
 * inside a continuation.
 */
function isExecForm(instruction: Instruction): boolean {
  try {
    const parsed: unknown = JSON.parse(argumentText(instruction))
    return Array.isArray(parsed) && parsed.length > 0 && parsed.every((s) => typeof s === 'string')
  } catch {
    return false
  }
}

export const execForm: LintRule = {
  id: ID,
  title: 'CMD and ENTRYPOINT use the JSON exec form, so the process is PID 1 and receives signals',
  check(dockerfile) {
    return dockerfile
      .getInstructions()
      .filter((i) => (i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT') && !isExecForm(i))
      .map((i) => finding(ID, i, `${i.getKeyword()} ${argumentText(i)} is shell form: write it as a JSON array of strings`))
  },
}
