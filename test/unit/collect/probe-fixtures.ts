import {readFileSync} from 'node:fs'
import {parseProbeOutput} from '../../../src/collect/probe/parse.js'
import type {HostFacts} from '../../../src/types/facts.js'

/** The nonce every fixture under test/fixtures/probe/ was made with. */
export const FIXTURE_NONCE = '0123456789abcdef'
export const MARKER = `@@HOIST-${FIXTURE_NONCE}`

export type FixtureName = 'debian12' | 'rhel8' | 'alpine318'

const cache = new Map<FixtureName, string>()

export function readFixture(name: FixtureName): string {
  let text = cache.get(name)
  if (text === undefined) {
    text = readFileSync(new URL(`../../fixtures/probe/${name}.txt`, import.meta.url), 'utf8')
    cache.set(name, text)
  }
  return text
}

export interface ParseOptions {
  complete?: boolean
  nonce?: string
}

/** Parses probe output as `hoist scan` does once the transport has handed it over. */
export function parseOutput(output: string, options: ParseOptions = {}): HostFacts {
  return parseProbeOutput(
    {
      output,
      nonce: options.nonce ?? FIXTURE_NONCE,
      sha256: 'f'.repeat(64),
      durationMs: 1500,
      complete: options.complete ?? true,
      collectedAt: '2023-11-21T11:31:00.000Z',
    },
    {name: 'fixture', transport: 'snapshot', sudo: true},
  )
}

export function parseFixture(name: FixtureName): HostFacts {
  return parseOutput(readFixture(name))
}

/** The names of the sections in probe output, in the order their BEGIN markers appear. */
export function sectionNames(output: string): string[] {
  const begin = new RegExp(`^${MARKER} BEGIN ([a-z]+) `, 'gm')
  return [...output.matchAll(begin)].map((m) => m[1]!)
}

/** Probe output cut into its framed sections (BEGIN through END, with the trailing newline). */
export function sectionBlocks(output: string): {name: string; text: string}[] {
  const blocks: {name: string; text: string}[] = []
  const re = new RegExp(`^${MARKER} BEGIN ([a-z]+) [^\\n]*\\n[\\s\\S]*?^${MARKER} END \\1 [^\\n]*\\n`, 'gm')
  for (const m of output.matchAll(re)) blocks.push({name: m[1]!, text: m[0]})
  return blocks
}

/** Replaces the body of one section (what sec_NAME printed) and keeps its framing. */
export function withSectionBody(output: string, name: string, body: string): string {
  const re = new RegExp(`(^${MARKER} BEGIN ${name} [^\\n]*\\n)[\\s\\S]*?(\\n${MARKER} RC )`, 'm')
  if (!re.test(output)) throw new Error(`no section ${name} in the fixture`)
  return output.replace(re, (_m, begin: string, rc: string) => `${begin}${body}${rc}`)
}
