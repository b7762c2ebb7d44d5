import type {FetchReport} from '../../collect/fetch/report.js'
import type {HostFacts} from '../../types/facts.js'
import type {Plan, Service} from '../../types/plan.js'
import {shellWord} from '../../shell.js'
import {placeholderFiles} from './entrypoint.js'
import {accountCommands, packageFamily, type PackageFamily} from './accounts.js'
import {healthcheckOf, type RenderedHealthcheck} from './healthcheck.js'
import {ownershipCommands} from './ownership.js'

export const ENTRYPOINT_PATH = '/usr/local/lib/hoist/entrypoint.sh'

/** Everything a Dockerfile template reads. Every field is always present (templates are strict). */
export interface DockerfileView {
  host: string
  service: {name: string; kind: string; rule: string; user: string}
  /** The run-as user's primary group. */
  group: string
  base: {image: string; debian: boolean; rpm: boolean; alpine: boolean}
  packages: string[]
  accounts: string[]
  copy: boolean
  ownership: string[]
  directories: string[]
  /** Folders the application's files name that were not copied (data of another service, too large). */
  named: string[]
  entrypoint: string[] | null
  user: string | null
  workdir: string | null
  env: string[]
  ports: string[]
  volumes: string[]
  healthcheck: RenderedHealthcheck | null
  command: string[]
  /** Plan field → where it came from, printed above the instructions it produced. */
  trace: Record<string, string>
}

/** One service of the plan, with what was fetched for it, as the view its template renders. */
export function dockerfileView(plan: Plan, service: Service, facts: HostFacts, fetched: FetchReport | undefined): DockerfileView {
  const family: PackageFamily = service.baseImage.policy === 'same-os' ? packageFamily(plan.os.id) : 'none'
  const because = (field: string) => plan.decisions.filter((d) => d.service === service.name && d.field === field).map((d) => d.because)
  const field = (name: string, what: string, fallback: string) => {
    const reasons = because(name)
    return `services.${service.name}.${name} — ${what}${reasons.length ? ` (${[...new Set(reasons)].join('; ')})` : fallback ? ` (${fallback})` : ''}`
  }
  const group = primaryGroup(service.user, facts)
  const secretsNeeded = service.secrets.length > 0 || (fetched?.secrets.length ?? 0) > 0 || (fetched?.secretFiles.length ?? 0) > 0
  const healthcheck = service.healthcheck ? healthcheckOf(service.healthcheck, family) : null
  const owners = fetched ? ownershipCommands(fetched, facts, service.user === 'root' ? [] : placeholderFiles(fetched).map((file) => ({path: file, user: service.user, group}))) : []

  return {
    host: plan.host,
    service: {name: service.name, kind: service.kind, rule: service.rule, user: service.user},
    group,
    base: {image: service.baseImage.image, debian: family === 'apt', rpm: family === 'yum', alpine: family === 'apk'},
    // apt: the versions come from hoist/apt-preferences (every package at the host's version, the
    // dependencies too, falling back to the release's own when the mirror no longer has it).
    packages: family === 'none' ? [] : service.packages.map((p) => (family === 'apt' ? p.name : pinned(family, p))),
    accounts: accountCommands(family, service.user, fetched, facts),
    copy: Boolean(fetched && (fetched.files.length > 0 || fetched.dirs.length > 0 || fetched.symlinks.length > 0)),
    ownership: owners,
    directories: service.volumes.map((v) => (service.user === 'root' ? `mkdir -p ${shellWord(v.path)}` : `{ [ -d ${shellWord(v.path)} ] || install -d -o ${service.user} -g ${group} ${shellWord(v.path)}; }`)),
    named: [
      ...(fetched?.discovered ?? []).filter((d) => d.type === 'dir' && !d.copied && !service.volumes.some((v) => d.path === v.path || d.path.startsWith(`${v.path}/`))).map((d) => `mkdir -p ${shellWord(d.path)}`),
      ...(fetched?.runtimeDirs ?? []).map((d) => (service.user === 'root' ? `mkdir -p ${shellWord(d.path)}` : `install -d -o ${service.user} -g ${group} ${shellWord(d.path)}`)),
    ],
    entrypoint: secretsNeeded ? [ENTRYPOINT_PATH] : null,
    user: service.user === 'root' ? null : service.user,
    workdir: service.workingDir ?? null,
    env: Object.entries(service.environment).filter(([name, value]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !/[\0-\x1f\x7f]/.test(value)).map(([name, value]) => `${name}="${dockerQuote(value)}"`),
    ports: service.ports.map((p) => `${p.port}/${p.protocol}`),
    volumes: service.volumes.map((v) => v.path),
    healthcheck,
    command: service.command,
    trace: {
      baseImage: field('baseImage', `${service.baseImage.image}, policy ${service.baseImage.policy}`, service.baseImage.policy === 'same-os' ? `the host runs ${plan.os.id} ${plan.os.versionId}` : ''),
      packages: field('packages', service.packages.map((p) => `${p.name}=${p.version}`).join(' '), `at the versions the host runs${family === 'apt' ? ', pinned for them and their dependencies in /etc/apt/preferences.d/hoist-host-versions' : ''}; facts: packages`),
      user: field('user', service.user, 'facts: processes[].user'),
      files: field('files', service.files.map((f) => f.path).join(', ') || 'none', `copied read-only from the host; ${fetched ? `${fetched.files.length} file(s), ${fetched.bytes} bytes, secrets replaced by placeholders` : 'not fetched'}`),
      'files.owner': field('files', 'owners and groups as on the host', 'facts: users, groups'),
      volumes: field('volumes', service.volumes.map((v) => `${v.path} (${v.role})`).join(', '), 'data paths: migrate them with migrate.sh at cut-over'),
      named: `services.${service.name}.files — folders named in the copied files, created empty: ${[
        ...(fetched?.discovered ?? []).filter((d) => d.type === 'dir' && !d.copied).map((d) => `${d.path} (named in ${d.namedIn.file}:${d.namedIn.line}; ${d.reason ?? 'not copied'}; mount its data if the application needs it)`),
        ...(fetched?.runtimeDirs ?? []).map((d) => `${d.path} (logs or runtime files, named in ${d.namedIn.file}:${d.namedIn.line})`),
      ].join(', ')}`,
      secrets: field('secrets', [...new Set([...service.secrets, ...(fetched?.secrets.map((s) => s.name) ?? [])])].join(', ') || 'secret files', 'redacted on the host: supplied at run time as /run/secrets/NAME or $NAME'),
      workingDir: field('workingDir', service.workingDir ?? '', 'facts: processes[].cwd'),
      environment: field('environment', Object.keys(service.environment).join(', '), 'facts: processes[].env (secrets left out)'),
      ports: field('ports', service.ports.map((p) => `${p.port}/${p.protocol}`).join(' '), 'facts: listeners'),
      healthcheck: field('healthcheck', service.healthcheck ? service.healthcheck.type : 'none', 'from the rule and the observed ports'),
      command: field('command', service.command.join(' '), ''),
    },
  }
}

function pinned(family: PackageFamily, p: {name: string; version: string}): string {
  if (!p.version) return p.name
  return family === 'yum' ? `${p.name}-${p.version}` : `${p.name}=${p.version}`
}

function primaryGroup(user: string, facts: HostFacts): string {
  const account = facts.users.find((u) => u.name === user)
  return (account && facts.groups.find((g) => g.gid === account.gid)?.name) ?? user
}

/** A value inside ENV "…": Docker unescapes \\ and \", and expands $ unless escaped. */
function dockerQuote(value: string): string {
  return value.replace(/[\\"$]/g, (c) => `\\${c}`)
}
