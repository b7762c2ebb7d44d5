import {describe, expect, it, vi} from 'vitest'
import {splitSections} from '../../../src/collect/probe/framing.js'
import {ProbeParser} from '../../../src/collect/probe/parse.js'
import {parseProcesses} from '../../../src/collect/probe/parsers/processes.js'
import {SECTION_PARSERS} from '../../../src/collect/probe/sections.js'
import type {HostFacts, ProbeError} from '../../../src/types/facts.js'
import {FIXTURE_NONCE, MARKER, parseOutput, readFixture} from './probe-fixtures.js'
import {Random} from './random.js'

const N = '0123456789abcdef'
const M = `@@HOIST-${N}`

describe('probe framing and its notes', () => {
  it('says when a section is closed by another section\'s end marker', () => {
    const framed = splitSections([`${M} BEGIN meta 1.0`, 'hostname=h', `${M} END os 1.1`, `${M} DONE`].join('\n'), N)
    expect(framed.errors).toEqual([{section: 'meta', message: 'the end marker of section "os" arrived inside it: its output is suspect'}])
  })

  it('reads a replaced executable as its path, and says it was replaced', () => {
    const errors: ProbeError[] = []
    const lines = [
      `${M} STAT`,
      '812 (nginx) S 1 812 812 0 -1 4194560 0 0 0 0 5 3 0 0 20 0 1 0 100 1000 200 18446744073709551615',
      `${M} LINKS`,
      'lrwxrwxrwx 1 root root 0 Nov 22 21:00 812/exe -> /usr/sbin/nginx (deleted)',
      'lrwxrwxrwx 1 root root 0 Nov 22 21:00 812/cwd -> /',
    ]
    const [p] = parseProcesses(lines, {section: 'processes', nonce: N, errors}, {hostname: 'h', clockTicks: 100, pageSize: 4096, tools: []})
    expect(p?.exe).toBe('/usr/sbin/nginx')
    expect(errors).toEqual([{section: 'processes', message: 'process 812 (nginx) runs a deleted executable: /usr/sbin/nginx was replaced since it started'}])
  })
})

describe('parsing probe output while it arrives', () => {
  const run = {sha256: 'f'.repeat(64), durationMs: 1500, complete: true, collectedAt: '2023-11-21T11:31:00.000Z'}
  const identity = {name: 'fixture', transport: 'snapshot', sudo: true} as const

  /** Feeds bytes in random pieces (1 byte to 64 KiB) the way an SSH channel delivers them. */
  function streamed(bytes: Buffer, seed: number): HostFacts {
    const r = new Random(seed)
    const parser = new ProbeParser(FIXTURE_NONCE)
    for (let at = 0; at < bytes.length;) {
      const size = r.int(4) === 0 ? 1 + r.int(4) : 1 + r.int(65536)
      parser.push(bytes.subarray(at, at + size))
      at += size
    }
    return parser.finish(run, identity)
  }

  for (const name of ['debian12', 'rhel8', 'alpine318'] as const) {
    it(`gives the same facts as parsing the whole ${name} output at once, however it is cut`, () => {
      const whole = parseOutput(readFixture(name))
      for (const seed of [1, 2, 3]) expect(streamed(Buffer.from(readFixture(name)), seed)).toEqual(whole)
    })
  }

  it('keeps a character split between two pieces whole', () => {
    const output = readFixture('debian12').replace(/^(PRETTY_NAME=".*)"$/m, '$1 — Ærø ☃"')
    const bytes = Buffer.from(output)
    const at = bytes.indexOf(Buffer.from('☃')) + 1
    const parser = new ProbeParser(FIXTURE_NONCE)
    parser.push(bytes.subarray(0, at))
    parser.push(bytes.subarray(at))
    expect(parser.finish(run, identity).os.prettyName).toMatch(/— Ærø ☃$/)
  })

  it('parses a section as soon as it and those before it are over, not at the end', () => {
    const output = readFixture('debian12')
    const parser = new ProbeParser(FIXTURE_NONCE)
    const probed = vi.spyOn(SECTION_PARSERS, 'processes')
    try {
      // Everything up to the end of the processes section: the parse of processes has happened.
      const end = output.indexOf('\n', output.indexOf(`${MARKER} END processes `)) + 1
      parser.push(output.slice(0, end))
      expect(probed).toHaveBeenCalledTimes(1)
      parser.push(output.slice(end))
      expect(parser.finish(run, identity).processes.length).toBeGreaterThan(10)
      expect(probed).toHaveBeenCalledTimes(1)
    } finally {
      probed.mockRestore()
    }
  })

  it('ignores a repeated section and says so', () => {
    const framed = splitSections([`${M} BEGIN meta 1.0`, 'hostname=a', `${M} END meta 1.1`, `${M} BEGIN meta 1.2`, 'hostname=b', `${M} END meta 1.3`, `${M} DONE`].join('\n'), N)
    expect(framed.sections.get('meta')?.lines).toEqual(['hostname=a'])
    expect(framed.errors).toEqual([{section: 'meta', message: 'the probe printed this section twice: the repeat is ignored'}])
  })

  it('reads a huge line that arrives in many pieces in linear time', () => {
    const parser = new ProbeParser(FIXTURE_NONCE)
    parser.push(`${MARKER} BEGIN meta 1.0\n`)
    const piece = Buffer.alloc(32 * 1024, 'x')
    const started = performance.now()
    for (let i = 0; i < 2048; i++) parser.push(piece) // 64 MiB without a newline
    parser.push(`\n${MARKER} END meta 1.1\n`)
    const facts = parser.finish(run, identity)
    expect(facts.probeErrors.some((e) => e.section === 'meta')).toBe(true)
    expect(performance.now() - started).toBeLessThan(20_000)
  })
})
