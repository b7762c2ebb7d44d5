import type {ProcessFact, UnitFact} from '../types/facts.js'
import type {Evidence, PathRef, Workload} from '../types/inventory.js'
import type {Rule} from '../types/rule.js'
import {captureVars} from './capture.js'
import type {HostIndex} from './host-index.js'
import {test} from './regex.js'
import {render, type Vars} from './template.js'

/** Environment entries that describe the login, not the application: left out of the workload. */
const SESSION_ENV = new Set(['_', 'SHLVL', 'PWD', 'OLDPWD', 'TERM', 'SHELL', 'LOGNAME', 'USER', 'HOME', 'MAIL', 'SSH_CLIENT', 'SSH_CONNECTION', 'SSH_TTY', 'INVOCATION_ID', 'JOURNAL_STREAM', 'NOTIFY_SOCKET', 'SYSTEMD_EXEC_PID', 'MANAGERPID', 'LISTEN_PID', 'LISTEN_FDS'])

export interface Claim {
  rule: Rule
  root?: ProcessFact
  pids: number[]
  cron?: {schedule: string; source: string; command: string; user?: string}
  evidence: Evidence[]
}

/** Builds one workload from a rule's claim: fields from the facts, each with the fact it came from. */
export function buildWorkload(claim: Claim, index: HostIndex): Omit<Workload, 'id' | 'dependencies' | 'blockers'> {
  const {rule, root} = claim
  const f = index.facts
  const unit = unitOf(root, index)
  const {vars, evidence} = captureVars(rule, root, unit, index, claim.cron?.command)
  evidence.unshift(...claim.evidence)
  const ev = (field: string, fact: string, value: string) => evidence.push({field, fact, value})

  const name = render(rule.emit.name, vars) ?? rule.id.split('/')[1]!
  const ports = claim.pids.flatMap((pid) =>
    (index.listenersByPid.get(pid) ?? []).map((l) => {
      ev('ports', `listeners[${l.protocol} ${l.address}:${l.port}]`, `pid ${pid}`)
      return {protocol: l.protocol.startsWith('udp') ? ('udp' as const) : ('tcp' as const), port: l.port, address: l.address}
    }),
  )
  const env = Object.fromEntries(Object.entries(root?.env ?? unit?.environment ?? {}).filter(([k]) => !SESSION_ENV.has(k)))
  const command = root ? root.argv : claim.cron ? ['sh', '-c', claim.cron.command] : []
  if (root) ev('command', `processes[pid=${root.pid}].argv`, root.argv.join(' '))
  if (claim.cron) ev('schedule', `cron[${claim.cron.source}]`, `${claim.cron.schedule} ${claim.cron.command}`)
  const user = root?.user ?? claim.cron?.user ?? unit?.user
  if (user) ev('user', root ? `processes[pid=${root.pid}].user` : `cron[${claim.cron?.source}]`, user)
  const version = render(rule.emit.version ?? '{{version|upstream}}', vars)
  const packages = (rule.emit.packages ?? []).flatMap((pattern) => index.packages.filter((p) => test(pattern, p.name)))
  for (const p of packages) ev('packages', `packages[${p.name}]`, p.version)

  return {
    rule: rule.id,
    kind: rule.kind,
    name,
    ...(version ? {version} : {}),
    ...(rule.emit.runtime ? {runtime: {name: render(rule.emit.runtime.name, vars) ?? rule.emit.runtime.name, ...optional('version', render(rule.emit.runtime.version ?? '', vars))}} : {}),
    processes: claim.pids.map((pid) => index.byPid.get(pid)!).map((p) => ({pid: p.pid, comm: p.comm, argv: p.argv})),
    ...(claim.cron ? {schedule: {schedule: claim.cron.schedule, source: claim.cron.source, command: claim.cron.command}} : {}),
    ...optional('unit', unit?.name),
    ...optional('user', user),
    ports: dedupePorts(ports),
    configPaths: paths(rule.emit.configPaths ?? [], vars, index),
    dataPaths: paths(rule.emit.dataPaths ?? [], vars, index),
    logPaths: paths(rule.emit.logPaths ?? [], vars, index),
    ...optional('workingDirectory', root?.cwd && root.cwd !== '/' ? root.cwd : unit?.workingDirectory),
    command,
    environment: env,
    secrets: Object.entries(env).filter(([, v]) => v.includes('<redacted>')).map(([k]) => k).sort(),
    packages: packages.map((p) => ({name: p.name, version: p.version})),
    confidence: rule.confidence ?? 0.9,
    evidence,
    hints: {
      ...optional('healthcheck', rule.emit.healthcheck),
      ...optional('officialImage', rule.emit.officialImage ? render(rule.emit.officialImage, vars) : undefined),
      ...optional('template', rule.emit.template),
    },
  }
}

function optional<K extends string, V>(key: K, value: V | undefined): {[P in K]?: V} {
  return (value === undefined || value === '' ? {} : {[key]: value}) as {[P in K]?: V}
}

/**
 * The unit that runs a process: from its cgroup; else a unit whose ExecStart program is the
 * process's executable or its argv[0] (symlinked daemons: redis-server → redis-check-rdb).
 */
function unitOf(root: ProcessFact | undefined, index: HostIndex): UnitFact | undefined {
  if (!root) return undefined
  const units = index.facts.units
  if (root.unit) return units.find((u) => u.name === root.unit)
  const programs = new Set([root.exe, root.argv[0]?.split(/\s/)[0]].filter(Boolean))
  return units.find((u) => u.kind === 'systemd' && u.execStart && programs.has(u.execStart.split(/\s+/)[0]!.replace(/^[-@+!:]+/, '')))
}

function paths(entries: (string | {path: string; role?: string})[], vars: Vars, index: HostIndex): PathRef[] {
  const out: PathRef[] = []
  for (const entry of entries) {
    const spec = typeof entry === 'string' ? {path: entry} : entry
    const path = render(spec.path, vars)
    if (!path || out.some((p) => p.path === path)) continue
    const sized = index.facts.dataPaths.find((d) => d.path === path)
    const seen = sized !== undefined || index.facts.processes.some((p) => p.cwd === path || p.exe?.startsWith(`${path}/`)) ||
      index.facts.units.some((u) => u.path?.startsWith(path) || u.environmentFiles.includes(path))
    out.push({path, ...optional('role', spec.role), ...optional('sizeBytes', sized?.sizeBytes), seen})
  }
  return out
}

function dedupePorts<T extends {protocol: string; port: number}>(ports: T[]): T[] {
  const seen = new Set<string>()
  return ports.filter((p) => !seen.has(`${p.protocol}/${p.port}`) && seen.add(`${p.protocol}/${p.port}`))
}
