import {Flags} from '@oclif/core'
import {HoistCommand, parseDuration} from '../base-command.js'
import {buildProbe, samplingParams} from '../collect/probe/script.js'

export default class ProbeScript extends HoistCommand {
  static override summary = 'Print the read-only probe, for a host Hoist cannot reach over SSH.'

  static override description = `The same POSIX sh script \`hoist scan\` sends over SSH. It reads the host and writes only to its
standard output: no file is created, nothing is installed, and secret-looking values are redacted on
the host before they are printed. Carry the script to an air-gapped host, run it there, bring the
output back and ingest it with \`hoist scan --from\`.`

  static override examples = [
    '<%= config.bin %> probe-script > hoist-probe.sh',
    '# on the host:  sh hoist-probe.sh > web01.probe.txt      (or: sudo sh hoist-probe.sh > …)',
    '<%= config.bin %> scan --from web01.probe.txt --name web01',
  ]

  static override flags = {
    sample: Flags.string({description: 'Sample utilisation for this long (e.g. 30s, 5m) before finishing.', default: '0s'}),
    // Longer than scan's: a hand run on an air-gapped host is not quickly repeated.
    'size-budget': Flags.string({description: 'Time du may spend sizing data paths (held-open directories first); paths not reached are listed without a size.', default: '60s'}),
  }

  async run(): Promise<{script: string; sha256: string}> {
    const {flags} = await this.parse(ProbeScript)
    const sampling = samplingParams(parseDuration(flags.sample))
    // Run by hand there is no Hoist to give up: the probe ends itself after 5 minutes past sampling.
    const probe = buildProbe({...sampling, deadlineSeconds: 300 + sampling.samples * sampling.intervalSeconds, sizeBudgetSeconds: parseDuration(flags['size-budget'])})
    if (!this.jsonEnabled()) process.stdout.write(probe.script)
    return {script: probe.script, sha256: probe.sha256}
  }
}
