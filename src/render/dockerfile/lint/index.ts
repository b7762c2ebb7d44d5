import {DockerfileParser} from 'dockerfile-ast'
import {validate, ValidationCode, ValidationSeverity, type ValidatorSettings} from 'dockerfile-utils'
import {aptNoninteractive} from './apt-noninteractive.js'
import {dockerignore} from './dockerignore.js'
import {execForm} from './exec-form.js'
import {exposeObserved} from './expose-observed.js'
import {healthcheck} from './healthcheck.js'
import {nonRootUser} from './non-root-user.js'
import {pinnedBaseImage} from './pinned-base-image.js'
import {singleCmd} from './single-cmd.js'
import {swallowedInstruction} from './swallowed-instruction.js'
import type {LintContext, LintFinding, LintRule} from './types.js'

export type {LintContext, LintFinding, LintRule} from './types.js'

export const LINT_RULES: LintRule[] = [
  pinnedBaseImage,
  aptNoninteractive,
  exposeObserved,
  nonRootUser,
  execForm,
  healthcheck,
  dockerignore,
  singleCmd,
  swallowedInstruction,
]

/**
 * Every check dockerfile-utils has, spelled out: a settings object replaces the library's
 * defaults wholesale, so a key left out is a check silently turned off. Required<> makes the
 * compiler list any key a new release adds.
 */
export const DOCKERFILE_UTILS_SETTINGS: Required<ValidatorSettings> = {
  deprecatedMaintainer: ValidationSeverity.ERROR,
  directiveCasing: ValidationSeverity.ERROR,
  emptyContinuationLine: ValidationSeverity.ERROR,
  instructionCasing: ValidationSeverity.ERROR,
  instructionCmdMultiple: ValidationSeverity.ERROR,
  instructionEntrypointMultiple: ValidationSeverity.ERROR,
  instructionHealthcheckMultiple: ValidationSeverity.ERROR,
  instructionJSONInSingleQuotes: ValidationSeverity.ERROR,
  instructionWorkdirRelative: ValidationSeverity.ERROR,
}

// The library's LSP Diagnostic type, without depending on vscode-languageserver-types directly.
type Diagnostic = ReturnType<typeof validate>[number]

const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value)

/** `dockerfile-utils/<ValidationCode name>`, or a key made from the message when there is no code. */
function utilsRule(diagnostic: Diagnostic): string {
  const name = typeof diagnostic.code === 'number' ? ValidationCode[diagnostic.code] : undefined
  const key = name ?? messageOf(diagnostic).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
  return `dockerfile-utils/${key}`
}

/** What Docker itself would reject or warn about; a generated file should have none of either. */
export function validateDockerfile(text: string): LintFinding[] {
  return validate(text, DOCKERFILE_UTILS_SETTINGS).map((d) => ({
    rule: utilsRule(d),
    line: d.range.start.line + 1,
    message: messageOf(d),
  }))
}

export function lintDockerfile(text: string, context: LintContext): LintFinding[] {
  const dockerfile = DockerfileParser.parse(text)
  const findings = [...validateDockerfile(text), ...LINT_RULES.flatMap((rule) => rule.check(dockerfile, context))]
  return findings.sort((a, b) => a.line - b.line)
}
