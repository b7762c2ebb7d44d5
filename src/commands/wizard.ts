import {Flags} from '@oclif/core'
import {HoistCommand} from '../base-command.js'
import {loadAnswers, parseSetFlags} from '../wizard/answers.js'
import {describeResult, runWizard, type WizardResult} from '../wizard/flow.js'
import {inquirerAsker} from '../wizard/prompts.js'
import type {Answers} from '../wizard/questions.js'
import {realSteps} from '../wizard/steps.js'

export default class WizardCommand extends HoistCommand {
  static override summary = 'A guided run in the terminal: scan, plan, your choices, generate, report.'

  static override description = `Asks for the target (a host, an ssh_config alias or an inventory file), the key to log in with,
whether to trust an unknown host key (showing its fingerprint), sudo, and how long to sample load;
scans and plans, shows what it found, and asks which applications to lift, their names, their base
images and your prices. Then generates and reports, and says what it wrote where. \`hoist\` alone,
in a terminal, is this command.

Every answer is saved in answers.yaml in the output folder, under a stable question id (target,
identity, trust-host-key, sudo, sample, out, services.<name>.include|rename|base-image,
prices.currency, prices.vcpu-hour, prices.gib-hour). --answers FILE replays them; flags override
them; without a terminal, every missing answer is an error that lists them. Passwords are asked
by SSH itself and never saved.`

  static override examples = [
    '<%= config.bin %>',
    '<%= config.bin %> wizard --target admin@10.0.4.17',
    '<%= config.bin %> wizard --answers hoist-out/answers.yaml --out hoist-out-2',
    '<%= config.bin %> wizard --answers answers.yaml --set services.redis.include=false --set prices.currency=USD',
  ]

  static override flags = {
    answers: Flags.string({description: 'Replay the answers of this file (an answers.yaml a wizard run saved).'}),
    set: Flags.string({description: 'Answer a question by its id: --set ID=VALUE (repeatable; overrides the answers file).', multiple: true}),
    target: Flags.string({description: 'Answers `target`: [user@]host[:port], an ssh_config alias, or an inventory file.'}),
    identity: Flags.string({char: 'i', description: 'Answers `identity`: a private key file.'}),
    'accept-new': Flags.boolean({description: 'Answers `trust-host-key` with yes: trust host keys seen for the first time.'}),
    sudo: Flags.boolean({description: 'Answers `sudo` (--no-sudo answers no).', allowNo: true}),
    sample: Flags.string({description: 'Answers `sample`: e.g. 30s, 5m.'}),
    'known-hosts': Flags.string({description: 'known_hosts file to check host keys against.'}),
    'ssh-config': Flags.string({description: 'ssh_config file to resolve aliases with (default ~/.ssh/config).'}),
    config: Flags.string({description: 'Config file the prices are saved in (default: hoist.yaml in this folder).'}),
  }

  async run(): Promise<WizardResult> {
    const {flags, metadata} = await this.parse(WizardCommand)
    const given: Answers = {
      ...parseSetFlags(flags.set ?? []),
      ...(flags.target !== undefined ? {target: flags.target} : {}),
      ...(flags.identity !== undefined ? {identity: flags.identity} : {}),
      ...(flags['accept-new'] ? {'trust-host-key': true} : {}),
      ...(flags.sudo !== undefined ? {sudo: flags.sudo} : {}),
      ...(flags.sample !== undefined ? {sample: flags.sample} : {}),
      // --out has a default: only a typed one is an answer.
      ...(metadata.flags.out?.setFromDefault ? {} : {out: flags.out}),
    }
    const file = flags.answers ? await loadAnswers(flags.answers) : {file: {}, where: () => 'answers'}
    // Prompts need a person at stdin; --json output must stay one document.
    const interactive = Boolean(process.stdin.isTTY) && !this.jsonEnabled()
    const say = (line: string) => this.say(flags, line)
    try {
      const result = await runWizard({
        sources: {flags: given, ...file},
        interactive,
        asker: inquirerAsker(say),
        steps: realSteps({
          run: (id, argv) => this.config.runCommand(id, argv),
          interactive,
          knownHosts: flags['known-hosts'],
          sshConfig: flags['ssh-config'],
          config: flags.config,
          quiet: flags.quiet,
          say,
        }),
      })
      for (const line of describeResult(result)) say(line)
      if (result.reportFailed) process.exitCode = 1
      return result
    } catch (error) {
      // Ctrl-C at a prompt: the answers so far are saved (flow.ts); no stack trace for a choice.
      if ((error as Error).name === 'ExitPromptError') {
        this.logToStderr('Stopped. Run `hoist wizard` again (with --answers OUT/answers.yaml to keep what you answered).')
        return this.exit(130)
      }
      throw error
    }
  }
}
