/**
 * The report of a set of hosts: totals, the consolidation of every in-scope service onto whole
 * target nodes, and the hosts and applications ranked by monthly saving per day of effort, the
 * applications grouped into waves that each fit one fixed scope (effort.scopeDays). A host report
 * is this for one host, except that its cost after is its share of shared nodes rather than whole
 * nodes of its own.
 */
import type {HostReport, NodeSize, PackedNode, Ranked, Report, Wave} from '../types/report.js'
import {addUp, difference, money, nodeHourly, stayingHourly} from './cost.js'
import {figure, percentOf, round, sum, weakest} from './figure.js'
import {allocatable, nodeCount, pack, type PackItem} from './packing.js'
import {NODE_CATALOGUE, type ReportSettings} from './settings.js'

/** Below this fill, a smaller node would cost less: said as a next step. */
const LOW_FILL_PERCENT = 50

export function buildReport(hosts: HostReport[], settings: ReportSettings, scope: Report['scope'], now: Date, configFile?: string): Report {
  const {prices} = settings
  const items = hosts.flatMap((h) => h.applications.filter((a) => a.inScope).map((a) => ({host: h.host, service: a.name, cpu: a.request.cpu.value ?? 0, memoryGiB: a.request.memory.value ?? 0})))
  const {node, nodes} = settings.nodeChosen && items.length > 0 ? cheapestPacking(items, settings) : {node: settings.node, nodes: pack(items, settings.node)}
  const confidence = weakest(...hosts.map((h) => h.coverage.confidence))
  const chosen = settings.nodeChosen ? `, the cheapest of ${NODE_CATALOGUE.length} common sizes for them (\`node:\` in hoist.yaml fixes one)` : ''
  const count = figure(nodeCount(nodes), 'nodes', `first-fit decreasing of ${items.length} in-scope service(s) onto ${node.vcpu} vCPU / ${node.memoryGiB} GiB nodes${chosen}`, {services: items.length, nodeVcpu: node.vcpu, nodeMemoryGiB: node.memoryGiB}, confidence)
  const room = allocatable(node)
  const cpu = items.reduce((n, i) => n + i.cpu, 0)
  const memory = items.reduce((n, i) => n + i.memoryGiB, 0)
  const fill = figure(count.value ? Math.max(cpu / (count.value * room.cpu), memory / (count.value * room.memoryGiB)) * 100 : 0, '%', 'the fuller of CPU and memory: requests ÷ (nodes × allocatable) × 100', {cpu, memoryGiB: memory, nodes: count.value, allocatableVcpu: room.cpu, allocatableMemoryGiB: room.memoryGiB}, confidence)

  const names = hosts.map((h) => h.host)
  const before = addUp(hosts.map((h) => ({name: h.host, money: h.cost.before})), prices, 'the sum of the hosts\' before costs', 'high')
  const staying = hosts.reduce((n, h) => n + stayingHourly(h.applications.filter((a) => !a.inScope), prices), 0)
  const after = scope === 'host' && hosts.length === 1
    ? hosts[0]!.cost.after
    : money((count.value ?? 0) * nodeHourly(node, prices) + staying, prices, 'whole packed nodes × node price + what stays on the hosts (services out of scope)', {nodes: count.value, nodeHourly: nodeHourly(node, prices), stayingHourly: round(staying, 6)}, confidence)
  const saving = difference(before, after, prices, 'before − after')
  const industry = addUp(hosts.map((h) => ({name: h.host, money: h.cost.industry.saving})), prices, 'the sum of the hosts\' rule-of-thumb savings (a host with no rule of thumb counts 0)', 'low')

  const applications = rank(hosts.flatMap((h) => h.applications.filter((a) => a.inScope).map((a) => ({host: h.host, application: a.name, savingMonthly: a.saving.monthly.value ?? 0, days: a.effort.days.value ?? 0}))))
  const waves = planWaves(applications, hosts, settings.effort.scopeDays)
  const lastWave = (host: string) => Math.max(0, ...applications.filter((a) => a.host === host).map((a) => a.wave))
  const rankedHosts = rank(hosts.map((h) => ({host: h.host, savingMonthly: h.cost.saving.monthly.value ?? 0, days: h.effort.days.value ?? 0}))).map((r) => ({...r, wave: lastWave(r.host)}))
  const steps = [...new Set(hosts.flatMap((h) => h.nextSteps))]
  if (scope === 'portfolio' && (fill.value ?? 0) < LOW_FILL_PERCENT && items.length > 0) {
    steps.push(`The packed nodes would be ${fill.value}% full: a smaller target node (\`node:\` in hoist.yaml) would cost less.`)
  }
  return {
    schemaVersion: 1,
    scope,
    generatedAt: now.toISOString(),
    mode: settings.mode,
    currency: prices.currency,
    ...(configFile ? {configFile} : {}),
    assumptions: settings.assumptions,
    hosts,
    totals: {
      cpu: {allocated: sum(hosts.map((h) => h.before.cpu.allocated), 'vCPU', 'the hosts\' CPUs', names), after: sum(hosts.map((h) => h.after.cpu), 'vCPU', 'the in-scope services\' requests, all hosts', names)},
      memory: {allocated: sum(hosts.map((h) => h.before.memory.allocated), 'GiB', 'the hosts\' memory', names), after: sum(hosts.map((h) => h.after.memory), 'GiB', 'the in-scope services\' requests, all hosts', names)},
      cost: {before, after, saving, savingPercent: percentOf(saving.monthly, before.monthly, 'saving ÷ before cost × 100', ['saving', 'before'])},
      industry,
      days: sum(hosts.map((h) => h.effort.days), 'days', 'the hosts\' effort', names),
    },
    packing: {node: {...node}, nodes, count, fill},
    ranking: {hosts: rankedHosts, applications},
    waves,
    nextSteps: steps,
  }
}

/** The node size whose whole nodes cost least for these services (fewer, larger nodes on a tie). */
export function cheapestNode(items: PackItem[], settings: ReportSettings): NodeSize {
  return cheapestPacking(items, settings).node
}

/** cheapestNode with its packing: each size of NODE_CATALOGUE packed once, a later size winning a tie. */
function cheapestPacking(items: PackItem[], settings: ReportSettings): {node: NodeSize; nodes: PackedNode[]; cost: number} {
  let best: {node: NodeSize; nodes: PackedNode[]; cost: number} | undefined
  for (const node of NODE_CATALOGUE) {
    const nodes = pack(items, node)
    const cost = nodeCount(nodes) * nodeHourly(node, settings.prices)
    if (!best || cost <= best.cost + 1e-9) best = {node, nodes, cost}
  }
  return best!
}

function rank(items: Omit<Ranked, 'perDay' | 'wave'>[]): Ranked[] {
  return items
    .map((i) => ({...i, perDay: round(i.days > 0 ? i.savingMonthly / i.days : i.savingMonthly, 2), wave: 0}))
    .sort((a, b) => b.perDay - a.perDay || a.host.localeCompare(b.host) || (a.application ?? '').localeCompare(b.application ?? ''))
}

/**
 * First fit in rank order, so the best saving per day moves first. A host's own days (access,
 * substrate, its blockers) count once, in the wave of its best-ranked application;
 * an application larger than a scope is a wave of its own. Sets each ranked application's wave.
 */
function planWaves(ranked: Ranked[], hosts: HostReport[], scopeDays: number): Wave[] {
  const hostDays = new Map(hosts.map((h) => [h.host, h.effort.lines.filter((l) => !l.factor.startsWith('application:')).reduce((n, l) => n + l.days, 0)]))
  const charged = new Set<string>()
  const waves: Wave[] = []
  for (const r of ranked) {
    const cost = r.days + (charged.has(r.host) ? 0 : hostDays.get(r.host) ?? 0)
    let wave = waves.find((w) => w.days + cost <= scopeDays + 1e-9)
    if (!wave) {
      wave = {index: waves.length + 1, hosts: [], applications: [], days: 0, savingMonthly: 0}
      waves.push(wave)
    }
    charged.add(r.host)
    if (!wave.hosts.includes(r.host)) wave.hosts.push(r.host)
    wave.applications.push(`${r.host}/${r.application}`)
    wave.days = round(wave.days + cost, 2)
    wave.savingMonthly = round(wave.savingMonthly + r.savingMonthly, 2)
    r.wave = wave.index
  }
  return waves
}
