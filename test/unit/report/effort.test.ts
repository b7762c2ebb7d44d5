import {describe, expect, it} from 'vitest'
import {applicationEffort} from '../../../src/report/effort.js'
import {hostReport} from '../../../src/report/host.js'
import {buildReport} from '../../../src/report/portfolio.js'
import {DEFAULT_EFFORT, reportSettings} from '../../../src/report/settings.js'
import type {Workload} from '../../../src/types/inventory.js'
import {EASY_CONFIG, hostInputs, vmAtTenPercent} from './hosts.js'

const NOW = new Date('2026-02-01T00:00:00Z')

function database(): Parameters<typeof applicationEffort>[0] {
  const {plan, inventory} = hostInputs({
    ...vmAtTenPercent(),
    apps: [{
      name: 'db', kind: 'database', pids: [100], dataGiB: 150, dependencies: 3, confidence: 0.6,
      blockers: [
        {code: 'host-ip', severity: 'warning', message: 'the host address is in the config', evidence: 'x'},
        {code: 'device', severity: 'blocking', message: 'names /dev/sdb', evidence: 'x'},
        {code: 'large-data', severity: 'warning', message: '150 GiB of data', evidence: 'x'},
      ],
    }],
  })
  return {service: plan.services[0]!, workload: inventory.workloads[0] as Workload, openQuestions: 2, generated: false}
}

describe('effort per application', () => {
  it('adds a line per factor, each saying why', () => {
    const {days, lines} = applicationEffort(database(), DEFAULT_EFFORT)
    expect(lines.map((l) => [l.factor, l.days])).toEqual([
      ['kind:database', 2],
      ['blocker:host-ip', 0.5],
      ['blocker:device', 2],
      // 150 GiB: two started 100 GiB × 0.5. Large data is costed here, not again as a blocker.
      ['data', 1],
      ['dependencies', 0.75],
      ['open-questions', 0.5],
      ['not-generated', 1],
      ['low-confidence', 0.5],
    ])
    expect(days.value).toBe(8.25)
    expect(lines.every((l) => l.why.length > 0)).toBe(true)
  })

  it('takes its factors from hoist.yaml, and lists them as assumptions from there', () => {
    const settings = reportSettings({effort: {kinds: {database: 5}, perDependency: 1}})
    expect(applicationEffort(database(), settings.effort).days.value).toBe(8.25 - 2 + 5 - 0.75 + 3)
    expect(settings.assumptions.find((a) => a.key === 'effort.kinds.database')).toMatchObject({value: 5, source: 'config'})
    expect(settings.assumptions.find((a) => a.key === 'effort.perBlocking')).toMatchObject({value: 2, source: 'default'})
  })

  it('an unknown kind costs what a generic application does', () => {
    const input = database()
    expect(applicationEffort({...input, service: {...input.service, kind: 'mainframe'}, workload: undefined, openQuestions: 0, generated: true}, DEFAULT_EFFORT).days.value).toBe(2 + 1)
  })
})

describe('waves and ranking', () => {
  const settings = reportSettings(EASY_CONFIG)
  // vm01: app 1.5 days (+1 host); vm02: a second, bigger application (database 2 days) too.
  const one = hostReport(hostInputs({...vmAtTenPercent(), name: 'vm01'}), settings, NOW)
  const spec = {...vmAtTenPercent(), name: 'vm02'}
  spec.processes.push({pid: 101, comm: 'postgres', rssMiB: 1024})
  spec.apps.push({name: 'db', kind: 'database', pids: [101], dataGiB: 900})
  const two = hostReport(hostInputs(spec), settings, NOW)
  const r = buildReport([one, two], settings, 'portfolio', NOW)

  it('ranks applications by monthly saving per day of effort', () => {
    const perDay = r.ranking.applications.map((a) => a.perDay)
    expect([...perDay].sort((a, b) => b - a)).toEqual(perDay)
    expect(r.ranking.applications[0]).toMatchObject({host: 'vm01', application: 'app'})
  })

  it('fills each wave up to five days, a host\'s own day counted once; an application over a scope is its own wave', () => {
    // db: database 2 + 9 × 0.5 data = 6.5 days: over one scope.
    expect(two.applications.find((a) => a.name === 'db')).toMatchObject({fitsScope: false})
    expect(r.waves.every((w) => w.days <= 5 || w.applications.length === 1)).toBe(true)
    expect(r.waves.reduce((n, w) => n + w.days, 0)).toBe(r.totals.days.value)
    expect(r.waves[0]!.applications).toEqual(['vm01/app', 'vm02/app'])
    expect(r.waves[0]!.days).toBe(1.5 + 1 + 1.5 + 1)
    // vm02 can be retired after the wave that moves its last application.
    expect(r.ranking.hosts.find((h) => h.host === 'vm02')!.wave).toBe(2)
  })
})
