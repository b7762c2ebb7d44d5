import type {HostFacts, HostIdentity, ProbeError, TranscriptEntry} from '../../types/facts.js'
import {FACTS_SCHEMA_VERSION} from '../../types/facts.js'
import {assemble} from './assemble.js'
import {splitSections, type FramedOutput} from './framing.js'
import {excerptOf, type ParseContext} from './parsers/context.js'
import {emptySections, SECTION_PARSERS, type ParsedSections, type SectionName} from './sections.js'
import {sectionCommands} from './transcript.js'

export interface ProbeRun {
  output: string
  nonce: string
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
export function parseProbeOutput(run: ProbeRun, identity: Omit<HostIdentity, 'hostname'>): HostFacts {
  const framed = splitSections(run.output, run.nonce)
  const errors: ProbeError[] = [...framed.errors]
  const parsed = emptySections()
  for (const name of Object.keys(SECTION_PARSERS) as SectionName[]) {
    const section = framed.sections.get(name)
    if (!section) {
      errors.push({section: name, message: 'the probe printed no such section (cut off, or an older probe)'})
      continue
    }
    if (section.exitCode === null && section.endedAt !== undefined) {
      errors.push({section: name, message: 'output was cut at the section\'s size cap (a flooding command): its facts are partial'})
    }
    const ctx: ParseContext = {section: name, nonce: run.nonce, errors}
    try {
      setSection(parsed, name, SECTION_PARSERS[name](section.lines, ctx, parsed))
    } catch (error) {
      errors.push({
        section: name,
        message: `could not be parsed: ${(error as Error).message}`,
        excerpt: excerptOf(section.lines.slice(0, 3).join('\n')),
      })
    }
  }
  if (!framed.done && run.complete) errors.push({section: 'probe', message: 'the probe ended before its last section'})

  return assemble(parsed, {
    schemaVersion: FACTS_SCHEMA_VERSION,
    host: {...identity, hostname: parsed.meta.hostname || identity.name, probeUid: parsed.meta.uid},
    collectedAt: run.collectedAt || hostClock(parsed) || new Date().toISOString(),
    probe: {
      version: parsed.meta.probeVersion ?? 0,
      sha256: parsed.meta.probeSha256 ?? run.sha256,
      durationMs: Math.round(run.durationMs),
      bytes: Buffer.byteLength(run.output),
      complete: run.complete && framed.done,
    },
    probeErrors: errors,
    transcript: transcript(framed),
  })
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
