import type {HostFacts} from '../types/facts.js'

export interface TranscriptHeader {
  command: string
  scriptSha256?: string
}

/** transcript.log: what ran on the host, section by section, with the probe's hashes. */
export function renderTranscript(facts: HostFacts, header: TranscriptHeader): string {
  const h = facts.host
  const lines = [
    `# Hoist scan transcript — ${h.name}`,
    `host:             ${h.hostname}${h.target ? ` (target ${h.target})` : ''}`,
    `transport:        ${h.transport}${h.user ? ` as ${h.user}` : ''}${h.sudo ? ' with sudo -n' : ''}`,
    `collected at:     ${facts.collectedAt}`,
    `command:          ${header.command}   (the probe script on its standard input; nothing written on the host)`,
    `probe sha256:     ${facts.probe.sha256}   (probe source, version ${facts.probe.version})`,
    ...(header.scriptSha256 ? [`script sha256:    ${header.scriptSha256}   (the exact script sent)`] : []),
    `duration:         ${facts.probe.durationMs} ms, ${facts.probe.bytes} bytes, ${facts.probe.complete ? 'complete' : 'INCOMPLETE'}`,
    '',
  ]
  for (const t of facts.transcript) {
    lines.push(`## ${t.section}: exit ${t.exitCode ?? 'none (cut off)'}, ${t.bytes} bytes${t.seconds === undefined ? '' : `, ${t.seconds} s`}${t.truncated ? ', truncated' : ''}`)
    for (const c of t.commands) lines.push(`    ${c}`)
    lines.push('')
  }
  if (facts.probeErrors.length > 0) {
    lines.push('## probe errors')
    for (const e of facts.probeErrors) lines.push(`    [${e.section}] ${e.message}${e.excerpt ? ` — ${JSON.stringify(e.excerpt)}` : ''}`)
  }
  return `${lines.join('\n')}\n`
}
