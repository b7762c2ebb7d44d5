/**
 * report.html and report.md from templates/report/. The HTML template is compiled with Handlebars'
 * escaping on (everything a host said is text, never markup) and strict (a missing field is an
 * error); only the SVG charts, built and escaped in charts.ts, and the stylesheet go in raw. The
 * Markdown template cannot rely on that escaping, so every string of its view is escaped first.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {basename, join} from 'node:path'
import Handlebars from 'handlebars'
import {packagePath} from '../paths.js'
import type {Report} from '../types/report.js'
import {reportCharts, reportView} from './view.js'

const DIR = packagePath('templates', 'report')

type Template = HandlebarsTemplateDelegate<Record<string, unknown>>
interface Loaded {
  html: Template
  md: Template
  css: Handlebars.SafeString
}
let compiled: Loaded | undefined

function environment(): typeof Handlebars {
  const hb = Handlebars.create()
  for (const file of readdirSync(join(DIR, 'partials'))) hb.registerPartial(basename(file, '.hbs'), readFileSync(join(DIR, 'partials', file), 'utf8'))
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  hb.registerHelper('join', (items: unknown[], separator: unknown) => items.join(typeof separator === 'string' ? separator : ', '))
  hb.registerHelper('inc', (n: number) => n + 1)
  return hb
}

/** The templates compiled and the stylesheet read, once per process. */
function templates(): Loaded {
  if (compiled) return compiled
  const hb = environment()
  compiled = {
    html: hb.compile(readFileSync(join(DIR, 'report.html.hbs'), 'utf8'), {strict: true}),
    md: hb.compile(readFileSync(join(DIR, 'report.md.hbs'), 'utf8'), {noEscape: true, strict: true}),
    css: new Handlebars.SafeString(readFileSync(join(DIR, 'style.css'), 'utf8')),
  }
  return compiled
}

export function renderHtml(report: Report): string {
  const {html, css} = templates()
  return html({...reportView(report), css, svg: raw(reportCharts(report))})
}

export function renderMarkdown(report: Report): string {
  return templates().md(escapeAll(reportView(report)) as Record<string, unknown>)
}

/**
 * Markdown passes HTML through and turns [text](url) into links: a host's text must do neither.
 * Pipes would break tables and newlines the layout. Backticks are left: our own commands use them.
 */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\&<>|[\]]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`)).replace(/\s*[\r\n]+\s*/g, ' ')
}

function escapeAll(value: unknown): unknown {
  if (typeof value === 'string') return escapeMarkdown(value)
  if (Array.isArray(value)) return value.map(escapeAll)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeAll(v)]))
}

function raw(charts: Record<string, string>): Record<string, Handlebars.SafeString> {
  return Object.fromEntries(Object.entries(charts).map(([k, v]) => [k, new Handlebars.SafeString(v)]))
}
