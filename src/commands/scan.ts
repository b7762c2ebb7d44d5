import {Args, Flags} from '@oclif/core'
import {HoistCommand, formatError, parseDuration} from '../base-command.js'
import {DEFAULT_COLLECT_OPTIONS, type CollectOptions} from '../collect/collect.js'
import {scanLocal, scanSnapshot, scanSsh, type ScanResult} from '../collect/scan.js'
import {HoistError, isHoistError} from '../errors.js'
import type {HostFacts} from '../types/facts.js'
import {saveFailure, saveScan} from '../workspace/hosts.js'

export default class Scan extends HoistCommand {
  static override summary = 'Inventory hosts over SSH: read-only, agentless, one round trip per host.'

  static override description = `Connects to each TARGET, runs one read-only POSIX sh probe over a single SSH exec channel, and
writes hosts/<host>/facts.json and transcript.log under the output folder. Nothing is written to
the host; secret-looking values are redacted on the host and again here before anything is saved.

TARGET is [user@]host[:port], [user@][ipv6]:port, or a Host alias from ~/.ssh/config (HostName,
User, Port, IdentityFile and ProxyJump are honoured).

Host keys are checked strictly against ~/.ssh/known_hosts (or --known-hosts). An unknown key is
refused with its fingerprint; --accept-new records it (trust on first use). A changed key is always
refused: after verifying the change, remove the old key with \`ssh-keygen -R HOST\`.

Authentication: ssh-agent, then key files (--identity, ssh_config, ~/.ssh/id_*), then a password
prompt when there is a terminal. Nothing typed is stored or logged.

Exit status: 0 every host scanned, 1 every host failed, 3 some hosts failed.`

  static override examples = [
    '<%= config.bin %> scan admin@10.0.4.17',
    '<%= config.bin %> scan web01 db01 --accept-new --sample 30s',
    '<%= config.bin %> scan ops@legacy.example.com:2222 --identity ~/.ssh/migration_ed25519 --sudo',
    '<%= config.bin %> scan --local',
    '<%= config.bin %> scan --from web01.probe.txt --name web01',
    '<%= config.bin %> scan web01 --json | jq .listeners',
  ]

  static override strict = false

  static override args = {
    target: Args.string({description: 'Host to scan: [user@]host[:port] or an ssh_config alias (several allowed).'}),
  }

  static override flags = {
    identity: Flags.string({char: 'i', description: 'Private key file to try first (repeatable).', multiple: true}),
    'known-hosts': Flags.string({description: 'known_hosts file to check host keys against.', default: undefined}),
    'accept-new': Flags.boolean({description: 'Trust and record host keys seen for the first time (never a changed key).', default: false}),
    sudo: Flags.boolean({description: 'Run the probe with `sudo -n` to read other users\' processes, environments and crontabs. Never prompts on the host.', default: false}),
    sample: Flags.string({description: 'Sample utilisation (host and per-process CPU and memory) for this long, e.g. 30s, 5m.', default: '0s'}),
    'ssh-config': Flags.string({description: 'ssh_config file to resolve aliases with (default ~/.ssh/config).'}),
    'connect-timeout': Flags.string({description: 'Connect and handshake time limit per host (and per jump host).', default: '20s'}),
    'auth-timeout': Flags.string({description: 'Authentication time limit per host, not counting time at a prompt.', default: '30s'}),
    'probe-timeout': Flags.string({description: 'Time limit for the probe itself, on top of --sample.', default: '120s'}),
    local: Flags.boolean({description: 'Scan this machine with the same probe, without SSH.', default: false, exclusive: ['from']}),
    from: Flags.string({description: 'Ingest the saved output of `hoist probe-script` run on an air-gapped host.', exclusive: ['local']}),
    name: Flags.string({description: 'Name of the host in the workspace (default: the target, or the reported hostname with --from).'}),
  }

  async run(): Promise<HostFacts | HostFacts[]> {
    const {argv, flags} = await this.parse(Scan)
    const targets = argv as string[]
    if (!flags.local && !flags.from && targets.length === 0) {
      throw new HoistError('INPUT_MISSING', 'no target to scan', 'Name a host (hoist scan admin@10.0.4.17), or use --local or --from FILE. See hoist scan --help.')
    }
    if (flags.name && targets.length > 1) {
      throw new HoistError('INPUT_MISSING', '--name names one host, but several targets were given', 'Scan the targets one by one to name each, or leave --name out.')
    }
    const collectOptions: CollectOptions = {
      ...DEFAULT_COLLECT_OPTIONS,
      sudo: flags.sudo,
      sampleSeconds: parseDuration(flags.sample),
      probeTimeoutMs: parseDuration(flags['probe-timeout']) * 1000,
    }
    const jobs: {label: string; run: () => Promise<ScanResult>}[] = flags.local
      ? [{label: 'local', run: () => scanLocal({...collectOptions, name: flags.name})}]
      : flags.from
        ? [{label: flags.from, run: () => scanSnapshot(flags.from!, flags.name)}]
        : targets.map((spec) => ({
            label: spec,
            run: () =>
              scanSsh(spec, {
                ...collectOptions,
                name: flags.name,
                sshConfigPath: flags['ssh-config'],
                interactive: !this.jsonEnabled(),
                ssh: {
                  knownHostsPath: flags['known-hosts'],
                  acceptNew: flags['accept-new'],
                  identityFiles: flags.identity,
                  connectTimeoutMs: parseDuration(flags['connect-timeout']) * 1000,
                  authTimeoutMs: parseDuration(flags['auth-timeout']) * 1000,
                },
              }),
          }))

    const scanned: HostFacts[] = []
    let failed = 0
    for (const job of jobs) {
      if (collectOptions.sampleSeconds > 0) this.say(flags, `${job.label}: sampling utilisation for ${collectOptions.sampleSeconds} s…`)
      try {
        const result = await job.run()
        const path = await saveScan(flags.out, result.facts, {command: result.command, scriptSha256: result.scriptSha256})
        scanned.push(result.facts)
        for (const note of result.notes) this.say(flags, `  note: ${note}`)
        this.say(flags, summary(result.facts, path))
      } catch (error) {
        if (!isHoistError(error)) throw error
        failed++
        await saveFailure(flags.out, flags.name ?? job.label, job.label, flags.local ? 'local' : flags.from ? 'snapshot' : 'ssh', error)
        if (jobs.length === 1) throw error
        if (!this.jsonEnabled()) this.logToStderr(formatError(error))
      }
    }
    if (failed > 0) process.exitCode = failed === jobs.length ? 1 : 3
    return scanned.length === 1 && jobs.length === 1 ? scanned[0]! : scanned
  }
}

function summary(f: HostFacts, path: string): string {
  const os = f.os.prettyName || `${f.os.id} ${f.os.versionId}`.trim() || 'unknown OS'
  const notes = f.probeErrors.length > 0 ? `, ${f.probeErrors.length} probe note${f.probeErrors.length > 1 ? 's' : ''} (see transcript.log)` : ''
  return `✓ ${f.host.name}: ${os}, ${f.capacity.cpus} CPU, ${Math.round(f.capacity.memoryBytes / 2 ** 20)} MiB, ` +
    `${f.processes.length} processes, ${f.listeners.length} listening sockets, ${f.packages.length} packages, ` +
    `${f.units.length} services, ${f.cron.length} scheduled jobs${notes}\n  → ${path}`
}
