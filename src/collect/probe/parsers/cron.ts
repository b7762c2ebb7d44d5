import type {CronEntry} from '../../../types/facts.js'
import {redactLine} from '../../redact.js'
import type {ParseContext} from './context.js'
import {note, parts} from './context.js'

const SYSTEM_CRONTABS = /^\/etc\/(crontab|cron\.d\/.+)$/
const NAMED = /^@(reboot|yearly|annually|monthly|weekly|daily|midnight|hourly)$/

/** Crontabs (system, per user, the scan user's own), anacron, periodic scripts and systemd timers. */
export function parseCron(lines: string[], ctx: ParseContext, probeUser?: string): CronEntry[] {
  const entries: CronEntry[] = []
  const timers = new Map<string, {dir: string; schedule: string[]; unit?: string}>()
  const userCrontabs = new Set<string>()
  let enabledTimers: Set<string> | undefined
  for (const part of parts(lines, ctx)) {
    if (part.tag === 'UNREADABLE') note(ctx, `unreadable without --sudo: ${part.arg}`)
    else if (part.tag === 'FILE') {
      // One crontab per user: Alpine links /var/spool/cron/crontabs to /etc/crontabs, and
      // `crontab -l` repeats the scan user's own, so the same file can arrive more than once.
      const user = perUserCrontab(part.arg)
      if (user !== undefined && userCrontabs.has(user)) continue
      if (user !== undefined) userCrontabs.add(user)
      entries.push(...crontab(part.arg, part.lines))
    } else if (part.tag === 'OWN') {
      if (probeUser !== undefined && userCrontabs.has(probeUser)) continue
      entries.push(...crontab(`crontab -l (${probeUser ?? 'scan user'})`, part.lines, probeUser))
    } else if (part.tag === 'PERIODIC') {
      for (const path of part.lines) {
        const m = /^\/etc\/(?:cron\.|periodic\/)(hourly|daily|weekly|monthly|15min)\/(.+)$/.exec(path.trim())
        if (m) entries.push({kind: 'periodic', source: path.trim(), user: 'root', schedule: `@${m[1]}`, command: path.trim()})
      }
    } else if (part.tag === 'TIMERS') {
      for (const line of part.lines) {
        const m = /^(.*\/)?([^/:]+\.timer):(OnCalendar|OnBootSec|OnUnitActiveSec|Unit)=(.*)$/.exec(line)
        if (!m) continue
        const [, dir = '', name, key, value] = m as unknown as [string, string | undefined, string, string, string]
        // The first directory that holds the timer is the one systemd uses (/lib is often /usr/lib).
        const timer = timers.get(name) ?? {dir, schedule: []}
        if (timer.dir !== dir) continue
        if (key === 'Unit') timer.unit = value.trim()
        else timer.schedule.push(`${key}=${value.trim()}`)
        timers.set(name, timer)
      }
    } else if (part.tag === 'TIMERS-ENABLED') {
      enabledTimers = new Set(part.lines.map((l) => l.trim()).filter(Boolean))
    }
  }
  for (const [name, timer] of timers) {
    if (enabledTimers && !enabledTimers.has(name)) continue
    entries.push({kind: 'systemd-timer', source: name, schedule: timer.schedule.join('; '), command: timer.unit ?? name.replace(/\.timer$/, '.service')})
  }
  return entries
}

/** The owner of a per-user crontab (a file in a spool directory), undefined for system crontabs. */
function perUserCrontab(source: string): string | undefined {
  if (SYSTEM_CRONTABS.test(source) || source === '/etc/anacrontab') return undefined
  return source.split('/').pop()
}

/** One crontab. System crontabs have a user column; per-user ones take the user from the file name. */
function crontab(source: string, lines: string[], owner?: string): CronEntry[] {
  const system = SYSTEM_CRONTABS.test(source)
  const anacron = source === '/etc/anacrontab'
  const user = owner ?? (system || anacron ? undefined : source.split('/').pop())
  const out: CronEntry[] = []
  for (const raw of lines) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue
    const f = line.split(/\s+/)
    if (anacron) {
      if (f.length >= 4) out.push({kind: 'cron', source, user: 'root', schedule: f[0]!.startsWith('@') ? `anacron ${f[0]}` : `anacron every ${f[0]} days`, command: redactLine(f.slice(3).join(' '))})
      continue
    }
    const named = NAMED.test(f[0] ?? '')
    const timeFields = named ? 1 : 5
    if (!named && !f.slice(0, 5).every((x) => /^[\d*/,\-A-Za-z]+$/.test(x))) continue
    const rest = f.slice(timeFields)
    const entryUser = system ? rest.shift() : user
    if (rest.length === 0) continue
    out.push({kind: 'cron', source, user: entryUser, schedule: f.slice(0, timeFields).join(' '), command: redactLine(rest.join(' '))})
  }
  return out
}
