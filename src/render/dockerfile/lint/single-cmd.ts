import {finalStage, overridden} from './support/stages.js'
import type {LintRule} from './types.js'

const ID = 'hoist/single-cmd'

export const singleCmd: LintRule = {
  id: ID,
  title: 'The final stage has at most one CMD and one ENTRYPOINT',
  check(dockerfile) {
    const stage = finalStage(dockerfile)
    if (!stage) return []
    // A second one usually means a template emitted two, and Docker would hide it.
    return [...overridden(ID, stage.instructions, 'CMD'), ...overridden(ID, stage.instructions, 'ENTRYPOINT')]
  },
}
