import {Flags} from '@oclif/core'
import {HoistCommand} from '../../base-command.js'
import {loadConfig} from '../../config.js'
import {precedence} from '../../detect/claims.js'
import {loadRules} from '../../detect/load.js'

export default class RulesList extends HoistCommand {
  static override summary = 'List the detector rules: id, what each detects, how it matches.'

  static override examples = ['<%= config.bin %> rules list', '<%= config.bin %> rules list --rules ./our-rules --json']

  static override flags = {
    rules: Flags.string({description: 'An extra folder of detector rules (repeatable).', multiple: true}),
    config: Flags.string({description: 'Config file (default: hoist.yaml in this folder).'}),
  }

  async run(): Promise<{id: string; title: string; kind: string; precedence: number; summary: string; file: string}[]> {
    const {flags} = await this.parse(RulesList)
    const config = await loadConfig(flags.config)
    const ruleset = await loadRules({dirs: [...(config.rules?.dirs ?? []), ...(flags.rules ?? [])], disabled: config.rules?.disabled})
    const rows = ruleset.rules.map((r) => ({id: r.id, title: r.title, kind: r.kind, precedence: precedence(r), summary: r.summary, file: ruleset.files.get(r.id) ?? ''}))
    const width = Math.max(...rows.map((r) => r.id.length))
    for (const r of rows) this.say(flags, `${r.id.padEnd(width)}  ${r.kind.padEnd(9)}  ${String(r.precedence).padStart(3)}  ${r.title} — ${r.summary}`)
    this.say(flags, `${rows.length} rules${config.rules?.disabled?.length ? `, ${config.rules.disabled.length} disabled in hoist.yaml` : ''}`)
    return rows
  }
}
