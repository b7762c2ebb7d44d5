import type {FetchReport} from '../collect/fetch/report.js'
import type {GeneratedService} from '../types/artifacts.js'
import type {HostFacts} from '../types/facts.js'
import type {Plan, Service} from '../types/plan.js'
import {DOCKERIGNORE} from './dockerfile/dockerignore.js'
import {entrypointScript, placeholderFiles} from './dockerfile/entrypoint.js'
import {lintDockerfile} from './dockerfile/lint/index.js'
import type {LintFinding} from './dockerfile/lint/types.js'
import {dockerfileTemplate} from './dockerfile/templates.js'
import {dockerfileView, type DockerfileView} from './dockerfile/view.js'
import {migrationScript} from './migrate.js'

/** A file of a service's build context, relative to its folder. */
export interface ContextFile {
  path: string
  content: string
  mode: number
}

export interface RenderedService {
  files: ContextFile[]
  service: GeneratedService
  findings: LintFinding[]
}

/** Why a service cannot be lifted faithfully, or undefined when it can. */
export function cannotLift(plan: Plan, service: Service): string | undefined {
  if (!service.include) return 'excluded in the plan (include: false)'
  if (service.command.length === 0) return 'the command line is unknown: give it in plan.yaml (command)'
  const open = plan.unresolved.filter((u) => u.service === service.name)
  const blocking = open.find((u) => u.question.startsWith('BLOCKER') || /give (it|the full command)/.test(u.question))
  if (blocking) return `open question in plan.yaml: ${blocking.question}`
  return undefined
}

export function imageName(host: string, service: string): string {
  return `hoist/${host}-${service}:1`.toLowerCase().replace(/[^a-z0-9/:._-]/g, '-')
}

/** One service → its Dockerfile, .dockerignore, entrypoint and migration script, checked. */
export function renderService(plan: Plan, service: Service, facts: HostFacts, fetched: FetchReport | undefined): RenderedService {
  const view = dockerfileView(plan, service, facts, fetched)
  const dockerfile = dockerfileTemplate(service.template ?? 'generic')(view)
  const files: ContextFile[] = [
    {path: 'Dockerfile', content: dockerfile, mode: 0o644},
    {path: '.dockerignore', content: DOCKERIGNORE, mode: 0o644},
  ]
  if (view.base.debian && view.packages.length > 0) files.push({path: 'hoist/apt-preferences', content: aptPreferences(facts), mode: 0o644})
  if (view.entrypoint) {
    files.push({path: 'hoist/entrypoint.sh', content: entrypointScript({service: service.name, envSecrets: service.secrets, files: placeholderFiles(fetched), secretFiles: fetched?.secretFiles ?? []}), mode: 0o755})
  }
  const migrate = migrationScript(service, plan.host)
  if (migrate) files.push({path: 'migrate.sh', content: migrate, mode: 0o755})

  const findings = lintDockerfile(dockerfile, {
    expectedPorts: service.ports,
    originalUser: service.user,
    healthcheckExpected: service.ports.length > 0 || service.healthcheck !== undefined,
    hasDockerignore: true,
  })
  return {files, findings, service: generated(plan, service, view, fetched, Boolean(migrate))}
}

function generated(plan: Plan, service: Service, view: DockerfileView, fetched: FetchReport | undefined, migrates: boolean): GeneratedService {
  return {
    name: service.name,
    kind: service.kind,
    image: imageName(plan.host, service.name),
    context: `services/${service.name}`,
    baseImage: service.baseImage.image,
    ports: service.ports,
    volumes: service.volumes.map((v) => ({name: volumeName(service.name, v.path), path: v.path, role: v.role, ...(v.sizeBytes === undefined ? {} : {sizeBytes: v.sizeBytes})})),
    user: {name: service.user},
    environment: service.environment,
    secrets: [
      ...service.secrets.map((name) => ({name, source: 'environment of the original'})),
      ...dedupe(fetched?.secrets ?? []).map((s) => ({name: s.name, source: `${s.file}:${s.line}`})),
      ...(fetched?.secretFiles ?? []).map((s) => ({name: s.name, source: `file ${s.path}`})),
    ],
    ...(view.healthcheck ? {healthcheck: {test: view.healthcheck.test, intervalSeconds: view.healthcheck.interval, timeoutSeconds: view.healthcheck.timeout, retries: view.healthcheck.retries, startPeriodSeconds: view.healthcheck.startPeriod}} : {}),
    command: view.entrypoint ? [...view.entrypoint, ...service.command] : service.command,
    dependsOn: dependencies(plan, service, fetched),
    capabilities: service.capabilities,
    resources: {cpu: service.resources.cpu, memoryMiB: service.resources.memoryMiB},
    ...(service.schedule ? {schedule: service.schedule} : {}),
    ...(migrates ? {migration: `services/${service.name}/migrate.sh`} : {}),
  }
}

/**
 * Every dpkg package of the host at the host's version, priority 1000: a package apt installs (asked
 * for, or pulled in as a dependency) comes at the host's version when the mirror still has it, and
 * at the release's own otherwise; packages already in the base image are never downgraded.
 */
export function aptPreferences(facts: HostFacts): string {
  const stanzas = facts.packages
    .filter((p) => p.manager === 'dpkg' && /^[a-z0-9][a-z0-9+.-]*$/.test(p.name) && /^[A-Za-z0-9.+~:-]+$/.test(p.version))
    .map((p) => `Package: ${p.name}\nPin: version ${p.version}\nPin-Priority: 1000\n`)
  return stanzas.join('\n')
}

/**
 * The plan's dependencies, and the services whose ports the copied config points at (`port = 5432`
 * in app.conf): probes see only connections open at scan time, configs name the rest.
 */
function dependencies(plan: Plan, service: Service, fetched: FetchReport | undefined): string[] {
  const fromConfig = (fetched?.namedPorts ?? []).flatMap((n) => plan.services.filter((s) => s.name !== service.name && s.ports.some((p) => p.port === n.port)).map((s) => s.name))
  return [...new Set([...service.dependsOn, ...fromConfig])].filter((d) => plan.services.some((s) => s.name === d && s.include)).sort()
}

function dedupe<T extends {name: string}>(items: T[]): T[] {
  return items.filter((item, i) => items.findIndex((other) => other.name === item.name) === i)
}

export function volumeName(service: string, path: string): string {
  return `${service}-${path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9]+/g, '-') || 'root'}`.toLowerCase()
}
