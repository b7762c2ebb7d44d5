/**
 * The savings model on hosts whose every figure is computed by hand in the comments. Prices: 0.04 a
 * vCPU-hour, 0.005 a GiB-hour, no machine-hour; target nodes 8 vCPU / 32 GiB with no reserve (the
 * reserve has its own test); 730 hours a month.
 */
import {describe, expect, it} from 'vitest'
import type {HoistConfig} from '../../../src/config.js'
import {hostReport} from '../../../src/report/host.js'
import {reportSettings} from '../../../src/report/settings.js'
import type {HostReport} from '../../../src/types/report.js'
import {EASY_CONFIG, hostInputs, vmAtTenPercent, type HostSpec} from './hosts.js'

const NOW = new Date('2026-02-01T00:00:00Z')

function report(spec: HostSpec, config: HoistConfig = EASY_CONFIG): HostReport {
  return hostReport(hostInputs(spec), reportSettings(config), NOW)
}

const credit = (h: HostReport, key: 'cpu' | 'memory', id: string) => h.credits[key].find((c) => c.id === id)!.figure.value

describe('a VM at 10% p95 on 8 vCPU / 32 GiB', () => {
  const h = report(vmAtTenPercent())
  const app = h.applications[0]!

  it('before: 8 vCPU and 32 GiB allocated; 10% of 8 = 0.8 vCPU and 4 GiB used at p95', () => {
    expect(h.platform).toBe('vm')
    expect(h.before.cpu.allocated.value).toBe(8)
    expect(h.before.cpu.used.value).toBe(0.8)
    expect(h.before.memory.allocated.value).toBe(32)
    expect(h.before.memory.used.value).toBe(4)
    // 21 samples 30 s apart: 10 minutes, the threshold of medium confidence.
    expect(h.coverage).toMatchObject({samples: 21, sampleSeconds: 600, confidence: 'medium'})
    expect(h.before.cpu.used.confidence).toBe('medium')
  })

  it('after: the application used 0.6 vCPU and 2 GiB at p95; × 1.3 = 0.78 vCPU and 2.6 GiB', () => {
    expect(app.used.cpu.value).toBe(0.6)
    expect(app.used.memory.value).toBe(2)
    expect(app.request.cpu.value).toBe(0.78)
    expect(app.request.memory.value).toBe(2.6)
    expect(app.asIs.cpu.value).toBe(8)
    expect(app.asIs.memory.value).toBe(32)
    // The same policy as plan/resources.ts: its basis is the plan's own.
    expect(app.request.cpu.basis).toMatch(/p95 of 21 samples × 1.3 headroom/)
    // The node share is the larger of 0.78 / 8 = 0.0975 and 2.6 / 32 = 0.08125.
    expect(h.after.nodes.value).toBe(0.0975)
  })

  it('credits: 7.2 vCPU idle, 28 GiB page cache and free, sshd 64 MiB, the kernel the rest; headroom added back', () => {
    expect(credit(h, 'cpu', 'idle')).toBe(7.2)
    expect(credit(h, 'memory', 'page-cache')).toBe(28)
    expect(credit(h, 'memory', 'agents')).toBe(0.063)
    // 4 GiB used − (0.063 sshd + 0 others + 2 application) = 1.937; CPU: 0.8 − 0.6 = 0.2.
    expect(credit(h, 'memory', 'kernel')).toBe(1.937)
    expect(credit(h, 'cpu', 'kernel')).toBe(0.2)
    expect(credit(h, 'cpu', 'headroom')).toBe(-0.18)
    expect(credit(h, 'memory', 'headroom')).toBe(-0.6)
    for (const c of [...h.credits.cpu, ...h.credits.memory]) expect(c.figure.basis).not.toBe('')
  })

  it('cost: 0.48 an hour before (350.40 a month); 0.78 × 0.04 + 2.6 × 0.005 = 0.0442 after (32.27); saves 318.13, 90.79%', () => {
    expect(h.cost.before.monthly).toMatchObject({value: 350.4, unit: 'EUR/month'})
    expect(h.cost.before.yearly.value).toBe(4204.8)
    expect(h.cost.after.monthly.value).toBe(32.27)
    expect(h.cost.saving.monthly.value).toBe(318.13)
    expect(h.cost.saving.yearly.value).toBe(3817.56)
    expect(h.cost.savingPercent.value).toBe(90.79)
    expect(app.saving.monthly.value).toBe(318.13)
    expect(h.cost.after.monthly.inputs).toMatchObject({vcpu: 0.78, memoryGiB: 2.6, vcpuHour: 0.04, gibHour: 0.005})
  })

  it('the industry figure (25% leaving a VM: 87.60) stands beside the measured one, labelled', () => {
    expect(h.cost.industry.percent).toBe(25)
    expect(h.cost.industry.saving.monthly.value).toBe(87.6)
    expect(h.cost.industry.label).toMatch(/rule of thumb, not measured/)
    expect(h.cost.saving.monthly.value).not.toBe(h.cost.industry.saving.monthly.value)
  })

  it('effort: a runtime application 1.5 days + the host 1 day = 2.5 days, within a five-day scope', () => {
    expect(app.effort.days.value).toBe(1.5)
    expect(h.effort.days.value).toBe(2.5)
    expect(h.effort.fitsScope).toBe(true)
  })
})

describe('changing an assumption changes the figures as expected', () => {
  const after = (config: HoistConfig) => {
    const h = report(vmAtTenPercent(), {...EASY_CONFIG, ...config})
    return {cpu: h.applications[0]!.request.cpu.value, memory: h.applications[0]!.request.memory.value, monthly: h.cost.after.monthly.value, used: h.before.cpu.used.value}
  }

  it('percentile 100 (peak): 40% of 8 = 3.2 vCPU used; the application peaked at 2 vCPU → 2.6 requested', () => {
    expect(after({percentile: 100})).toEqual({cpu: 2.6, memory: 2.6, used: 3.2, monthly: 85.41})
  })

  it('headroom 2: 0.6 × 2 = 1.2 vCPU, 2 × 2 = 4 GiB; 0.068 an hour', () => {
    expect(after({headroom: 2})).toEqual({cpu: 1.2, memory: 4, used: 0.8, monthly: 49.64})
  })

  it('prices doubled: every cost doubles', () => {
    const h = report(vmAtTenPercent(), {...EASY_CONFIG, prices: {currency: 'EUR', vcpuHour: 0.08, gibHour: 0.01, nodeHour: 0}})
    expect([h.cost.before.monthly.value, h.cost.after.monthly.value, h.cost.saving.monthly.value]).toEqual([700.8, 64.53, 636.27])
  })

  it('a machine-hour price is paid once per host before, and by node share after', () => {
    const h = report(vmAtTenPercent(), {...EASY_CONFIG, prices: {currency: 'EUR', vcpuHour: 0.04, gibHour: 0.005, nodeHour: 0.1}})
    // Before: (0.48 + 0.1) × 730 = 423.40. After: (0.0442 + 0.0975 × 0.1) × 730 = 39.38.
    expect([h.cost.before.monthly.value, h.cost.after.monthly.value]).toEqual([423.4, 39.38])
  })

  it('the substrate reserve (1 vCPU, 4 GiB of each 8 / 32 node) is paid for: × 8/7 and × 32/28', () => {
    const h = report(vmAtTenPercent(), {...EASY_CONFIG, node: {vcpu: 8, memoryGiB: 32, reservedVcpu: 1, reservedMemoryGiB: 4}})
    // 0.78 × 0.04 × 8/7 + 2.6 × 0.005 × 32/28 = 0.0505143 an hour → 36.88 a month.
    expect(h.cost.after.monthly.value).toBe(36.88)
  })

  it('mode aggressive is p90 × 1.1; same-as-source keeps the allocation (no saving); hoist.yaml overrides a preset', () => {
    expect(after({mode: 'aggressive'})).toEqual({cpu: 0.55, memory: 2.2, used: 0.4, monthly: 24.09})
    const same = report(vmAtTenPercent(), {...EASY_CONFIG, mode: 'same-as-source'})
    expect([same.after.cpu.value, same.after.memory.value, same.cost.saving.monthly.value]).toEqual([8, 32, 0])
    expect(after({mode: 'aggressive', headroom: 1.3}).cpu).toBe(0.65)
    const sources = reportSettings({mode: 'aggressive', headroom: 1.3}).assumptions
    expect(sources.find((a) => a.key === 'headroom')).toMatchObject({value: 1.3, source: 'config'})
    expect(sources.find((a) => a.key === 'percentile')).toMatchObject({value: 90, source: 'mode'})
    expect(sources.find((a) => a.key === 'prices.vcpuHour')).toMatchObject({source: 'default'})
  })
})

describe('a bare-metal host: 16 cores, 64 GiB, a database with 250 GiB of data', () => {
  const h = report({
    name: 'metal01', virtualization: 'none', cpus: 16, memoryGiB: 64,
    samples: [{memGiB: 10, procs: [{pid: 200, rssMiB: 8192}]}, {cpu: 25, memGiB: 10, procs: [{pid: 200, cpu: 200, rssMiB: 8192}]}],
    processes: [{pid: 200, comm: 'postgres', rssMiB: 8192}],
    apps: [{name: 'db', kind: 'database', pids: [200], dataGiB: 250}],
  })

  it('is bare metal, measured with low confidence (two samples, 30 s)', () => {
    expect(h.platform).toBe('bare-metal')
    expect(h.coverage.confidence).toBe('low')
    expect(h.risks).toContainEqual(expect.objectContaining({code: 'low-confidence', level: 'medium'}))
  })

  it('25% of 16 = 4 vCPU used; 2 vCPU × 1.3 = 2.6 requested, 8 GiB × 1.3 = 10.4 GiB', () => {
    expect(h.before.cpu.used.value).toBe(4)
    expect(h.after.cpu.value).toBe(2.6)
    expect(h.after.memory.value).toBe(10.4)
  })

  it('0.96 an hour before (700.80), 2.6 × 0.04 + 10.4 × 0.005 = 0.156 after (113.88): saves 586.92, 83.75%; 50% beside it (350.40)', () => {
    expect(h.cost.before.monthly.value).toBe(700.8)
    expect(h.cost.after.monthly.value).toBe(113.88)
    expect(h.cost.saving.monthly.value).toBe(586.92)
    expect(h.cost.savingPercent.value).toBe(83.75)
    expect(h.cost.industry).toMatchObject({percent: 50})
    expect(h.cost.industry.saving.monthly.value).toBe(350.4)
  })

  it('effort: database 2 + data 3 × 0.5 (250 GiB, per started 100) + host 1 = 4.5 days', () => {
    expect(h.applications[0]!.effort.lines.map((l) => [l.factor, l.days])).toEqual([['kind:database', 2], ['data', 1.5]])
    expect(h.effort.days.value).toBe(4.5)
  })
})

describe('a host with no samples', () => {
  const h = report({
    name: 'quiet01', virtualization: 'kvm', cpus: 4, memoryGiB: 8, samples: [],
    processes: [{pid: 300, comm: 'nginx', rssMiB: 512}, {pid: 301, comm: 'redis-server', rssMiB: 256}],
    apps: [{name: 'web', kind: 'webserver', pids: [300]}, {name: 'cache', kind: 'cache', pids: [301]}],
  })

  it('says what it did not measure: host use, idle CPU, page cache and the kernel are null, not zero', () => {
    expect(h.coverage.confidence).toBe('none')
    expect(h.before.cpu.used.value).toBeNull()
    expect(h.before.memory.used.value).toBeNull()
    expect(credit(h, 'cpu', 'idle')).toBeNull()
    expect(credit(h, 'memory', 'page-cache')).toBeNull()
    expect(credit(h, 'memory', 'kernel')).toBeNull()
    expect(h.risks).toContainEqual(expect.objectContaining({code: 'low-confidence', level: 'high'}))
  })

  it('claims no CPU saving: each service keeps its equal share (2 vCPU); memory is RSS × 1.3', () => {
    expect(h.applications.map((a) => [a.request.cpu.value, a.request.cpu.confidence])).toEqual([[2, 'none'], [2, 'none']])
    expect(h.applications.map((a) => a.request.memory.value)).toEqual([0.65, 0.325])
    // As-is memory follows the measured RSS: 8 × 512/768 and 8 × 256/768.
    expect(h.applications.map((a) => a.asIs.memory.value)).toEqual([5.333, 2.667])
  })

  it('so the saving is memory only: 0.2 an hour before (146.00), 4 × 0.04 + 0.975 × 0.005 after (120.36)', () => {
    expect(h.cost.before.monthly.value).toBe(146)
    expect(h.cost.after.monthly.value).toBe(120.36)
    expect(h.cost.saving.monthly.value).toBe(25.64)
  })
})

describe('scope', () => {
  it('a service excluded in plan.yaml stays on the host at its as-is share, and costs no effort', () => {
    const spec = vmAtTenPercent()
    spec.processes.push({pid: 101, comm: 'legacy', rssMiB: 2048})
    spec.apps.push({name: 'legacy', kind: 'generic', pids: [101], include: false})
    const h = report(spec)
    expect(h.scope.out).toContainEqual({name: 'legacy', why: 'excluded in plan.yaml (include: false)'})
    expect(h.applications[1]).toMatchObject({inScope: false})
    expect(h.applications[1]!.saving.monthly.value).toBe(0)
    expect(h.effort.lines.map((l) => l.factor)).toEqual(['host', 'application:app'])
  })

  it('without artifacts.json the report is from the plan only, and says so', () => {
    const h = hostReport(hostInputs(vmAtTenPercent(), false), reportSettings(EASY_CONFIG), NOW)
    expect(h.inputs.artifacts).toBe(false)
    expect(h.risks).toContainEqual(expect.objectContaining({code: 'not-generated'}))
    expect(h.effort.days.basis).toMatch(/estimate from the plan only/)
    expect(h.attackSurface).toBeUndefined()
  })

  it('an end-of-life OS is a high risk', () => {
    const h = report({...vmAtTenPercent(), eol: '2024-06-30'})
    expect(h.risks[0]).toMatchObject({level: 'high', code: 'eol-os'})
  })
})
