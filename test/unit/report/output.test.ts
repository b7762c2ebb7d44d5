import {describe, expect, it} from 'vitest'
import {detect} from '../../../src/detect/engine.js'
import {loadRules} from '../../../src/detect/load.js'
import {formatFigure, isFigure} from '../../../src/report/format.js'
import {hostReport} from '../../../src/report/host.js'
import {buildReport} from '../../../src/report/portfolio.js'
import {renderHtml, renderMarkdown} from '../../../src/report/render.js'
import {reportSettings} from '../../../src/report/settings.js'
import validateReport from '../../../src/types/generated/report.js'
import type {Report} from '../../../src/types/report.js'
import {validatorErrors, type CompiledValidator} from '../../../src/types/validate.js'
import {fixture} from '../render/fixture-artifacts.js'
import {at, shownFigures} from './figures.js'
import {EASY_CONFIG, hostInputs, vmAtTenPercent} from './hosts.js'

const NOW = new Date('2026-02-01T00:00:00Z')
const HOSTILE = '<script>alert(1)</script>'
const settings = reportSettings(EASY_CONFIG)

function hostileReport(): Report {
  const spec = vmAtTenPercent()
  spec.processes.push({pid: 666, comm: HOSTILE, rssMiB: 1, argv: ['<img src=x onerror=alert(2)>', '[click](javascript:alert(3))', 'a|b']})
  spec.unclaimed = [666]
  spec.apps[0]!.pids.push(666)
  const inputs = hostInputs(spec)
  inputs.facts.host.hostname = HOSTILE
  inputs.inventory.blockers.push({code: 'licence', severity: 'warning', message: `licence file ${HOSTILE} a|b`, evidence: 'x'})
  return buildReport([hostReport(inputs, settings, NOW)], settings, 'host', NOW)
}

async function fixtureReports(): Promise<Report> {
  const rules = await loadRules()
  const hosts = (['debian12-legacy', 'debian12-stacks'] as const).map((name) => {
    const {facts, plan, artifacts} = fixture(name)
    return hostReport({facts, plan, inventory: detect(facts, rules, NOW), ...(name === 'debian12-legacy' ? {artifacts} : {})}, reportSettings({}), NOW)
  })
  return buildReport(hosts, reportSettings({}), 'portfolio', NOW)
}

describe('report.json', () => {
  it('validates against its strict schema, for hand-built hosts and the real fixture hosts', async () => {
    const validate = validateReport as CompiledValidator
    expect(validatorErrors(validate, hostileReport())).toEqual([])
    const real = await fixtureReports()
    expect(validatorErrors(validate, real)).toEqual([])
    expect(validatorErrors(validate, {...real, extra: 1})).toEqual(['(top): unknown key "extra"'])
    expect(real.hosts[0]!.attackSurface).toBeDefined()
    expect(real.hosts[1]!.inputs.artifacts).toBe(false)
  })

  it('every figure carries its basis, inputs and confidence', async () => {
    const figures: unknown[] = []
    const walk = (v: unknown): void => {
      if (isFigure(v)) figures.push(v)
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    walk(await fixtureReports())
    expect(figures.length).toBeGreaterThan(200)
    for (const f of figures as {basis: string; inputs: object; confidence: string}[]) {
      expect(f.basis.length).toBeGreaterThan(0)
      expect(f.inputs).toBeTypeOf('object')
    }
  })
})

describe('report.html', () => {
  it('escapes every text a host said: a hostname, a process, a blocker message', () => {
    const html = renderHtml(hostileReport())
    expect(html).not.toMatch(/<script|<img|onerror=alert\(2\)>/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;')
  })

  it('is self-contained: no script, no link, no external reference of any kind; prints', async () => {
    const html = renderHtml(await fixtureReports())
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|\bsrc=|\bhref=|url\(|@import|https?:/i)
    expect(html).toContain('@media print')
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'')
    expect((html.match(/<svg /g) ?? []).length).toBe(4)
  })

  it('shows each figure exactly as report.json holds it, at its JSON path', async () => {
    const report = await fixtureReports()
    const shown = shownFigures(renderHtml(report))
    expect(shown.length).toBeGreaterThan(100)
    for (const {path, text} of shown) {
      const figure = at(report, path)
      expect(isFigure(figure), path).toBe(true)
      expect(text, path).toBe(formatFigure(figure as Parameters<typeof formatFigure>[0]))
    }
    expect(shown.map((s) => s.path)).toContain('totals.cost.saving.monthly')
  })
})

describe('report.md', () => {
  it('reads as a statement of work, host text escaped (no HTML, no link)', () => {
    const md = renderMarkdown(hostileReport())
    for (const heading of ['# Statement of work', '## Summary', '## Waves', '## Scope and effort', '## Deliverables', '## Next steps', '## Assumptions']) expect(md).toContain(heading)
    expect(md).not.toMatch(/<script|<img|\]\(javascript/)
    expect(md).toContain('&lt;script&gt;')
    expect(md).toContain('a\\|b')
  })
})
