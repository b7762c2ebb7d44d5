import {probeTemplate} from './script.js'

let bodies: Map<string, string[]> | undefined

/**
 * The commands a section runs, read from the probe's own source: the body of its `sec_NAME`
 * function, so the transcript can never drift from what was sent.
 */
export function sectionCommands(section: string): string[] {
  bodies ??= functionBodies(probeTemplate())
  return bodies.get(section) ?? []
}

export function functionBodies(script: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const lines = script.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^sec_([a-z]+)\(\) \{$/.exec(lines[i]!)
    if (!m) continue
    const body: string[] = []
    for (i++; i < lines.length && lines[i] !== '}'; i++) {
      const line = lines[i]!.trim()
      if (line && !line.startsWith('#')) body.push(line)
    }
    out.set(m[1]!, body)
  }
  return out
}

/** The names of the sections probe.sh runs, in order. */
export function probeSections(script: string): string[] {
  return [...script.matchAll(/^\s*run_section ([a-z]+) /gm)].map((m) => m[1]!)
}
