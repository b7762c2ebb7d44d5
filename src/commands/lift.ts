import {Args, Flags} from '@oclif/core'
import {HoistCommand} from '../base-command.js'
import type {HostFacts} from '../types/facts.js'
import {readIndex} from '../workspace/index.js'
import {safeHostName} from '../workspace/paths.js'

export default class LiftCommand extends HoistCommand {
  static override summary = 'Scan, plan, generate and report in one go: from a host to Dockerfiles, build contexts and the fixed-scope report.'

  static override description = `The same as \`hoist scan TARGET…\`, then \`hoist plan\`, \`hoist generate\` and \`hoist report\` for the
hosts just scanned. Each step writes what it always writes (facts.json, inventory.json, plan.yaml,
services/…, report.html/.md/.json), so any step can be re-run on its own afterwards: edit plan.yaml
and run \`hoist generate\` and \`hoist report\` again.`

  static override examples = [
    '<%= config.bin %> lift admin@web01.example.com',
    '<%= config.bin %> lift web01 --sample 2m --sudo',
    '<%= config.bin %> lift --local',
  ]

  static override strict = false
  static override args = {target: Args.string({description: '[user@]host[:port] or an ssh_config Host alias (repeatable).'})}

  static override flags = {
    identity: Flags.string({char: 'i', description: 'Private key file to try first (repeatable).', multiple: true}),
    'known-hosts': Flags.string({description: 'known_hosts file to check host keys against.'}),
    'accept-new': Flags.boolean({description: 'Trust and record host keys seen for the first time (never a changed key).', default: false}),
    'ssh-config': Flags.string({description: 'ssh_config file to resolve aliases with (default ~/.ssh/config).'}),
    sudo: Flags.boolean({description: 'Probe with `sudo -n` (see `hoist scan --help`).', default: false}),
    sample: Flags.string({description: 'Sample utilisation for this long, e.g. 30s, 5m.', default: '0s'}),
    local: Flags.boolean({description: 'Lift this machine.', default: false}),
    inventory: Flags.string({description: 'Lift the hosts of an inventory (CSV, Ansible INI/YAML, ssh_config).'}),
    limit: Flags.string({description: 'With --inventory: only these groups, tags or names.', multiple: true}),
    'base-image': Flags.string({description: 'Base-image policy for the plans.', options: ['same-os', 'official']}),
    name: Flags.string({description: 'Name of the host in the workspace.'}),
  }

  async run(): Promise<{hosts: string[]}> {
    const {argv, flags} = await this.parse(LiftCommand)
    const common = [`--out=${flags.out}`, ...(flags.quiet ? ['--quiet'] : [])]
    const ssh = [
      ...(flags.identity ?? []).map((i) => `--identity=${i}`),
      ...(flags['known-hosts'] ? [`--known-hosts=${flags['known-hosts']}`] : []),
      ...(flags['ssh-config'] ? [`--ssh-config=${flags['ssh-config']}`] : []),
    ]
    const started = new Date().toISOString()
    const scanned = await this.config.runCommand<HostFacts | HostFacts[]>('scan', [
      ...(argv as string[]), ...common, ...ssh,
      ...(flags['accept-new'] ? ['--accept-new'] : []), ...(flags.sudo ? ['--sudo'] : []), `--sample=${flags.sample}`,
      ...(flags.local ? ['--local'] : []), ...(flags.inventory ? [`--inventory=${flags.inventory}`] : []),
      ...(flags.limit ?? []).map((l) => `--limit=${l}`), ...(flags.name ? [`--name=${flags.name}`] : []),
    ])
    const hosts = Array.isArray(scanned) ? await scannedSince(flags.out, started) : [safeHostName(scanned.host.name)]
    if (hosts.length === 0) return {hosts}
    const only = hosts.map((h) => `--host=${h}`)
    await this.config.runCommand('plan', [...common, ...only, ...(flags['base-image'] ? [`--base-image=${flags['base-image']}`] : [])])
    await this.config.runCommand('generate', [...common, ...only, ...ssh])
    // Last: the report of the hosts just lifted (the portfolio covers every planned host).
    await this.config.runCommand('report', [...common, ...only])
    return {hosts}
  }
}

async function scannedSince(out: string, since: string): Promise<string[]> {
  const index = await readIndex(out)
  return Object.entries(index.hosts).filter(([, h]) => h.status === 'scanned' && (h.scannedAt ?? '') >= since).map(([name]) => name)
}
