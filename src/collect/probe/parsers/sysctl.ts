import type {SysctlSetting} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {parts} from './context.js'

/** Settings the host sets itself in /etc/sysctl.conf and /etc/sysctl.d (later files override). */
export function parseSysctl(lines: string[], ctx: ParseContext): SysctlSetting[] {
  const settings = new Map<string, SysctlSetting>()
  for (const part of parts(lines, ctx)) {
    if (part.tag !== 'FILE') continue
    for (const raw of part.lines) {
      const line = raw.trim().replace(/^-/, '')
      if (!line || line.startsWith('#') || line.startsWith(';')) continue
      const eq = line.indexOf('=')
      if (eq <= 0) continue
      const key = line.slice(0, eq).trim().replace(/\//g, '.')
      settings.set(key, {key, value: line.slice(eq + 1).trim(), source: part.arg})
    }
  }
  return [...settings.values()]
}
