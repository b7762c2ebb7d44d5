import {describe, expect, it} from 'vitest'
import {hostReport} from '../../../src/report/host.js'
import {nodeCount, pack, type PackItem} from '../../../src/report/packing.js'
import {buildReport} from '../../../src/report/portfolio.js'
import {reportSettings} from '../../../src/report/settings.js'
import {EASY_CONFIG, hostInputs, vmAtTenPercent} from './hosts.js'

const NODE = {vcpu: 4, memoryGiB: 16, reservedVcpu: 0, reservedMemoryGiB: 0}
const item = (service: string, cpu: number, memoryGiB: number): PackItem => ({host: 'h', service, cpu, memoryGiB})

describe('first-fit decreasing over CPU and memory', () => {
  it('takes the largest dominant share first and fills the first node with room for both', () => {
    // Dominant shares: a 0.75; b, c, e 0.5 (by name); d 0.25.
    const nodes = pack([item('a', 3, 2), item('b', 2, 8), item('c', 1, 8), item('d', 0.5, 4), item('e', 2, 1)], NODE)
    expect(nodes.map((n) => n.items.map((i) => i.service))).toEqual([['a', 'c'], ['b', 'e'], ['d']])
    expect(nodes.map((n) => [n.cpu, n.memoryGiB])).toEqual([[4, 10], [4, 9], [0.5, 4]])
    // 8.5 vCPU on 4 vCPU nodes cannot take fewer than 3.
    expect(nodeCount(nodes)).toBe(3)
  })

  it('memory can be the binding dimension', () => {
    const nodes = pack([item('a', 0.1, 10), item('b', 0.1, 10), item('c', 0.1, 5)], NODE)
    expect(nodes.map((n) => n.items.map((i) => i.service))).toEqual([['a', 'c'], ['b']])
  })

  it('takes the substrate reserve off each node, and an exact fit fits', () => {
    const reserved = {...NODE, reservedVcpu: 0.5, reservedMemoryGiB: 1}
    expect(nodeCount(pack([item('a', 3.5, 15)], reserved))).toBe(1)
    expect(pack([item('a', 3.5, 1), item('b', 0.1, 1)], reserved)).toHaveLength(2)
  })

  it('gives a service larger than a node as many nodes as it needs', () => {
    const nodes = pack([item('big', 10, 1), item('small', 1, 1)], NODE)
    expect(nodes.map((n) => [n.items[0]!.service, n.units])).toEqual([['big', 3], ['small', 1]])
    expect(nodeCount(nodes)).toBe(4)
  })
})

describe('the portfolio pays for whole nodes', () => {
  const settings = reportSettings(EASY_CONFIG)
  const now = new Date('2026-02-01T00:00:00Z')
  const hosts = ['vm01', 'vm02', 'vm03'].map((name) => hostReport(hostInputs({...vmAtTenPercent(), name}), settings, now))

  it('three hosts of 0.78 vCPU / 2.6 GiB fit one 8 / 32 node: 0.48 an hour = 350.40 a month', () => {
    const r = buildReport(hosts, settings, 'portfolio', now)
    expect(r.packing.count.value).toBe(1)
    expect(r.totals.cost.before.monthly.value).toBe(1051.2)
    expect(r.totals.cost.after.monthly.value).toBe(350.4)
    // Fill: the fuller of 2.34 / 8 vCPU (29.25%) and 7.8 / 32 GiB (24.38%).
    expect(r.packing.fill.value).toBe(29.25)
    expect(r.nextSteps.at(-1)).toMatch(/29.25% full: a smaller target node/)
  })

  it('a host report counts only its share of a node', () => {
    const r = buildReport([hosts[0]!], settings, 'host', now)
    expect(r.totals.cost.after.monthly.value).toBe(32.27)
  })
})

describe('the node size when hoist.yaml names none', () => {
  it('is the cheapest of the common sizes for what is packed, preferring fewer, larger nodes on a tie', async () => {
    const {cheapestNode} = await import('../../../src/report/portfolio.js')
    const {reportSettings} = await import('../../../src/report/settings.js')
    const settings = reportSettings({})
    expect(settings.nodeChosen).toBe(true)
    const small = [{host: 'h', service: 'a', cpu: 0.2, memoryGiB: 0.5}, {host: 'h', service: 'b', cpu: 0.1, memoryGiB: 0.4}]
    expect(cheapestNode(small, settings)).toMatchObject({vcpu: 1, memoryGiB: 2})
    // Memory-heavy: 2 vCPU / 8 GiB is cheaper than 4 / 16 half empty, and than 2 / 4 twice over.
    const heavy = [{host: 'h', service: 'db', cpu: 0.5, memoryGiB: 6}]
    expect(cheapestNode(heavy, settings)).toMatchObject({vcpu: 2, memoryGiB: 8})
    expect(reportSettings({node: {vcpu: 8, memoryGiB: 32}}).nodeChosen).toBe(false)
  })
})
