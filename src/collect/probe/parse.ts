import {StringDecoder} from 'node:string_decoder'
import type {HostFacts, HostIdentity, ProbeError, TranscriptEntry} from '../../types/facts.js'
import {FACTS_SCHEMA_VERSION} from '../../types/facts.js'
import {assemble} from './assemble.js'
import {SectionReader, type FramedOutput, type Section} from './framing.js'
import {excerptOf, type ParseContext} from './parsers/context.js'
import {emptySections, SECTION_PARSERS, type ParsedSections, type SectionName} from './sections.js'
import {sectionCommands} from './transcript.js'

export interface ProbeRun {
  sha256: string
  durationMs: number
  /** False when the transport cut the probe off (time or byte cap). */
  complete: boolean
  collectedAt: string
}

/**
 * Turns raw probe output into HostFacts. Never throws on host content: whatever a section's parser
 * cannot read becomes a probeErrors entry, and the other sections are kept.
 */
export function parseProbeOutput(run: ProbeRun & {output: string; nonce: string}, identity: Omit<HostIdentity, 'hostname'>): HostFacts {
  const parser = new ProbeParser(run.nonce)
  parser.push(run.output)
  return parser.finish(run, identity)
}

/**
 * parseProbeOutput for output that is still arriving: each section is parsed as soon as it and
 * every section before it in SECTION_PARSERS order are over, so that most of the parse is done by
 * the time the probe ends.
 */
export class ProbeParser {
  private readonly reader: SectionReader
  private readonly decoder = new StringDecoder('utf8')
  private readonly parsed = emptySections()
  private readonly errors: ProbeError[] = []
  /** Sections over, by name, until parsed. */
  private readonly over = new Map<string, Section>()
  private readonly order = Object.keys(SECTION_PARSERS) as SectionName[]
  private next = 0
  private bytes = 0

  constructor(private readonly nonce: string) {
    this.reader = new SectionReader(nonce, (section) => {
      this.over.set(section.name, section)
      for (let name = this.order[this.next]; name && this.over.has(name); name = this.order[++this.next]) this.parseSection(name, this.over.get(name))
    })
  }

  push(chunk: Buffer | string): void {
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length
    this.reader.push(typeof chunk === 'string' ? chunk : this.decoder.write(chunk))
  }

  finish(run: ProbeRun, identity: Omit<HostIdentity, 'hostname'>): HostFacts {
    this.reader.push(this.decoder.end())
    const framed = this.reader.end()
    for (; this.next < this.order.length; this.next++) this.parseSection(this.order[this.next]!, framed.sections.get(this.order[this.next]!))
    if (!framed.done && run.complete) this.errors.push({section: 'probe', message: 'the probe ended before its last section'})
    const {parsed} = this
    return assemble(parsed, {
      schemaVersion: FACTS_SCHEMA_VERSION,
      host: {...identity, hostname: parsed.meta.hostname || identity.name, probeUid: parsed.meta.uid},
      collectedAt: run.collectedAt || hostClock(parsed) || new Date().toISOString(),
      probe: {
        version: parsed.meta.probeVersion ?? 0,
        sha256: parsed.meta.probeSha256 ?? run.sha256,
        durationMs: Math.round(run.durationMs),
        bytes: this.bytes,
        complete: run.complete && framed.done,
      },
      // Framing notes first, then each section's, in parse order.
      probeErrors: [...framed.errors, ...this.errors],
      transcript: transcript(framed),
    })
  }

  private parseSection(name: SectionName, section: Section | undefined): void {
    const {errors} = this
    if (!section) {
      errors.push({section: name, message: 'the probe printed no such section (cut off, or an older probe)'})
      return
    }
    if (section.exitCode === null && section.endedAt !== undefined) {
      errors.push({section: name, message: 'output was cut at the section\'s size cap (a flooding command): its facts are partial'})
    }
    const ctx: ParseContext = {section: name, nonce: this.nonce, errors}
    try {
      setSection(this.parsed, name, SECTION_PARSERS[name](section.lines, ctx, this.parsed))
    } catch (error) {
      errors.push({
        section: name,
        message: `could not be parsed: ${(error as Error).message}`,
        excerpt: excerptOf(section.lines.slice(0, 3).join('\n')),
      })
    }
  }
}

/** When the host ran the probe, by its own clock (boot time + uptime): for offline snapshots. */
function hostClock(parsed: ParsedSections): string | undefined {
  const {bootTime, uptime} = parsed.meta
  if (bootTime === undefined || uptime === undefined || !Number.isFinite(uptime)) return undefined
  return new Date((bootTime + uptime) * 1000).toISOString()
}

function setSection<K extends SectionName>(parsed: ParsedSections, name: K, value: ParsedSections[K]): void {
  parsed[name] = value
}

function transcript(framed: FramedOutput): TranscriptEntry[] {
  return [...framed.sections.values()].map((s) => ({
    section: s.name,
    commands: sectionCommands(s.name),
    exitCode: s.exitCode,
    bytes: s.bytes,
    truncated: s.exitCode === null,
    ...(s.startedAt !== undefined && s.endedAt !== undefined ? {seconds: Math.round((s.endedAt - s.startedAt) * 100) / 100} : {}),
  }))
}
