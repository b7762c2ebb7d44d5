import type {ProcessFact} from '../../../types/facts.js'
import {redactArgv} from '../../redact.js'
import type {ParseContext} from './context.js'
import {int, note, parts} from './context.js'
import type {MetaSection} from './meta.js'
import {elements, pidRecords, procLinks} from './records.js'

const PF_KTHREAD = 0x00200000

export function parseProcesses(lines: string[], ctx: ParseContext, meta: MetaSection): ProcessFact[] {
  const byTag = new Map(parts(lines, ctx).map((p) => [p.tag, p.lines]))
  const processes = new Map<number, ProcessFact>()
  let bad = 0
  for (const line of byTag.get('STAT') ?? []) {
    const fact = statLine(line, meta)
    if (fact === 'kernel') continue
    if (!fact) {
      if (line.trim()) bad++
      continue
    }
    processes.set(fact.pid, fact)
  }
  if (bad > 0) note(ctx, `${bad} unreadable /proc/PID/stat lines were skipped`)

  // One grep prints both status and cgroup lines under STATUS; probes before 2026-11 had a CGROUP part.
  const statusAndCgroup = [...(byTag.get('STATUS') ?? []), ...(byTag.get('CGROUP') ?? [])]
  for (const {pid, rest} of pidRecords(statusAndCgroup, 'status')) {
    const p = processes.get(pid)
    const [key, value] = rest.split(/:\s*/, 2)
    if (!p || value === undefined) continue
    if (key === 'Uid') p.uid = int(value.split(/\s+/)[0])
    if (key === 'Threads') p.threads = int(value)
  }
  for (const [key, target] of procLinks(byTag.get('LINKS') ?? [])) {
    const [pid, link] = key.split('/')
    const p = processes.get(Number(pid))
    if (!p) continue
    if (link === 'exe') {
      // The binary was replaced (an upgrade) since the process started: what runs is not on disk.
      p.exe = target.replace(/ \(deleted\)$/, '')
      if (p.exe !== target && !p.exe.startsWith('/memfd:')) note(ctx, `process ${p.pid} (${p.comm}) runs a deleted executable: ${p.exe} was replaced since it started`)
    }
    if (link === 'cwd') p.cwd = target
  }
  for (const {pid, rest} of pidRecords(statusAndCgroup, 'cgroup')) {
    const p = processes.get(pid)
    if (!p) continue
    const path = rest.split(':').slice(2).join(':')
    if (rest.startsWith('0::') || rest.includes(':name=systemd:') || !p.cgroup) p.cgroup = path
    const unit = /\/([^/]+\.service)(?:\/|$)/.exec(path)?.[1]
    if (unit) p.unit = unit
  }
  for (const {pid, rest} of pidRecords(byTag.get('CMDLINE') ?? [], 'cmdline')) {
    const p = processes.get(pid)
    if (!p) continue
    // Daemons that rewrite their title (postgres, redis, sshd) leave NUL padding: empty tail elements.
    const argv = elements(rest)
    while (argv.length > 1 && argv[argv.length - 1] === '') argv.pop()
    p.argv = redactArgv(argv)
  }
  return [...processes.values()].sort((a, b) => a.pid - b.pid)
}

/** One /proc/PID/stat line. The command name may hold spaces and parentheses: split at the last ')'. */
function statLine(line: string, meta: MetaSection): ProcessFact | 'kernel' | undefined {
  const open = line.indexOf(' (')
  const close = line.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  const pid = int(line.slice(0, open))
  const f = line.slice(close + 2).split(' ')
  const ppid = int(f[1])
  const flags = int(f[6])
  if (pid === undefined || ppid === undefined || f.length < 22) return undefined
  if (pid === 2 || ppid === 2 || (flags !== undefined && (flags & PF_KTHREAD) !== 0)) return 'kernel'
  const ticks = (int(f[11]) ?? 0) + (int(f[12]) ?? 0)
  const start = int(f[19])
  return {
    pid,
    ppid,
    comm: line.slice(open + 2, close),
    argv: [],
    rssBytes: Math.max(0, int(f[21]) ?? 0) * meta.pageSize,
    cpuSeconds: Math.round((ticks / meta.clockTicks) * 100) / 100,
    startedAt:
      start === undefined || meta.bootTime === undefined
        ? undefined
        : new Date((meta.bootTime + start / meta.clockTicks) * 1000).toISOString(),
  }
}
