import type {CronEntry, ProcessFact} from '../types/facts.js'
import type {Evidence} from '../types/inventory.js'
import type {Condition, CronMatcher, ProcessMatcher} from '../types/rule.js'
import type {HostIndex} from './host-index.js'
import {test} from './regex.js'

export function matchesProcess(p: ProcessFact, m: ProcessMatcher, index: HostIndex): boolean {
  return (
    test(m.comm, p.comm) &&
    test(m.exe, p.exe) &&
    test(m.argv, p.argv.join(' ')) &&
    test(m.user, p.user) &&
    (m.listening !== true || (index.listenersByPid.get(p.pid)?.length ?? 0) > 0)
  )
}

export function matchesCron(c: CronEntry, m: CronMatcher): boolean {
  return test(m.command, c.command) && test(m.user, c.user) && test(m.source, c.source)
}

/** Whether a host-level condition holds, and the fact that shows it. */
export function holds(c: Condition, index: HostIndex): Evidence | undefined {
  const f = index.facts
  if ('package' in c) {
    const p = f.packages.find((x) => test(c.package.name, x.name) && test(c.package.version, x.version))
    return p && {field: 'match', fact: `packages[${p.name}]`, value: `${p.name} ${p.version}`}
  }
  if ('port' in c) {
    const l = f.listeners.find((x) => x.port === c.port)
    return l && {field: 'match', fact: `listeners[${l.protocol} ${l.address}:${l.port}]`, value: String(l.port)}
  }
  if ('unit' in c) {
    const u = f.units.find((x) => test(c.unit.name, x.name) && test(c.unit.execStart, x.execStart))
    return u && {field: 'match', fact: `units[${u.name}]`, value: u.execStart ?? u.name}
  }
  if ('path' in c) {
    const path = knownPaths(index).find((x) => test(c.path, x))
    return path === undefined ? undefined : {field: 'match', fact: 'paths', value: path}
  }
  if ('os' in c) {
    const ok = test(c.os.id, f.os.id) && test(c.os.versionId, f.os.versionId)
    return ok ? {field: 'match', fact: 'os', value: `${f.os.id} ${f.os.versionId}`} : undefined
  }
  if ('process' in c) {
    const p = f.processes.find((x) => matchesProcess(x, c.process, index))
    return p && {field: 'match', fact: `processes[pid=${p.pid}]`, value: p.argv.join(' ') || p.comm}
  }
  const e = f.cron.find((x) => matchesCron(x, c.cron))
  return e && {field: 'match', fact: `cron[${e.source}]`, value: e.command}
}

/** Paths the host showed to exist: executables, working directories, data paths, unit files, mounts. */
export function knownPaths(index: HostIndex): string[] {
  const f = index.facts
  return [
    ...f.processes.flatMap((p) => [p.exe, p.cwd].filter((x): x is string => Boolean(x))),
    ...f.dataPaths.map((d) => d.path),
    ...f.units.flatMap((u) => [u.path, u.workingDirectory, ...u.environmentFiles].filter((x): x is string => Boolean(x))),
    ...f.mounts.map((m) => m.mountPoint),
  ]
}
