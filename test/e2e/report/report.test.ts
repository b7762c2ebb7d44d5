/**
 * The report end to end, no SSH: two real captured hosts ingested with `scan --from`, planned, one
 * generated from a folder of its files (the other stays plan only), then `hoist report`. Each
 * report.html is opened in Debian's headless Chromium: no request beyond the file itself, no console
 * error, every figure the page shows equal to report.json's. Screenshots and PDFs are kept under
 * test/artifacts/report/ (git-ignored).
 */
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'
import {formatFigure, isFigure} from '../../../src/report/format.js'
import type {Report} from '../../../src/types/report.js'
import {at, shownFigures} from '../../unit/report/figures.js'
import {hoist} from '../cli.js'
import {CHROMIUM, loadPage} from './chromium.js'

const ARTIFACTS = 'test/artifacts/report'
const HOSTS = ['debian12-legacy', 'debian12-stacks']
let out: string

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM}: apt-get install -y chromium (or set HOIST_CHROMIUM)`)
  out = join(mkdtempSync(join(tmpdir(), 'hoist-report-')), 'out')
  for (const h of HOSTS) {
    const scan = await hoist(['scan', '--from', `test/fixtures/hosts/${h}/probe-output.txt`, '--name', h, '--out', out, '--quiet'])
    expect(scan.code, scan.stderr).toBe(0)
  }
  for (const args of [['plan'], ['generate', '--host', 'debian12-legacy', '--files', 'examples/debian12-web/files']]) {
    const r = await hoist([...args, '--out', out, '--quiet'])
    expect(r.code, r.stderr).toBe(0)
  }
  const report = await hoist(['report', '--out', out])
  expect(report.code, report.stderr).toBe(0)
  expect(report.stdout).toMatch(/debian12-stacks: .*plan only: not generated yet/)
  mkdirSync(ARTIFACTS, {recursive: true})
}, 300_000)

const pages = () => [
  {name: 'portfolio', dir: out},
  ...HOSTS.map((h) => ({name: h, dir: join(out, 'hosts', h)})),
]

describe('hoist report on a scanned, planned and generated workspace', () => {
  it('writes report.html, report.md and report.json per host and for the portfolio', () => {
    for (const {dir} of pages()) for (const f of ['report.html', 'report.md', 'report.json']) expect(existsSync(join(dir, f)), join(dir, f)).toBe(true)
    const portfolio = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report
    expect(portfolio.scope).toBe('portfolio')
    expect(portfolio.hosts.map((h) => [h.host, h.inputs.artifacts])).toEqual([['debian12-legacy', true], ['debian12-stacks', false]])
    expect(portfolio.ranking.hosts).toHaveLength(2)
  })

  it('--json prints the portfolio report', async () => {
    const r = await hoist(['report', '--out', out, '--host', 'debian12-legacy', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect((JSON.parse(r.stdout) as Report).hosts).toHaveLength(2)
  })

  it.each(['portfolio', ...HOSTS])('%s: Chromium makes no request but the file, logs no error, shows report.json\'s figures', async (name) => {
    const {dir} = pages().find((p) => p.name === name)!
    const url = pathToFileURL(join(dir, 'report.html')).href
    const run = await loadPage(url)
    writeFileSync(join(ARTIFACTS, `${name}.png`), run.screenshot)
    writeFileSync(join(ARTIFACTS, `${name}.pdf`), run.pdf)
    expect(run.requests).toEqual([url])
    expect(run.errors).toEqual([])
    expect(run.pdf.subarray(0, 5).toString()).toBe('%PDF-')

    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as Report
    const shown = shownFigures(run.html)
    expect(shown.length).toBeGreaterThan(30)
    for (const {path, text} of shown) {
      const figure = at(report, path)
      expect(isFigure(figure), path).toBe(true)
      expect(text, path).toBe(formatFigure(figure as Parameters<typeof formatFigure>[0]))
    }
    expect(shown.find((s) => s.path === 'totals.cost.saving.monthly')?.text).toBe(formatFigure(report.totals.cost.saving.monthly))
  }, 60_000)

  it('the harness does see a request and an error when a page makes one (control)', async () => {
    const page = join(out, 'control.html')
    writeFileSync(page, '<!doctype html><title>x</title><img src="http://hoist.invalid/x.png"><script>console.error("boom")</script>')
    const run = await loadPage(pathToFileURL(page).href)
    expect(run.requests).toContain('http://hoist.invalid/x.png')
    expect(run.errors.join('\n')).toMatch(/boom/)
  }, 60_000)
})
