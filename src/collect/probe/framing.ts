import type {ProbeError} from '../../types/facts.js'

/** One section of probe output, as framed by `run_section` in probe.sh. */
export interface Section {
  name: string
  lines: string[]
  /** The section's own exit status; null when its trailer never arrived (cut off or capped). */
  exitCode: number | null
  bytes: number
  startedAt?: number
  endedAt?: number
}

export interface FramedOutput {
  nonce: string
  sections: Map<string, Section>
  /** The probe printed its final DONE marker. */
  done: boolean
  errors: ProbeError[]
}

const FIRST = /^@@HOIST-([0-9a-f]{16}) BEGIN meta\b/m

/** The nonce of a probe output, read from its first marker; undefined when it is no probe output. */
export function findNonce(text: string): string | undefined {
  return FIRST.exec(text.slice(0, 4096))?.[1]
}

/**
 * Splits probe output into sections. Only lines that start with this run's marker count as
 * framing, so content from the host cannot open, close or fake a section.
 */
export function splitSections(text: string, nonce: string): FramedOutput {
  const marker = `@@HOIST-${nonce} `
  const sections = new Map<string, Section>()
  const errors: ProbeError[] = []
  let current: Section | undefined
  let done = false

  for (const line of text.split('\n')) {
    if (!line.startsWith(marker)) {
      if (current) {
        current.lines.push(line)
        current.bytes += line.length + 1
      }
      continue
    }
    const [verb = '', name = '', arg] = line.slice(marker.length).split(' ')
    if (verb === 'BEGIN') {
      if (current) errors.push({section: current.name, message: 'section has no end marker: its output was cut off'})
      current = {name, lines: [], exitCode: null, bytes: 0, startedAt: toNumber(arg)}
      sections.set(name, current)
    } else if (verb === 'RC' && current) {
      current.exitCode = toNumber(name) ?? null
    } else if (verb === 'END' && current) {
      if (name !== current.name) errors.push({section: current.name, message: `the end marker of section "${name}" arrived inside it: its output is suspect`})
      current.endedAt = toNumber(arg)
      trimTrailingBlank(current.lines)
      current = undefined
    } else if (verb === 'DONE') {
      done = true
    } else if (current) {
      current.lines.push(line)
    }
  }
  if (current) {
    errors.push({section: current.name, message: 'the probe stopped inside this section (timeout, output cap or lost connection)'})
    trimTrailingBlank(current.lines)
  }
  return {nonce, sections, done, errors}
}

/** A section's lines split at its inner markers (`$M TAG arg`), e.g. STAT, FILE /etc/crontab. */
export interface Part {
  tag: string
  arg: string
  lines: string[]
}

export function splitParts(lines: string[], nonce: string, first = ''): Part[] {
  const marker = `@@HOIST-${nonce} `
  const parts: Part[] = [{tag: first, arg: '', lines: []}]
  for (const line of lines) {
    if (line.startsWith(marker)) {
      const rest = line.slice(marker.length)
      const space = rest.indexOf(' ')
      parts.push(space < 0 ? {tag: rest, arg: '', lines: []} : {tag: rest.slice(0, space), arg: rest.slice(space + 1), lines: []})
    } else {
      parts[parts.length - 1]!.lines.push(line)
    }
  }
  return parts
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

function trimTrailingBlank(lines: string[]): void {
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
}
