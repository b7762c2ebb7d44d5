import {argumentText, finalStage, finding, lineage, ofKeyword} from './support/stages.js'
import type {LintRule} from './types.js'

const ID = 'hoist/non-root-user'
const ROOT = new Set(['root', '0'])

export const nonRootUser: LintRule = {
  id: ID,
  title: 'An application that did not run as root on the host does not run as root in the image',
  check(dockerfile, context) {
    if (context.originalUser === 'root') return []
    const stage = finalStage(dockerfile)
    if (!stage) return []
    const user = ofKeyword(lineage(stage), 'USER').at(-1)
    if (!user) {
      return [finding(ID, stage.from, `no USER in the final stage: the image runs as root, the host ran it as ${context.originalUser}`)]
    }
    // USER root:staff still runs as root; only the part before the colon decides.
    const value = argumentText(user, true)
    const name = value.split(':')[0]!
    if (!ROOT.has(name)) return []
    return [finding(ID, user, `USER ${value} runs as root, the host ran it as ${context.originalUser}`)]
  },
}
