import {readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ValidationSeverity} from 'dockerfile-utils'
import {Validator} from 'dockerfile-utils/lib/dockerValidator.js'
import ts from 'typescript'
import {describe, expect, it} from 'vitest'
import {DOCKERFILE_UTILS_SETTINGS, LINT_RULES} from '../../../../src/render/dockerfile/lint/index.js'
import type {LintRule} from '../../../../src/render/dockerfile/lint/types.js'

const LINT_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../src/render/dockerfile/lint')

function ruleFiles(): string[] {
  return readdirSync(LINT_DIR)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'types.ts')
    .map((f) => f.slice(0, -'.ts'.length))
}

/** The members of ValidatorSettings as the installed dockerfile-utils declares them. */
function declaredSettingKeys(): string[] {
  const main = createRequire(import.meta.url).resolve('dockerfile-utils')
  const path = main.replace(/\.js$/, '.d.ts')
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest)
  const settings = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === 'ValidatorSettings')
  if (!settings || !ts.isInterfaceDeclaration(settings)) throw new Error(`no ValidatorSettings in ${path}`)
  return settings.members.map((m) => m.name?.getText(source) ?? '')
}

describe('lint rule registration', () => {
  it('registers every rule file, under the id hoist/<file stem>', async () => {
    const stems = ruleFiles()
    expect(stems.length).toBeGreaterThan(0)
    for (const stem of stems) {
      const exported = Object.values(await import(join(LINT_DIR, `${stem}.ts`))) as LintRule[]
      const rule = exported.find((e) => LINT_RULES.includes(e))
      expect(rule, `${stem}.ts exports no registered rule`).toBeDefined()
      expect(rule!.id).toBe(`hoist/${stem}`)
    }
    expect(LINT_RULES.map((r) => r.id).sort()).toEqual(stems.map((s) => `hoist/${s}`).sort())
  })

  it('gives every rule a unique id and a title', () => {
    const ids = LINT_RULES.map((r) => r.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const rule of LINT_RULES) expect(rule.title.length).toBeGreaterThan(10)
  })
})

describe('DOCKERFILE_UTILS_SETTINGS', () => {
  // A settings object replaces the library's defaults, so a key missing here is a check turned off.
  it('sets every key of ValidatorSettings that the installed dockerfile-utils declares', () => {
    const declared = declaredSettingKeys()
    expect(declared.length).toBeGreaterThanOrEqual(9)
    expect(Object.keys(DOCKERFILE_UTILS_SETTINGS).sort()).toEqual([...declared].sort())
  })

  it('covers every check the validator has a default for, and ignores none', () => {
    const defaults = (new Validator() as unknown as {settings: Record<string, unknown>}).settings
    expect(Object.keys(DOCKERFILE_UTILS_SETTINGS).sort()).toEqual(Object.keys(defaults).sort())
    for (const severity of Object.values(DOCKERFILE_UTILS_SETTINGS)) {
      expect([ValidationSeverity.ERROR, ValidationSeverity.WARNING]).toContain(severity)
    }
  })
})
