import type {HostFacts} from '../types/facts.js'
import type {Workload} from '../types/inventory.js'
import type {BaseImagePolicy, Plan, Service} from '../types/plan.js'
import {baseImageFor, sameOsImage} from './base-image.js'
import {observedCommand} from './command.js'
import {foreground} from './foreground.js'
import {resources, type SizingPolicy} from './resources.js'

type Notes = Pick<Plan, 'unresolved' | 'decisions'>

/** One workload → one service, with every choice recorded as a decision or an open question. */
export function planService(w: Workload, facts: HostFacts, policy: BaseImagePolicy, sizing: SizingPolicy, notes: Notes): Service {
  const decide = (field: string, decision: string, because: string) => notes.decisions.push({service: w.id, field, decision, because})
  const ask = (question: string) => notes.unresolved.push({service: w.id, question})

  const {baseImage, packages} = baseImageFor(w, facts.os, policy)
  if (baseImage.policy !== policy) decide('baseImage', 'same-os', `the rule ${w.rule} names no official image`)
  if (baseImage.policy === 'same-os' && !sameOsImage(facts.os.id, facts.os.versionId)) ask(`no base image is known for ${facts.os.prettyName || facts.os.id}: choose one`)

  const observed = observedCommand(w, facts)
  decide('command', observed.command.join(' '), `observed: ${observed.source}`)
  if (observed.question) ask(observed.question)
  const container = foreground(w.hints.template, observed.command)
  for (const change of container.changes) decide('command', container.command.join(' '), change)

  const user = w.user ?? 'root'
  const lowPorts = w.ports.filter((p) => p.port < 1024)
  if (user === 'root') {
    if (lowPorts.length > 0) decide('user', 'root', `the original runs as root and binds port ${lowPorts[0]!.port} (below 1024)`)
    else if (!w.schedule) ask('the original runs as root without binding a low port: can it run as an unprivileged user?')
  } else {
    decide('user', user, 'the original runs as this user')
  }
  if (!w.user) ask('the run-as user could not be read (scan with --sudo): confirm it')

  const healthcheck = healthcheckOf(w)
  if (!healthcheck && !w.schedule) ask('no health check could be derived (no port seen): add one')
  if (w.ports.length === 0 && !w.schedule) ask('no listening port was attributed to this service (scan with --sudo to see every owner)')
  for (const s of w.secrets) decide('secrets', s, 'its value was redacted on the host: supply it at run time')
  if (w.confidence < 0.5) ask(`recognised only by the fallback rule ${w.rule} (confidence ${w.confidence}): confirm what it is`)
  for (const b of w.blockers) ask(`${b.severity === 'blocking' ? 'BLOCKER' : 'risk'} (${b.code}): ${b.message}`)

  return {
    name: w.id,
    workload: w.id,
    rule: w.rule,
    kind: w.kind,
    include: true,
    baseImage,
    packages,
    files: filesOf(w, decide),
    volumes: outermost(w.dataPaths.filter((p) => p.seen && !COPIED_ROLES.has(p.role ?? ''))).map((p) => ({path: p.path, role: p.role ?? 'data', ...(p.sizeBytes === undefined ? {} : {sizeBytes: p.sizeBytes})})),
    ports: w.ports.map((p) => ({port: p.port, protocol: p.protocol})).filter((p, i, all) => all.findIndex((q) => q.port === p.port && q.protocol === p.protocol) === i),
    user,
    command: container.command,
    ...(w.workingDirectory ? {workingDir: w.workingDirectory} : {}),
    environment: Object.fromEntries(Object.entries(w.environment).filter(([k]) => !w.secrets.includes(k))),
    secrets: w.secrets,
    capabilities: capabilitiesOf(w, facts, user, decide),
    dependsOn: [...new Set(w.dependencies.filter((d) => d.kind === 'workload').map((d) => d.target))].sort(),
    ...(healthcheck ? {healthcheck} : {}),
    resources: resources(w.processes.map((p) => p.pid), facts, sizing),
    ...(w.schedule ? {schedule: w.schedule.schedule} : {}),
    ...(w.hints.template ? {template: w.hints.template} : {}),
  }
}

/** Data paths with these roles are part of the application: copied into the image, not mounted. */
const COPIED_ROLES = new Set(['application'])
// A working directory under these roots is the application's own folder (not a data or system dir).
const APPLICATION_ROOTS = /^\/(srv|opt|app|home|usr\/local|var\/www)\/[^/]/

function capabilitiesOf(w: Workload, facts: HostFacts, user: string, decide: (field: string, decision: string, because: string) => void): string[] {
  const caps: string[] = []
  const low = w.ports.find((p) => p.port < 1024)
  if (low) {
    caps.push('CAP_NET_BIND_SERVICE')
    decide('capabilities', 'CAP_NET_BIND_SERVICE', `it listens on port ${low.port}, below 1024`)
  }
  const pids = new Set(w.processes.map((p) => p.pid))
  const workers = [...new Set(facts.processes.filter((p) => pids.has(p.pid) && p.user && p.user !== user).map((p) => p.user!))]
  if (user === 'root' && workers.length > 0) {
    // Switching to the workers' user, handing them their folders (nginx chowns its temp paths),
    // opening files they own (Debian's nginx logs are www-data's, mode 0640) and signalling them.
    const added = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_KILL', 'CAP_SETGID', 'CAP_SETUID']
    caps.push(...added)
    decide('capabilities', added.join(', '), `its root master runs workers as ${workers.join(', ')}: it switches to that user, gives it its folders, opens the files it owns and signals it`)
  }
  return caps
}

function filesOf(w: Workload, decide: (field: string, decision: string, because: string) => void): Service['files'] {
  const files = [
    ...w.configPaths.map((p) => ({path: p.path, role: p.role ?? 'config'})),
    ...w.dataPaths.filter((p) => COPIED_ROLES.has(p.role ?? '')).map((p) => ({path: p.path, role: p.role!})),
  ]
  const dir = w.workingDirectory
  if (dir && APPLICATION_ROOTS.test(dir) && !files.some((f) => dir === f.path || dir.startsWith(`${f.path}/`)) && !w.dataPaths.some((p) => p.path === dir)) {
    files.push({path: dir, role: 'application'})
    decide('files', dir, 'the working directory of the original is an application folder')
  }
  return outermost(files)
}

function healthcheckOf(w: Workload): Service['healthcheck'] {
  const hint = w.hints.healthcheck
  const port = w.ports.find((p) => p.protocol === 'tcp')?.port
  if (hint?.command) return {type: 'command', command: hint.command}
  if (hint?.http && port !== undefined) return {type: 'http', port, path: hint.http}
  if (port !== undefined) return {type: 'tcp', port}
  return undefined
}

/** Paths not inside another of the list: copying or mounting /var/lib/postgresql covers 15/main. */
export function outermost<T extends {path: string}>(paths: T[]): T[] {
  const trimmed = paths.map((p) => ({...p, path: p.path.replace(/\/+$/, '') || '/'}))
  return trimmed.filter((p, i) => !trimmed.some((q, j) => j !== i && (p.path.startsWith(`${q.path}/`) || (p.path === q.path && j < i))))
}
