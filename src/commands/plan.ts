import {Flags} from '@oclif/core'
import pLimit from 'p-limit'
import {HoistCommand} from '../base-command.js'
import {loadConfig} from '../config.js'
import {detect} from '../detect/engine.js'
import {loadRules} from '../detect/load.js'
import {buildPlan} from '../plan/build.js'
import {DEFAULT_SIZING} from '../plan/resources.js'
import type {Plan} from '../types/plan.js'
import {loadFacts, scannedHosts} from '../workspace/hosts.js'
import {saveInventory} from '../workspace/inventory.js'
import {loadPlan, writePlan} from '../workspace/plan-file.js'

export default class PlanCommand extends HoistCommand {
  static override summary = 'Detect the applications on every scanned host and write an editable plan.'

  static override description = `For each host in the workspace: matches the detector rules (rulesets/, plus --rules DIR) against
facts.json, writes inventory.json (workloads with evidence and confidence, what is left unclaimed,
blockers) and plan.yaml (one service per application: base image, packages, files to copy,
volumes, ports, user, command, environment, secrets, health check, resources).

plan.yaml is yours to edit; \`hoist generate\` follows it. Re-running \`hoist plan\` never overwrites
an edited plan.yaml: the new proposal is written to plan.proposed.yaml beside it, to compare and
merge (--force replaces your edits). \`hoist plan --check\` validates edited plans, naming the line.`

  static override examples = [
    '<%= config.bin %> plan',
    '<%= config.bin %> plan --host web01 --base-image official',
    '<%= config.bin %> plan --check',
    '<%= config.bin %> plan --rules ./our-rules --json',
  ]

  static override flags = {
    host: Flags.string({description: 'Only these hosts (repeatable; default: every scanned host).', multiple: true}),
    rules: Flags.string({description: 'An extra folder of detector rules (repeatable); a rule with a built-in id replaces it.', multiple: true}),
    config: Flags.string({description: 'Config file (default: hoist.yaml in this folder).'}),
    'base-image': Flags.string({description: 'Base-image policy for new plans.', options: ['same-os', 'official']}),
    force: Flags.boolean({description: 'Replace plan.yaml even when it was edited.', default: false}),
    check: Flags.boolean({description: 'Only validate the existing plan.yaml files; write nothing.', default: false}),
  }

  async run(): Promise<{host: string; services: number; unresolved: number; file: string; kept: boolean}[] | Plan[]> {
    const {flags} = await this.parse(PlanCommand)
    const hosts = flags.host ?? (await scannedHosts(flags.out))
    if (flags.check) {
      const plans = []
      for (const host of hosts) {
        plans.push(await loadPlan(flags.out, host))
        this.say(flags, `✓ ${host}: plan.yaml is valid`)
      }
      return plans
    }
    const config = await loadConfig(flags.config)
    const ruleset = await loadRules({dirs: [...(config.rules?.dirs ?? []), ...(flags.rules ?? [])], disabled: config.rules?.disabled})
    const policy = (flags['base-image'] ?? config.baseImage ?? 'same-os') as Plan['services'][number]['baseImage']['policy']
    const sizing = {...DEFAULT_SIZING, ...(config.headroom ? {headroom: config.headroom} : {}), ...(config.percentile ? {percentile: config.percentile} : {})}
    // Hosts are independent: overlap one host's file I/O with another's detection.
    const limit = pLimit(8)
    const results = await Promise.all(hosts.map((host) => limit(async () => {
      const facts = await loadFacts(flags.out, host)
      const inventory = detect(facts, ruleset)
      await saveInventory(flags.out, inventory)
      const plan = buildPlan(inventory, facts, {policy, sizing})
      const written = await writePlan(flags.out, plan, flags.force)
      this.say(flags, `✓ ${host}: ${inventory.workloads.length} application(s) — ${inventory.workloads.map((w) => `${w.name}${w.ports.length ? ` :${w.ports.map((p) => p.port).join(',')}` : ''}`).join(', ') || 'none'}`)
      if (inventory.unclaimed.processes.length + inventory.unclaimed.ports.length > 0) {
        this.say(flags, `  unclaimed: ${inventory.unclaimed.processes.length} process(es), ${inventory.unclaimed.ports.length} port(s) (listed in inventory.json)`)
      }
      this.say(flags, written.kept
        ? `  plan.yaml has your edits: kept. The new proposal is ${written.file} (compare, merge, or rerun with --force)`
        : `  → ${written.file}${plan.unresolved.length ? ` (${plan.unresolved.length} open question(s) in it)` : ''}`)
      return {host, services: plan.services.length, unresolved: plan.unresolved.length, file: written.file, kept: written.kept}
    })))
    return results
  }
}
