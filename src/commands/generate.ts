import {Flags} from '@oclif/core'
import {HoistCommand, parseDuration} from '../base-command.js'
import {openHostFiles} from '../collect/fetch/open.js'
import {DEFAULT_FETCH_CAPS} from '../collect/fetch/report.js'
import {HoistError} from '../errors.js'
import {generateForHost, type HostGenerated, type Target} from '../generate.js'
import {scannedHosts} from '../workspace/hosts.js'

export default class GenerateCommand extends HoistCommand {
  static override summary = 'Write a Dockerfile and build context per application from plan.yaml.'

  static override description = `For each host: copies the files plan.yaml names read-only from the host (SFTP, strict host keys;
or this machine after \`scan --local\`; or --files DIR for a host scanned from a saved probe output),
with size caps, symlinks never followed out of the named paths, and every secret in a copied file
replaced by a placeholder the image's entrypoint fills at run time (from /run/secrets/NAME or $NAME).
Paths named inside the copied files (a config under /etc read by the application) are found and
copied too. Then writes, per service, hosts/<host>/services/<service>/: Dockerfile (each instruction
traced to the plan field behind it), .dockerignore, rootfs/ (the copied files), context.json (what
was copied, skipped, capped, redacted), migrate.sh (the data-migration step for cut-over), and
hosts/<host>/artifacts.json. A service that cannot be lifted faithfully is skipped, with the reason.

Per host it also writes compose.yaml (the services together; each secret a file in the folder
$HOIST_SECRETS_DIR names at \`up\` time, kept outside the output folder) and linuxkit.yml (a
minimal immutable substrate: a disk per data path, each service a container with only the
capabilities it needs, restarted when it crashes); --target k8s adds kubernetes.yaml (Deployments
or StatefulSets, Services, PersistentVolumeClaims, CronJobs).`

  static override examples = [
    '<%= config.bin %> generate',
    '<%= config.bin %> generate --host web01 --identity ~/.ssh/consultant',
    '<%= config.bin %> generate --host air-gapped-01 --files ./air-gapped-01-files',
    '<%= config.bin %> generate --target k8s',
  ]

  static override flags = {
    host: Flags.string({description: 'Only these hosts (repeatable; default: every scanned host).', multiple: true}),
    files: Flags.string({description: 'Read the host\'s files from this folder (a copy of its / ) instead of the host itself.'}),
    identity: Flags.string({char: 'i', description: 'Private key file to try first (repeatable).', multiple: true}),
    'known-hosts': Flags.string({description: 'known_hosts file to check host keys against.'}),
    'ssh-config': Flags.string({description: 'ssh_config file to resolve aliases with (default ~/.ssh/config).'}),
    'connect-timeout': Flags.string({description: 'Connect and handshake time limit.', default: '20s'}),
    target: Flags.string({description: 'Also write manifests for this target: k8s (kubernetes.yaml). compose.yaml and linuxkit.yml are always written.', options: ['k8s'], multiple: true}),
    'max-file-size': Flags.integer({description: 'Largest file copied, in MiB (larger ones are listed in context.json).', default: DEFAULT_FETCH_CAPS.maxFileBytes / 2 ** 20, min: 1}),
    'max-context-size': Flags.integer({description: 'Most bytes copied per service, in MiB.', default: DEFAULT_FETCH_CAPS.maxTotalBytes / 2 ** 20, min: 1}),
  }

  async run(): Promise<HostGenerated[]> {
    const {flags} = await this.parse(GenerateCommand)
    const hosts = flags.host ?? (await scannedHosts(flags.out))
    if (hosts.length === 0) throw new HoistError('INPUT_MISSING', `no scanned hosts in ${flags.out}`, 'Run `hoist scan` and `hoist plan` first.')
    if (flags.files && hosts.length > 1) throw new HoistError('INPUT_MISSING', '--files is one host\'s files', 'Name that host with --host.')
    const results: HostGenerated[] = []
    for (const host of hosts) {
      const result = await generateForHost(flags.out, host, {
        targets: (flags.target ?? []) as Target[],
        caps: {maxFileBytes: flags['max-file-size'] * 2 ** 20, maxTotalBytes: flags['max-context-size'] * 2 ** 20},
        open: (facts) => openHostFiles(facts, {
          filesDir: flags.files,
          sshConfigPath: flags['ssh-config'],
          interactive: !this.jsonEnabled(),
          ssh: {knownHostsPath: flags['known-hosts'], identityFiles: flags.identity ?? [], connectTimeoutMs: parseDuration(flags['connect-timeout']) * 1000},
        }),
        say: (line) => this.say(flags, line),
      })
      results.push(result)
    }
    if (results.some((r) => r.findings.length > 0)) {
      process.exitCode = 1
      this.logToStderr('Some generated Dockerfiles failed their checks (listed above): this is a bug in Hoist; please report it with the plan.')
    }
    return results
  }
}
