import {Args, Flags} from '@oclif/core'
import {HoistCommand} from '../../base-command.js'
import {loadConfig} from '../../config.js'
import {loadRules} from '../../detect/load.js'
import {overlappingRules, testRules, type ExampleResult} from '../../detect/rule-test.js'

export default class RulesTest extends HoistCommand {
  static override summary = "Run every rule's examples, and check no two rules claim a process at equal precedence."

  static override examples = ['<%= config.bin %> rules test', '<%= config.bin %> rules test web/nginx', '<%= config.bin %> rules test --rules ./our-rules']

  static override args = {id: Args.string({description: 'Only the rules whose id starts with this.'})}

  static override flags = {
    rules: Flags.string({description: 'An extra folder of detector rules (repeatable).', multiple: true}),
    config: Flags.string({description: 'Config file (default: hoist.yaml in this folder).'}),
  }

  async run(): Promise<{results: ExampleResult[]; overlaps: string[]}> {
    const {args, flags} = await this.parse(RulesTest)
    const config = await loadConfig(flags.config)
    const ruleset = await loadRules({dirs: [...(config.rules?.dirs ?? []), ...(flags.rules ?? [])], disabled: config.rules?.disabled})
    const results = await testRules(ruleset, args.id ? (r) => r.id.startsWith(args.id!) : undefined)
    const overlaps = await overlappingRules(ruleset)
    for (const r of results) {
      this.say(flags, `${r.ok ? '✓' : '✗'} ${r.rule}  ${r.facts}`)
      for (const p of r.problems) this.say(flags, `    ${p}`)
    }
    for (const o of overlaps) this.say(flags, `✗ overlap: ${o}`)
    const failed = results.filter((r) => !r.ok).length
    this.say(flags, `${results.length - failed} passed, ${failed} failed${overlaps.length ? `; ${overlaps.length} overlap(s)` : ''}`)
    if (failed > 0 || overlaps.length > 0) process.exitCode = 1
    return {results, overlaps}
  }
}
