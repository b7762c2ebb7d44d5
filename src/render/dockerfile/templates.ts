import {readdirSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import Handlebars from 'handlebars'
import {HoistError} from '../../errors.js'
import {packagePath} from '../../paths.js'
import type {DockerfileView} from './view.js'

/** The sections of every Dockerfile, merged in this order by layout.hbs. */
export const SECTIONS = ['os', 'runtime', 'application', 'config', 'start'] as const
/** Hooks a per-kind template may fill with an inline partial; empty by default. */
export const HOOKS = ['runtime-extra'] as const

const DIR = packagePath('templates', 'dockerfile')

let compiled: Map<string, HandlebarsTemplateDelegate<DockerfileView>> | undefined

/** Template names: one file per kind under templates/dockerfile/, beside layout.hbs and parts/. */
export function templateNames(): string[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.hbs') && f !== 'layout.hbs').map((f) => basename(f, '.hbs')).sort()
}

function environment(): typeof Handlebars {
  const hb = Handlebars.create()
  hb.registerPartial('layout', readFileSync(join(DIR, 'layout.hbs'), 'utf8'))
  for (const section of SECTIONS) hb.registerPartial(section, readFileSync(join(DIR, 'parts', `${section}.hbs`), 'utf8'))
  for (const hook of HOOKS) hb.registerPartial(hook, '')
  hb.registerHelper('json', (value: unknown) => JSON.stringify(value))
  hb.registerHelper('join', (items: unknown[], separator: unknown) => items.join(typeof separator === 'string' ? separator : ' '))
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some((a) => (Array.isArray(a) ? a.length > 0 : Boolean(a))))
  hb.registerHelper('trace', function (this: DockerfileView, field: string, options: Handlebars.HelperOptions) {
    const view = options.data.root as DockerfileView
    const why = view.trace[field]
    if (!why) throw new HoistError('TEMPLATE_INVALID', `template asks for the trace of "${field}", which the view does not have`, 'Add it to render/dockerfile/view.ts or fix the template.')
    return `# plan: ${why}`
  })
  return hb
}

/** Compiled once per process: noEscape (a Dockerfile is not HTML) and strict (a missing field is an error). */
export function dockerfileTemplate(name: string): HandlebarsTemplateDelegate<DockerfileView> {
  if (!compiled) {
    const hb = environment()
    compiled = new Map(templateNames().map((n) => [n, hb.compile<DockerfileView>(readFileSync(join(DIR, `${n}.hbs`), 'utf8'), {noEscape: true, strict: true})]))
  }
  const template = compiled.get(name)
  if (!template) {
    throw new HoistError('TEMPLATE_INVALID', `no Dockerfile template "${name}" in ${DIR}`, `Use one of: ${[...compiled.keys()].join(', ')} (the plan's template field).`)
  }
  return template
}
