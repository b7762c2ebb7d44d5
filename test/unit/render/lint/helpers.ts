import {DockerfileParser} from 'dockerfile-ast'
import type {LintContext, LintRule} from '../../../../src/render/dockerfile/lint/types.js'

/** A service that listened on 80/tcp as www-data and has a health check. */
export const CONTEXT: LintContext = {
  expectedPorts: [{port: 80, protocol: 'tcp'}],
  originalUser: 'www-data',
  healthcheckExpected: true,
  hasDockerignore: true,
}

export function dockerfile(...lines: string[]): string {
  return `${lines.join('\n')}\n`
}

/** The rule's findings as `rule@line`, the shape each test asserts on. */
export function check(rule: LintRule, text: string, context: Partial<LintContext> = {}): string[] {
  return rule.check(DockerfileParser.parse(text), {...CONTEXT, ...context}).map((f) => `${f.rule}@${f.line}`)
}

export function messages(rule: LintRule, text: string, context: Partial<LintContext> = {}): string[] {
  return rule.check(DockerfileParser.parse(text), {...CONTEXT, ...context}).map((f) => f.message)
}
