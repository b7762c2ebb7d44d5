import {Document} from 'yaml'
import {shellLine} from '../../shell.js'
import type {Artifacts, GeneratedService} from '../../types/artifacts.js'
import type {HostFacts} from '../../types/facts.js'
import type {Plan} from '../../types/plan.js'
import {
  capabilitiesFor,
  dataPaths,
  type DataPath,
  generatedDependencies,
  healthArgv,
  isScheduled,
  memoryLimitMiB,
  memoryRequestMiB,
  runAs,
} from '../runtime.js'
import type {ComposeFile, ComposeHealthcheck, ComposePort, ComposeService, DependencyCondition} from './types.js'

/** Label holding the cron schedule of a batch service: compose has no scheduler to give it to. */
export const SCHEDULE_LABEL = 'hoist.schedule'
/** The environment variable naming the folder of secret files at `compose up` time. */
const SECRETS_DIR_VARIABLE = 'HOIST_SECRETS_DIR'
export const BATCH_PROFILE = 'batch'

/**
 * Artifacts → compose.yaml as a typed object. `facts`, when given, keeps a port the original served
 * on loopback only published on loopback only, so the move opens nothing the host kept closed.
 */
export function renderCompose(artifacts: Artifacts, plan: Plan, facts?: HostFacts): ComposeFile {
  const loopbackOnly = facts ? loopbackOnlyPorts(facts) : new Set<string>()
  const file: ComposeFile = {name: projectName(artifacts.host), services: {}}
  const paths = dataPaths(artifacts.services)
  for (const service of artifacts.services) {
    const rule = plan.services.find((s) => s.name === service.name)?.rule
    file.services[service.name] = composeService(service, artifacts.services, loopbackOnly, rule, paths)
    for (const secret of service.secrets) {
      file.secrets ??= {}
      // A file in a folder the consultant keeps outside the output folder, named at `up` time (a
      // `file:` source works with every compose implementation; `environment:` does not in
      // podman-compose 1.0, Debian 12's).
      file.secrets[secret.name] = {file: `\${${SECRETS_DIR_VARIABLE}:?set ${SECRETS_DIR_VARIABLE} to the folder holding one file per secret}/${secret.name}`}
    }
  }
  for (const p of paths) {
    file.volumes ??= {}
    file.volumes[p.name] = {labels: {'hoist.services': p.services.join(','), 'hoist.path': literal(p.path), 'hoist.role': p.role}}
  }
  return file
}

function composeService(service: GeneratedService, all: GeneratedService[], loopbackOnly: Set<string>, rule: string | undefined, paths: DataPath[]): ComposeService {
  const batch = isScheduled(service)
  const caps = capabilitiesFor(service)
  const healthcheck = composeHealthcheck(service)
  const deps = generatedDependencies(service, all)
  return {
    build: {context: service.context, dockerfile: 'Dockerfile'},
    image: service.image,
    user: runAs(service),
    // A batch job that exits must not be started again by the engine: that would rerun it at once.
    restart: batch ? 'no' : 'unless-stopped',
    ...(batch ? {profiles: [BATCH_PROFILE]} : {}),
    labels: {'hoist.kind': service.kind, ...(rule ? {'hoist.rule': rule} : {}), ...(batch ? {[SCHEDULE_LABEL]: literal(service.schedule!)} : {})},
    ...(service.ports.length > 0 ? {ports: service.ports.map((p) => publish(p, loopbackOnly))} : {}),
    ...(service.volumes.length > 0 ? {volumes: service.volumes.map((v) => ({type: 'volume' as const, source: paths.find((p) => p.path === v.path)?.name ?? v.name, target: v.path}))} : {}),
    ...(service.secrets.length > 0 ? {secrets: [...new Set(service.secrets.map((s) => s.name))]} : {}),
    ...(healthcheck ? {healthcheck} : {}),
    ...(deps.length > 0 ? {depends_on: Object.fromEntries(deps.map((d) => [d.name, {condition: conditionFor(d)}]))} : {}),
    cap_drop: ['ALL'],
    ...(caps.length > 0 ? {cap_add: caps} : {}),
    deploy: {
      resources: {
        limits: {memory: `${memoryLimitMiB(service)}M`},
        reservations: {cpus: service.resources.cpu, memory: `${memoryRequestMiB(service)}M`},
      },
    },
  }
}

/**
 * Compose interpolates $NAME in every value: a `$` the service needs (a health check's shell
 * `$code`) is written `$$`, or compose would replace it with an empty variable.
 */
function literal(value: string): string {
  return value.split('$').join('$$')
}

/** Wait for a dependency to be healthy when it can say so; otherwise only for it to have started. */
function conditionFor(dependency: GeneratedService): DependencyCondition {
  return healthArgv(dependency) ? 'service_healthy' : 'service_started'
}

function composeHealthcheck(service: GeneratedService): ComposeHealthcheck | undefined {
  const argv = healthArgv(service)
  const check = service.healthcheck
  if (!argv || !check) return undefined
  return {
    // One shell line (CMD-SHELL), not the exec list: podman-compose 1.0 (Debian 12's) joins a CMD
    // list into a broken shell string; every generated image has /bin/sh.
    test: ['CMD-SHELL', literal(shellLine(argv))],
    interval: `${check.intervalSeconds}s`,
    timeout: `${check.timeoutSeconds}s`,
    retries: check.retries,
    start_period: `${check.startPeriodSeconds}s`,
  }
}

function publish(port: {port: number; protocol: 'tcp' | 'udp'}, loopbackOnly: Set<string>): ComposePort {
  const published: ComposePort = {target: port.port, published: String(port.port), protocol: port.protocol}
  if (loopbackOnly.has(`${port.protocol}/${port.port}`)) published.host_ip = '127.0.0.1'
  return published
}

/** protocol/port pairs every listener of which was bound to a loopback address. */
export function loopbackOnlyPorts(facts: HostFacts): Set<string> {
  const wide = new Set<string>()
  const local = new Set<string>()
  for (const l of facts.listeners) {
    const key = `${l.protocol.replace(/6$/, '')}/${l.port}`
    if (isLoopback(l.address)) local.add(key)
    else wide.add(key)
  }
  return new Set([...local].filter((k) => !wide.has(k)))
}

export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address === 'localhost'
}

/** Compose project names: lowercase letters, digits, dashes and underscores, starting alphanumeric. */
export function projectName(host: string): string {
  return host.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'hoist'
}

/** compose.yaml text: a header that says how to supply secrets and run batch jobs, then the file. */
export function serialiseCompose(file: ComposeFile, artifacts?: Artifacts): string {
  const doc = new Document(file, {version: '1.1', aliasDuplicateObjects: false})
  doc.commentBefore = composeHeader(file, artifacts)
  return doc.toString({lineWidth: 0})
}

function composeHeader(file: ComposeFile, artifacts: Artifacts | undefined): string {
  const lines = [` Hoist: compose file for host ${file.name}, one service per generated image (Compose specification).`]
  const secrets = Object.keys(file.secrets ?? {})
  if (secrets.length > 0) {
    lines.push(
      ` Secrets: each is a file in the folder named by $${SECRETS_DIR_VARIABLE}, kept outside this output folder, mounted at`,
      ` /run/secrets/NAME; no value is stored here. Before \`up\`: put ${secrets.join(', ')} there and export ${SECRETS_DIR_VARIABLE}.`,
    )
  }
  const batch = Object.entries(file.services).filter(([, s]) => s.profiles?.includes(BATCH_PROFILE)).map(([name]) => name)
  if (batch.length > 0) {
    lines.push(
      ` Cron-driven services (${batch.join(', ')}) are in profile "${BATCH_PROFILE}" and are NOT scheduled: compose has`,
      ` no scheduler. \`up\` leaves them out; \`compose run --rm NAME\` runs one now. Their original schedule is in`,
      ` label ${SCHEDULE_LABEL}; give it to the scheduler of the target (cron on the host, a Kubernetes CronJob).`,
    )
  }
  for (const s of artifacts?.skipped ?? []) lines.push(` Not generated: ${s.service} (${s.reason})`)
  return lines.join('\n')
}
