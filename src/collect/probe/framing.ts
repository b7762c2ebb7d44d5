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
  const reader = new SectionReader(nonce)
  reader.push(text)
  return reader.end()
}

/**
 * splitSections for output that is still arriving: fed chunk by chunk, it hands each section on
 * as soon as the section is over (its END marker, or the next BEGIN when the END is missing), so
 * the parse can run while the host is still probing.
 */
export class SectionReader {
  private readonly marker: string
  private readonly sections = new Map<string, Section>()
  private readonly errors: ProbeError[] = []
  private current: Section | undefined
  private done = false
  /** The pieces of a line not yet ended: kept apart, so that a huge line costs linear time. */
  private pending: string[] = []

  constructor(private readonly nonce: string, private readonly onSectionEnd: (section: Section) => void = () => {}) {
    this.marker = `@@HOIST-${nonce} `
  }

  push(text: string): void {
    let from = 0
    for (let newline = text.indexOf('\n'); newline >= 0; newline = text.indexOf('\n', from)) {
      const piece = text.slice(from, newline)
      if (this.pending.length > 0) {
        this.pending.push(piece)
        this.line(this.pending.join(''))
        this.pending = []
      } else {
        this.line(piece)
      }
      from = newline + 1
    }
    if (from < text.length) this.pending.push(text.slice(from))
  }

  /** No more output: the last line (even unterminated) is read, and a section left open is named. */
  end(): FramedOutput {
    this.line(this.pending.join(''))
    this.pending = []
    const current = this.current
    if (current) {
      this.errors.push({section: current.name, message: 'the probe stopped inside this section (timeout, output cap or lost connection)'})
      trimTrailingBlank(current.lines)
      this.current = undefined
    }
    return {nonce: this.nonce, sections: this.sections, done: this.done, errors: this.errors}
  }

  private line(line: string): void {
    const current = this.current
    if (!line.startsWith(this.marker)) {
      if (current) {
        current.lines.push(line)
        current.bytes += line.length + 1
      }
      return
    }
    const [verb = '', name = '', arg] = line.slice(this.marker.length).split(' ')
    if (verb === 'BEGIN') {
      if (current) {
        this.errors.push({section: current.name, message: 'section has no end marker: its output was cut off'})
        this.finish(current)
      }
      const section: Section = {name, lines: [], exitCode: null, bytes: 0, startedAt: toNumber(arg)}
      // The first of a repeated section counts: it may have been parsed already.
      if (this.sections.has(name)) this.errors.push({section: name, message: 'the probe printed this section twice: the repeat is ignored'})
      else this.sections.set(name, section)
      this.current = section
    } else if (verb === 'RC' && current) {
      current.exitCode = toNumber(name) ?? null
    } else if (verb === 'END' && current) {
      if (name !== current.name) this.errors.push({section: current.name, message: `the end marker of section "${name}" arrived inside it: its output is suspect`})
      current.endedAt = toNumber(arg)
      this.finish(current)
    } else if (verb === 'DONE') {
      this.done = true
    } else if (current) {
      current.lines.push(line)
    }
  }

  private finish(section: Section): void {
    trimTrailingBlank(section.lines)
    this.current = undefined
    if (this.sections.get(section.name) === section) this.onSectionEnd(section)
  }
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
