import {describe, expect, it} from 'vitest'
import {splitSections} from '../../../src/collect/probe/framing.js'
import {ProbeParser} from '../../../src/collect/probe/parse.js'
import {SECTION_PARSERS} from '../../../src/collect/probe/sections.js'
import type {HostFacts} from '../../../src/types/facts.js'
import {assertHostFacts} from '../../../src/types/validate.js'
import {FIXTURE_NONCE, MARKER, parseOutput, readFixture, sectionBlocks} from './probe-fixtures.js'
import {Random} from './random.js'

// Hostile, damaged and cut-off probe output, made from the real debian12 capture: the parser must
// never throw, must always return valid HostFacts, and must say which sections it could not trust.

const BASE = readFixture('debian12')
const SECTIONS = Object.keys(SECTION_PARSERS)

/** The real output with each part of each section cut to its first few lines: same shape, faster to parse. */
function compact(output: string, perPart: number): string {
  const out: string[] = []
  let kept = 0
  for (const line of output.split('\n')) {
    if (line.startsWith(MARKER)) {
      out.push(line)
      kept = 0
    } else if (kept++ < perPart) {
      out.push(line)
    }
  }
  return out.join('\n')
}

const SMALL = compact(BASE, 8)

const META_LINES = ['$(reboot)', '`id`', 'a; rm -rf / #', '|| true && echo', '${IFS}x', '\'"\\', '> /etc/passwd', '*?[a-z]{1,2}', '#!/bin/sh -e']
const FAKE_MARKERS = [
  '@@HOIST-ffffffffffffffff BEGIN meta 1.00', '@@HOIST-ffffffffffffffff END processes 1.00', '@@HOIST-ffffffffffffffff DONE',
  '@@HOIST- BEGIN processes 1.00', '@@HOIST- END environ', '@@HOIST-0123456789abcde END os 1.00', `${MARKER.slice(0, -1)}0 BEGIN cron 1.00`,
  `${MARKER}X END users 1.00`, `x${MARKER} END users 1.00`, '@@HOIST-FFFFFFFFFFFFFFFF RC 0',
]
const ODD_FIELDS = ['', '-1', 'NaN', '99999999999999999999999', 'ffff', '(', ')', ':', '\t', '0x10', '1e309', '-', '/', '@@HOIST-']

function randomBytes(r: Random, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += r.chance(0.05) ? '\ufffd' : String.fromCharCode(r.int(256))
  return s
}

function longLine(r: Random): string {
  const unit = r.pick(['a', 'a-', 'eyJ', 'xoxb-', 'pass=', 'a:', '--token ', '"k": "', '://u:p', '\u0001', '(', ' '])
  const prefix = r.pick(['', '4242/cmdline:', '4242/environ:X=', '/etc/systemd/system/x.service:ExecStart=', '0 * * * * root ', 'cpu  '])
  return prefix + unit.repeat(Math.ceil(100_000 / unit.length))
}

interface Frame {
  name: string
  begin: number
  rc: number
  end: number
}

/** Line numbers of each section's BEGIN, RC and END markers. */
function frames(lines: string[]): Frame[] {
  const out: Frame[] = []
  let current: Frame | undefined
  lines.forEach((line, i) => {
    if (!line.startsWith(MARKER)) return
    const [verb, name] = line.slice(MARKER.length + 1).split(' ')
    if (verb === 'BEGIN') current = {name: name ?? '', begin: i, rc: -1, end: -1}
    else if (verb === 'RC' && current) current.rc = i
    else if (verb === 'END' && current) {
      current.end = i
      out.push(current)
      current = undefined
    }
  })
  return out
}

type Mutation = (lines: string[], r: Random) => string

const MUTATIONS: Record<string, Mutation> = {
  dropLines: (lines, r) => {
    for (let k = 1 + r.int(6); k > 0; k--) lines.splice(r.int(lines.length), 1)
    return 'drop lines'
  },
  duplicateLines: (lines, r) => {
    for (let k = 1 + r.int(6); k > 0; k--) lines.splice(r.int(lines.length), 0, lines[r.int(lines.length)]!)
    return 'duplicate lines'
  },
  binaryLine: (lines, r) => {
    lines.splice(r.int(lines.length), 0, randomBytes(r, 1 + r.int(200)))
    return 'insert a binary line'
  },
  binaryInLine: (lines, r) => {
    const i = r.int(lines.length)
    const line = lines[i]!
    const at = r.int(line.length + 1)
    lines[i] = line.slice(0, at) + randomBytes(r, 1 + r.int(20)) + line.slice(at)
    return `insert binary bytes into line ${i}`
  },
  nulBytes: (lines, r) => {
    const i = r.int(lines.length)
    lines[i] = lines[i]!.replace(/ /g, () => (r.chance(0.3) ? '\u0000' : ' '))
    return `NULs for blanks in line ${i}`
  },
  longLine: (lines, r) => {
    lines.splice(r.int(lines.length), 0, longLine(r))
    return 'insert a 100 KB line'
  },
  shellMeta: (lines, r) => {
    lines.splice(r.int(lines.length), 0, r.pick(META_LINES))
    return 'insert shell metacharacters'
  },
  fakeMarker: (lines, r) => {
    lines.splice(r.int(lines.length), 0, r.pick(FAKE_MARKERS))
    return 'insert a marker with a wrong or no nonce'
  },
  wrongEnd: (lines, r) => {
    lines.splice(r.int(lines.length), 0, `${MARKER} END ${r.pick(SECTIONS)} 1.00`)
    return 'insert an END for some section'
  },
  oddField: (lines, r) => {
    const i = r.int(lines.length)
    const fields = lines[i]!.split(' ')
    fields[r.int(fields.length)] = r.pick(ODD_FIELDS)
    lines[i] = fields.join(' ')
    return `odd field in line ${i}`
  },
  garbageEverywhere: (lines, r) => {
    for (const f of frames(lines).reverse()) {
      for (let k = 1 + r.int(3); k > 0; k--) {
        const at = f.begin + 1 + r.int(Math.max(1, f.rc - f.begin))
        lines.splice(at, 0, r.chance(0.5) ? randomBytes(r, 1 + r.int(60)) : r.pick([...META_LINES, ...FAKE_MARKERS]))
      }
    }
    return 'garbage inside every section'
  },
  reorder: (lines, r) => {
    const text = lines.join('\n')
    const blocks = sectionBlocks(text)
    const shuffled = [...blocks]
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = r.int(i + 1)
      ;[shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]
    }
    lines.splice(0, lines.length, ...(shuffled.map((b) => b.text).join('') + `${MARKER} DONE\n`).split('\n'))
    return 'reorder sections'
  },
}
const MUTATION_NAMES = Object.keys(MUTATIONS)

function parseChecked(output: string, label: string): HostFacts {
  let facts: HostFacts
  try {
    facts = parseOutput(output)
  } catch (error) {
    throw new Error(`${label}: parseProbeOutput threw: ${(error as Error).stack}`)
  }
  try {
    assertHostFacts(facts, label)
  } catch (error) {
    throw new Error(`${label}: ${(error as Error).message}`)
  }
  return facts
}

function mutate(base: string, r: Random, count: number, allowLong: boolean): {output: string; label: string} {
  const lines = base.split('\n')
  const applied: string[] = []
  for (let k = 0; k < count; k++) {
    let name = r.pick(MUTATION_NAMES)
    if (name === 'longLine' && !allowLong) name = 'shellMeta'
    applied.push(MUTATIONS[name]!(lines, r))
  }
  return {output: lines.join('\n'), label: applied.join(', ')}
}

/** What the cut-off output must say: the section it stopped in, and every section it never reached. */
function expectedCutErrors(cut: string): {stoppedIn?: string; rcSeen: boolean; missing: string[]; done: boolean} {
  const lines = cut.split('\n')
  let open: string | undefined
  let rcSeen = false
  const seen = new Set<string>()
  for (const line of lines) {
    if (!line.startsWith(`${MARKER} `)) continue
    const [verb = '', name = ''] = line.slice(MARKER.length + 1).split(' ')
    if (verb === 'BEGIN') {
      open = name
      rcSeen = false
      seen.add(name)
    } else if (verb === 'RC' && open !== undefined) {
      // A cut inside the RC line itself leaves no usable exit status.
      rcSeen = name !== '' && Number.isFinite(Number(name))
    } else if (verb === 'END' && open !== undefined) {
      open = undefined
    }
  }
  return {stoppedIn: open, rcSeen, missing: SECTIONS.filter((s) => !seen.has(s)), done: lines.includes(`${MARKER} DONE`)}
}

describe('fuzzing the parser with damaged real output', () => {
  it('survives 1500 random mutations of the (compacted) debian12 output', () => {
    const r = new Random(1)
    for (let i = 0; i < 1500; i++) {
      const {output, label} = mutate(SMALL, r, 1 + r.int(4), r.chance(0.02))
      parseChecked(output, `case ${i} (${label})`)
    }
  })

  it('survives 150 random mutations of the full debian12 output', () => {
    const r = new Random(2)
    for (let i = 0; i < 150; i++) {
      const {output, label} = mutate(BASE, r, 1 + r.int(2), r.chance(0.05))
      parseChecked(output, `case ${i} (${label})`)
    }
  })

  it('gives the same facts fed in random pieces, as a scan reads it, as in one piece, for 300 mutations', () => {
    const r = new Random(7)
    for (let i = 0; i < 300; i++) {
      const {output, label} = mutate(SMALL, r, 1 + r.int(4), false)
      const bytes = Buffer.from(output)
      const parser = new ProbeParser(FIXTURE_NONCE)
      for (let at = 0; at < bytes.length;) {
        const size = 1 + r.int(r.chance(0.5) ? 8 : 4096)
        parser.push(bytes.subarray(at, at + size))
        at += size
      }
      const pieces = parser.finish({sha256: 'f'.repeat(64), durationMs: 1500, complete: true, collectedAt: '2023-11-21T11:31:00.000Z'}, {name: 'fixture', transport: 'snapshot', sudo: true})
      expect(pieces, `mutation ${i}: ${label}`).toEqual(parseChecked(output, label))
    }
  })

  it('names the section a cut-off output stopped in, and every section it never reached', () => {
    const r = new Random(3)
    for (let i = 0; i < 1500; i++) {
      const base = i % 30 === 0 ? BASE : SMALL
      const cut = base.slice(0, r.int(base.length))
      const facts = parseChecked(cut, `cut ${i} at ${cut.length}`)
      const {stoppedIn, rcSeen, missing, done} = expectedCutErrors(cut)
      if (stoppedIn !== undefined) {
        expect(facts.probeErrors, `cut ${i}`).toContainEqual({section: stoppedIn, message: expect.stringContaining('stopped inside this section')})
        // Cut before its exit status, the section's own output is incomplete too.
        expect(facts.transcript.find((t) => t.section === stoppedIn)?.truncated, `cut ${i}`).toBe(!rcSeen)
      }
      for (const name of missing) {
        expect(facts.probeErrors, `cut ${i}`).toContainEqual({section: name, message: expect.stringContaining('no such section')})
      }
      const ended = {section: 'probe', message: 'the probe ended before its last section'}
      if (done) expect(facts.probeErrors, `cut ${i}`).not.toContainEqual(ended)
      else expect(facts.probeErrors, `cut ${i}`).toContainEqual(ended)
      expect(facts.probe.complete, `cut ${i}`).toBe(done)
    }
  })

  it('reads sections in any order to the same facts', () => {
    const r = new Random(4)
    const withoutTranscript = (f: HostFacts) => ({...f, transcript: [], probe: {...f.probe, bytes: 0}})
    const original = withoutTranscript(parseChecked(BASE, 'original'))
    for (let i = 0; i < 15; i++) {
      const lines = BASE.split('\n')
      MUTATIONS.reorder!(lines, r)
      const shuffled = lines.join('\n')
      expect(shuffled).not.toBe(BASE)
      expect(withoutTranscript(parseChecked(shuffled, `order ${i}`))).toEqual(original)
    }
  })

  it('reports a section that an END for another section closed before its exit status', () => {
    const lines = BASE.split('\n')
    for (const f of frames(lines).filter((x) => x.rc - x.begin > 2)) {
      const damaged = [...lines]
      const other = SECTIONS.find((s) => s !== f.name)!
      damaged.splice(f.begin + 2, 0, `${MARKER} END ${other} 1.00`)
      const facts = parseChecked(damaged.join('\n'), `END ${other} inside ${f.name}`)
      expect(facts.probeErrors, f.name).toContainEqual({section: f.name, message: expect.stringContaining('cut at the section')})
    }
  })

  it('takes 100 KB lines in every section in linear time', () => {
    const r = new Random(5)
    const lines = SMALL.split('\n')
    for (const f of frames(lines).reverse()) lines.splice(f.begin + 1, 0, longLine(r), longLine(r))
    const started = performance.now()
    parseChecked(lines.join('\n'), '100 KB lines')
    expect(performance.now() - started).toBeLessThan(5000)
  })
})

describe('markers that are not this run\'s', () => {
  const clean = parseOutput(BASE)

  it.each([
    ['a wrong nonce', '@@HOIST-ffffffffffffffff'],
    ['no nonce', '@@HOIST-'],
    ['a nonce one digit short', `@@HOIST-${FIXTURE_NONCE.slice(0, 15)}`],
  ])('with %s neither open nor close a section, inside any section', (_label, fake) => {
    const lines = BASE.split('\n')
    for (const f of frames(lines).reverse()) {
      lines.splice(f.begin + 1, 0, `${fake} END ${f.name} 1.00`, `${fake} BEGIN injected 1.00`, `${fake} RC 0`, `${fake} DONE`)
    }
    const output = lines.join('\n')
    const framed = splitSections(output, FIXTURE_NONCE)
    expect([...framed.sections.keys()]).toEqual([...splitSections(BASE, FIXTURE_NONCE).sections.keys()])
    expect(framed.done).toBe(true)
    for (const section of framed.sections.values()) {
      expect(section.exitCode, section.name).not.toBeNull()
      expect(section.lines[0], section.name).toBe(`${fake} END ${section.name} 1.00`)
    }
    const facts = parseChecked(output, fake)
    expect(facts.probeErrors).toEqual([])
    expect(facts.processes).toEqual(clean.processes)
    expect(facts.listeners).toEqual(clean.listeners)
    expect(facts.units).toEqual(clean.units)
  })
})
