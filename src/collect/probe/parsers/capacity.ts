import type {Capacity} from '../../../types/facts.js'
import type {ParseContext} from './context.js'
import {int, note} from './context.js'

export function parseCapacity(lines: string[], ctx: ParseContext): Capacity {
  let cpus = 0
  let cpuModel: string | undefined
  let memoryKb: number | undefined
  let swapKb: number | undefined
  for (const line of lines) {
    if (/^processor\s*:/.test(line)) cpus++
    else if (/^model name\s*:/.test(line)) cpuModel ??= line.slice(line.indexOf(':') + 1).trim()
    else if (line.startsWith('MemTotal:')) memoryKb = int(line.split(/\s+/)[1])
    else if (line.startsWith('SwapTotal:')) swapKb = int(line.split(/\s+/)[1])
  }
  if (cpus === 0) note(ctx, 'no processor lines in /proc/cpuinfo: CPU count unknown')
  if (memoryKb === undefined) note(ctx, 'no MemTotal in /proc/meminfo: memory unknown')
  return {cpus, cpuModel, memoryBytes: (memoryKb ?? 0) * 1024, swapBytes: (swapKb ?? 0) * 1024}
}
