import type {Healthcheck} from 'dockerfile-ast'
import {finalStage, finding, lineage, ofKeyword, overridden} from './support/stages.js'
import type {LintFinding, LintRule} from './types.js'

const ID = 'hoist/healthcheck'

function isNone(healthcheck: Healthcheck): boolean {
  return healthcheck.getSubcommand()?.getValue().toUpperCase() === 'NONE'
}

export const healthcheck: LintRule = {
  id: ID,
  title: 'The image carries exactly one HEALTHCHECK when the plan has one',
  check(dockerfile, context) {
    if (!context.healthcheckExpected) return []
    const stage = finalStage(dockerfile)
    if (!stage) return []
    const findings: LintFinding[] = overridden(ID, stage.instructions, 'HEALTHCHECK')
    // A parent stage's HEALTHCHECK is inherited; the last one in the lineage is the image's.
    const effective = (ofKeyword(lineage(stage), 'HEALTHCHECK') as Healthcheck[]).at(-1)
    if (!effective) findings.push(finding(ID, stage.from, 'the plan has a health check but the final stage has no HEALTHCHECK'))
    else if (isNone(effective)) findings.push(finding(ID, effective, 'HEALTHCHECK NONE disables the health check the plan asks for'))
    return findings
  },
}
