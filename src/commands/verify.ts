import {readdir} from 'node:fs/promises'
import {join} from 'node:path'
import {Flags} from '@oclif/core'
import Table from 'cli-table3'
import {HoistCommand, parseDuration} from '../base-command.js'
import {HoistError} from '../errors.js'
import {detectEngine, type EngineName} from '../verify/engine.js'
import {verifyService, type ServiceCheck} from '../verify/verify.js'
import {scannedHosts} from '../workspace/hosts.js'
import {hostPaths} from '../workspace/paths.js'
import {loadArtifacts} from '../workspace/services.js'

export default class VerifyCommand extends HoistCommand {
  static override summary = 'Build and run each generated image with the local engine, and check it answers like the original.'

  static override description = `For each generated service (hosts/<host>/artifacts.json): builds its image with docker, podman or
buildah (whichever works here, or --engine), runs it, and checks it from inside the container: the
health check passes, every exposed port accepts connections, and where \`hoist generate\` recorded
how the original answered (an HTTP GET, a TCP banner, a protocol ping) the container answers the same.
Scheduled jobs are built, not run. Prints a table per service; exits 1 when any check fails.

Secrets: the values redacted on the host are not in the image. Put each in a file named after it in
a folder (--secrets DIR); it is mounted at /run/secrets/NAME, as compose and Kubernetes would.`

  static override examples = [
    '<%= config.bin %> verify',
    '<%= config.bin %> verify --host web01 --service nginx --keep',
    '<%= config.bin %> verify --engine podman --network none --secrets ./secrets',
  ]

  static override flags = {
    host: Flags.string({description: 'Only these hosts (repeatable).', multiple: true}),
    service: Flags.string({description: 'Only these services (repeatable).', multiple: true}),
    engine: Flags.string({description: 'Container engine (default: the first that works of docker, podman, buildah).', options: ['docker', 'podman', 'buildah']}),
    pull: Flags.string({description: 'Base images: "never" uses only local images; "missing" pulls what is not local.', options: ['never', 'missing'], default: 'missing'}),
    network: Flags.string({description: 'Network to run the containers on (the engine\'s --network; checks run inside the container either way).'}),
    secrets: Flags.string({description: 'A folder of files named after the secrets, mounted at /run/secrets/NAME.'}),
    'health-timeout': Flags.string({description: 'How long a service may take to become healthy.', default: '3m'}),
    'build-timeout': Flags.string({description: 'Time limit per image build.', default: '20m'}),
    keep: Flags.boolean({description: 'Leave the containers running after the checks.', default: false}),
  }

  async run(): Promise<ServiceCheck[]> {
    const {flags} = await this.parse(VerifyCommand)
    const engine = await detectEngine(flags.engine as EngineName | undefined)
    this.say(flags, `engine: ${engine.name}${engine.canRun ? '' : ` (${engine.whyCannotRun ?? 'builds only'})`}`)
    const secrets = flags.secrets ? await secretFiles(flags.secrets) : {}
    const hosts = flags.host ?? (await scannedHosts(flags.out))
    const checks: ServiceCheck[] = []
    for (const host of hosts) {
      const artifacts = await loadArtifacts(flags.out, host)
      for (const service of artifacts.services.filter((s) => !flags.service || flags.service.includes(s.name))) {
        this.say(flags, `${host}/${service.name}: building ${service.image} …`)
        const check = await verifyService(engine, service, {
          host, context: join(hostPaths(flags.out, host).dir, service.context), pull: flags.pull as 'never' | 'missing',
          ...(flags.network ? {network: flags.network} : {}), secrets, keep: flags.keep,
          healthTimeoutMs: parseDuration(flags['health-timeout']) * 1000, buildTimeoutMs: parseDuration(flags['build-timeout']) * 1000,
        })
        checks.push(check)
        this.say(flags, `${check.ok ? '✓' : '✗'} ${host}/${service.name}${check.notes.length ? `: ${check.notes.join('; ')}` : ''}`)
      }
    }
    if (checks.length === 0) throw new HoistError('INPUT_MISSING', 'no generated services to verify', 'Run `hoist generate` first (or check --host/--service).')
    this.say(flags, table(checks))
    if (checks.some((c) => !c.ok)) process.exitCode = 1
    return checks
  }
}

async function secretFiles(dir: string): Promise<Record<string, string>> {
  const names = await readdir(dir).catch(() => {
    throw new HoistError('INPUT_MISSING', `cannot read the secrets folder ${dir}`, 'Pass a folder holding one file per secret, named after it.')
  })
  return Object.fromEntries(names.filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)).map((n) => [n, join(dir, n)]))
}

function table(checks: ServiceCheck[]): string {
  const mark = (v: boolean | null) => (v === null ? '–' : v ? 'yes' : 'NO')
  const t = new Table({head: ['service', 'built', 'started', 'healthy', 'ports answer', 'like the original', 'result']})
  for (const c of checks) {
    t.push([`${c.host}/${c.service}`, mark(c.built), mark(c.started), mark(c.healthy), c.ports.map((p) => `${p.port} ${p.ok ? 'yes' : 'NO'}`).join(', ') || '–', mark(c.likeOriginal), c.ok ? 'pass' : 'FAIL'])
  }
  return t.toString()
}
