import type {UnitFact} from '../../../types/facts.js'
import {redactLine} from '../../redact.js'
import type {ParseContext} from './context.js'
import {parts, unquote} from './context.js'

// Files in /etc/init.d that start nothing: RHEL's shared `functions`, Debian's template and runners.
const NOT_SERVICES = new Set(['README', 'functions', 'skeleton', 'rc', 'rcS'])

/** SysV and OpenRC scripts under /etc/init.d, with the variables that say what they start. */
export function parseInitScripts(lines: string[], ctx: ParseContext): UnitFact[] {
  const byTag = new Map(parts(lines, ctx).map((p) => [p.tag, p.lines]))
  const enabled = new Set<string>()
  for (const line of byTag.get('RUNLEVELS') ?? []) {
    const m = /^S\d\d(.+)$/.exec(line.trim())
    if (m) enabled.add(m[1]!)
    else if (line.trim() && !line.endsWith(':')) enabled.add(line.trim())
  }
  const vars = new Map<string, Record<string, string>>()
  for (const line of byTag.get('VARS') ?? []) {
    const m = /^\/etc\/init\.d\/([^:]+):\s*([A-Za-z_]+)=(.*)$/.exec(line)
    if (!m) continue
    const v = vars.get(m[1]!) ?? {}
    v[m[2]!] ??= unquote(redactLine(m[3]!))
    vars.set(m[1]!, v)
  }
  const units: UnitFact[] = []
  for (const name of byTag.get('SCRIPTS') ?? []) {
    const script = name.trim()
    if (!script || script.startsWith('.') || NOT_SERVICES.has(script) || script.endsWith('.sh')) continue
    const v = vars.get(script) ?? {}
    const openrc = 'command' in v
    const daemon = v.command ?? v.DAEMON
    const args = v.command_args ?? v.DAEMON_ARGS ?? v.DAEMON_OPTS
    units.push({
      name: script,
      kind: openrc ? 'openrc' : 'sysv',
      path: `/etc/init.d/${script}`,
      description: v.DESC,
      execStart: daemon ? [daemon, args].filter(Boolean).join(' ') : undefined,
      user: v.command_user?.split(':')[0] ?? v.USER,
      workingDirectory: v.directory,
      environmentFiles: [],
      environment: {},
      enabled: enabled.has(script),
    })
  }
  return units
}
