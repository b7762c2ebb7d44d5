import {resolve} from 'node:path'
import {Flags} from '@oclif/core'
import {HoistCommand} from '../base-command.js'
import {CONFIG_FILE, loadConfig} from '../config.js'
import {HoistError} from '../errors.js'
import {formatFigure} from '../report/format.js'
import {hostReport} from '../report/host.js'
import {buildReport} from '../report/portfolio.js'
import {renderHtml, renderMarkdown} from '../report/render.js'
import {reportSettings} from '../report/settings.js'
import type {HostReport, Report} from '../types/report.js'
import {hostPaths} from '../workspace/paths.js'
import {loadReportInputs, plannedHosts, portfolioDir, writeReport} from '../workspace/report-files.js'

export default class ReportCommand extends HoistCommand {
  static override summary = 'Write the fixed-scope report: savings, effort and risk per host and for the portfolio.'

  static override description = `For each planned host, from facts.json, inventory.json, plan.yaml and (when
\`hoist generate\` has run) artifacts.json: what the host is allocated and
really uses, each application's container request (its measured use at a
percentile × headroom, with floors; or its as-is share), the OS overhead the
move removes, the cost before and after at your unit prices, the effort in
days per application with the factors shown, scope, risks and next steps.
Writes hosts/<host>/report.html, report.md and report.json, and the portfolio
(every planned host, services packed onto target nodes, hosts ranked by saving
per day of effort into waves) as report.html/.md/.json in --out.

Every assumption comes from hoist.yaml (or --config) or a documented default,
and is listed in the report with its source. The keys: mode (same-as-source |
moderate | aggressive), percentile, headroom, prices {currency, vcpuHour,
gibHour, nodeHour}, node {vcpu, memoryGiB, reservedVcpu, reservedMemoryGiB},
effort {kinds, perHost, perDependency, perWarning, perBlocking, per100GiB,
perOpenQuestion, notGenerated, lowConfidence, scopeDays}. The HTML is one
self-contained file: no script, no external request; it prints cleanly to PDF.`

  static override examples = [
    '<%= config.bin %> report',
    '<%= config.bin %> report --host web01',
    '<%= config.bin %> report --config customer.yaml --out ./acme-out',
    '<%= config.bin %> report --json | jq \'.totals.cost.saving.monthly\'',
  ]

  static override flags = {
    host: Flags.string({description: 'Write the report of these hosts only (repeatable); the portfolio always covers every planned host.', multiple: true}),
    config: Flags.string({description: 'Config file (default: hoist.yaml in this folder).'}),
  }

  async run(): Promise<Report> {
    const {flags} = await this.parse(ReportCommand)
    const config = await loadConfig(flags.config)
    const settings = reportSettings(config)
    const configFile = flags.config ? resolve(flags.config) : Object.keys(config).length > 0 ? resolve(CONFIG_FILE) : undefined
    const {planned, unplanned} = await plannedHosts(flags.out)
    for (const host of flags.host ?? []) {
      if (!planned.includes(host)) throw new HoistError('INPUT_MISSING', `no plan for ${host} in ${flags.out}`, `Run \`hoist plan --host ${host} --out ${flags.out}\` first (planned hosts: ${planned.join(', ') || 'none'}).`)
    }
    if (planned.length === 0) throw new HoistError('INPUT_MISSING', `no planned host in ${flags.out}`, `Run \`hoist plan --out ${flags.out}\` first.`)
    if (unplanned.length > 0) this.say(flags, `  not planned, left out: ${unplanned.join(', ')} (run \`hoist plan\`)`)
    const now = new Date()
    const hosts: HostReport[] = []
    for (const host of planned) hosts.push(hostReport(await loadReportInputs(flags.out, host), settings, now))
    for (const host of hosts.filter((h) => !flags.host || flags.host.includes(h.host))) {
      const report = buildReport([host], settings, 'host', now, configFile)
      const files = await writeReport(hostPaths(flags.out, host.host).dir, report, renderHtml(report), renderMarkdown(report))
      this.say(flags, `✓ ${host.host}: saves ${formatFigure(host.cost.saving.monthly)} for ${formatFigure(host.effort.days)}, confidence ${host.coverage.confidence}${host.inputs.artifacts ? '' : ' (plan only: not generated yet)'} → ${files.html}`)
    }
    const portfolio = buildReport(hosts, settings, 'portfolio', now, configFile)
    const files = await writeReport(portfolioDir(flags.out), portfolio, renderHtml(portfolio), renderMarkdown(portfolio))
    const t = portfolio.totals
    this.say(flags, `✓ portfolio of ${hosts.length} host(s): saves ${formatFigure(t.cost.saving.monthly)} (${formatFigure(t.cost.savingPercent)}) for ${formatFigure(t.days)} in ${portfolio.waves.length} wave(s) → ${files.html}`)
    return portfolio
  }
}
