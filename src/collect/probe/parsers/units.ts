import type {UnitFact} from '../../../types/facts.js'
import {redactEnv, redactLine, redactLines} from '../../redact.js'
import type {ParseContext} from './context.js'
import {parts, unquote} from './context.js'

/** systemd service units: the unit files (first directory wins, drop-ins merged), their env files, state. */
export function parseUnits(lines: string[], ctx: ParseContext): UnitFact[] {
  const units = new Map<string, UnitFact>()
  const owner = new Map<string, string>()
  const envFiles = new Map<string, Record<string, string>>()
  const active = new Map<string, string>()
  const enabled = new Map<string, boolean>()

  for (const part of parts(lines, ctx)) {
    if (part.tag === '') {
      // Drop-ins override the unit file wherever it lives, but /etc comes first in the probe's
      // output: read every unit file before any drop-in.
      const dropIn = (line: string) => /^[^:]*\.service\.d\/[^:]+\.conf:/.test(line)
      for (const line of part.lines.filter((l) => !dropIn(l))) unitLine(line, units, owner)
      for (const line of part.lines.filter(dropIn)) unitLine(line, units, owner)
    }
    if (part.tag === 'FILE') envFiles.set(part.arg, parseEnvFile(part.lines))
    if (part.tag === 'ACTIVE') {
      for (const line of part.lines) {
        const [name, , state, sub] = line.trim().split(/\s+/)
        if (name?.endsWith('.service')) active.set(name, sub ? `${state}/${sub}` : state ?? '')
      }
    }
    if (part.tag === 'ENABLED') {
      for (const line of part.lines) {
        const [name, state] = line.trim().split(/\s+/)
        if (name?.endsWith('.service') && state) enabled.set(name, state === 'enabled' || state === 'enabled-runtime')
      }
    }
  }
  for (const unit of units.values()) {
    for (const file of unit.environmentFiles) Object.assign(unit.environment, envFiles.get(file.replace(/^-/, '')) ?? {})
    unit.environment = redactEnv(unit.environment)
    unit.active = active.get(unit.name)
    unit.enabled = enabled.get(unit.name)
  }
  return [...units.values()].sort((a, b) => a.name.localeCompare(b.name))
}

function unitLine(line: string, units: Map<string, UnitFact>, owner: Map<string, string>): void {
  const m = /^(\/[^:]*\/)([^/:]+\.service)(\.d\/[^:]+\.conf)?:([A-Za-z]+)=(.*)$/.exec(line)
  if (!m) return
  const [, dir, name, dropIn, key, value] = m as unknown as [string, string, string, string | undefined, string, string]
  // The first directory that holds the unit file is the one systemd uses; drop-ins add to it.
  if (!dropIn) {
    const first = owner.get(name)
    if (first && first !== dir) return
    owner.set(name, dir)
  }
  const unit = units.get(name) ?? {name, kind: 'systemd', path: `${dir}${name}`, environmentFiles: [], environment: {}}
  units.set(name, unit)
  switch (key) {
    case 'Description':
      unit.description = value
      break
    case 'ExecStart':
      if (value.trim()) unit.execStart = redactLine(value)
      break
    case 'User':
      unit.user = value.trim()
      break
    case 'Group':
      unit.group = value.trim()
      break
    case 'WorkingDirectory':
      unit.workingDirectory = value.trim()
      break
    case 'EnvironmentFile':
      if (value.trim()) unit.environmentFiles.push(value.trim())
      break
    case 'Environment':
      Object.assign(unit.environment, systemdAssignments(value))
      break
  }
}

/** `Environment="A=b c" D=e`: space-separated assignments, each optionally quoted. */
export function systemdAssignments(value: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const token of value.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g) ?? []) {
    const assignment = unquote(token)
    const eq = assignment.indexOf('=')
    if (eq > 0) out[assignment.slice(0, eq)] = assignment.slice(eq + 1)
  }
  return out
}

/** An EnvironmentFile or /etc/default file: KEY=value lines, `export` and quotes allowed. */
export function parseEnvFile(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of redactLines(lines)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line)
    if (m) out[m[1]!] = unquote(m[2]!)
  }
  return out
}
