import type {Inventory} from '../types/inventory.js'
import type {Plan} from '../types/plan.js'

/**
 * What a scan found on one host, as the consultant sees it before choosing: each planned service
 * with its kind, ports, how sure the rule was, and the questions the plan left open.
 */
export function describeFound(plan: Plan, inventory: Inventory): string[] {
  const os = inventory.os.prettyName || `${plan.os.id} ${plan.os.versionId}`
  const lines = [`${plan.host} (${os}): ${plan.services.length} application(s) found`]
  const rows = plan.services.map((s) => {
    const workload = inventory.workloads.find((w) => w.id === s.workload)
    const ports = s.ports.map((p) => `${p.port}/${p.protocol}`).join(',') || (s.schedule ? `cron ${s.schedule}` : '-')
    const confidence = workload ? `confidence ${workload.confidence.toFixed(2)}` : ''
    return [s.name, s.kind, ports, confidence, `${s.baseImage.policy} ${s.baseImage.image}`]
  })
  const widths = rows.reduce((w, row) => row.map((cell, i) => Math.max(cell.length, w[i] ?? 0)), [] as number[])
  for (const [i, row] of rows.entries()) {
    lines.push(`  ${row.map((cell, j) => cell.padEnd(widths[j] ?? 0)).join('  ').trimEnd()}`)
    const service = plan.services[i]!
    for (const u of plan.unresolved.filter((u) => u.service === service.name)) lines.push(`      ? ${u.question}`)
  }
  const hostWide = plan.unresolved.filter((u) => u.service === '*')
  if (hostWide.length > 0) lines.push('  Host-wide:', ...hostWide.map((u) => `      ? ${u.question}`))
  const unclaimed = inventory.unclaimed.processes.length
  if (unclaimed > 0) lines.push(`  ${unclaimed} process(es) no rule claimed (listed in inventory.json)`)
  if (plan.unresolved.length > 0) lines.push('  Open questions stay in plan.yaml under `unresolved` to settle later.')
  return lines
}
