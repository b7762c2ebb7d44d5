import {Args, Command, Flags, loadHelpClass} from '@oclif/core'

/** `hoist help [COMMAND]`: oclif's own help, without loading a plugin (and a second oclif) at every start. */
export default class Help extends Command {
  static override summary = 'Show help for hoist or for one command.'

  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help scan', '<%= config.bin %> help rules test']

  static override args = {
    command: Args.string({description: 'Command to show help for.', required: false}),
  }

  static override flags = {
    'nested-commands': Flags.boolean({char: 'n', description: 'Include all nested commands in the output.'}),
  }

  static override strict = false

  async run(): Promise<void> {
    const {argv, flags} = await this.parse(Help)
    const HelpClass = await loadHelpClass(this.config)
    await new HelpClass(this.config, {all: flags['nested-commands']}).showHelp(argv as string[])
  }
}
