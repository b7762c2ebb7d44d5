import type {HostFacts} from '../types/facts.js'
import type {Workload} from '../types/inventory.js'

export interface ObservedCommand {
  command: string[]
  source: string
  /** Set when the command could not be read as it was run. */
  question?: string
}

/**
 * The command the original really ran. A process's argv is used when it is a real command line;
 * daemons that rewrite their title ("nginx: master process …") are taken from their unit's
 * ExecStart instead. Never guessed: when neither is usable, the plan asks.
 */
export function observedCommand(w: Workload, facts: HostFacts): ObservedCommand {
  if (w.schedule) return {command: w.command, source: `cron ${w.schedule.source}`}
  const root = w.processes[0]
  const process = root ? facts.processes.find((p) => p.pid === root.pid) : undefined
  const argv = process?.argv ?? []
  const arg0 = argv[0] ?? ''
  // A rewritten title: "nginx: master process …", or the whole line in argv[0] (redis).
  const rewritten = /: /.test(arg0) || (argv.length === 1 && /\s/.test(arg0))
  if (argv.length > 0 && !rewritten) return {command: argv, source: `processes[pid=${process!.pid}].argv`}
  const unit = facts.units.find((u) => u.name === w.unit)
  if (unit?.execStart) return {command: splitExec(unit.execStart), source: `units[${unit.name}].ExecStart`}
  if (process?.exe) {
    return {command: [process.exe], source: `processes[pid=${process.pid}].exe`, question: `the process rewrote its title ("${arg0}") and no unit names its command line: give the full command`}
  }
  return {command: argv, source: 'argv', question: 'the command line could not be read: give it'}
}

/** A systemd ExecStart line into words: quotes honoured, the special prefixes (-@:+!) dropped. */
export function splitExec(line: string): string[] {
  const words = line.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g) ?? []
  const out = words.map((w) => (/^["'].*["']$/.test(w) ? w.slice(1, -1) : w))
  if (out[0]) out[0] = out[0].replace(/^[-@:+!]+/, '')
  return out
}
