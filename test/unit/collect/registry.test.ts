import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {buildProbe, probeTemplate} from '../../../src/collect/probe/script.js'
import {SECTION_PARSERS} from '../../../src/collect/probe/sections.js'
import {functionBodies, probeSections} from '../../../src/collect/probe/transcript.js'

const template = probeTemplate()
const rendered = buildProbe({nonce: '0123456789abcdef'}).script

/**
 * The script with what the shell never executes blanked out: single-quoted strings (the awk
 * program, sed and grep patterns, printf formats) and comments. What is left is shell syntax, so a
 * `>` there is a redirection.
 */
function shellSyntax(script: string): string {
  let out = ''
  let i = 0
  while (i < script.length) {
    const c = script[i]!
    if (c === '\\') {
      out += script.slice(i, i + 2)
      i += 2
    } else if (c === "'") {
      const close = script.indexOf("'", i + 1)
      const end = close < 0 ? script.length : close + 1
      out += script.slice(i, end).replace(/[^\n]/g, ' ')
      i = end
    } else if (c === '#' && (i === 0 || /\s/.test(script[i - 1]!))) {
      const eol = script.indexOf('\n', i)
      i = eol < 0 ? script.length : eol
    } else {
      out += c
      i++
    }
  }
  return out
}

function lineOf(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1
  const end = text.indexOf('\n', index)
  return text.slice(start, end < 0 ? undefined : end).trim()
}

describe('probe section registry', () => {
  const sections = probeSections(template)
  const bodies = functionBodies(template)

  it('runs sections under unique names', () => {
    expect(sections.length).toBeGreaterThan(10)
    expect(new Set(sections).size).toBe(sections.length)
  })

  it('has a parser for every section the probe runs, and no parser without a section', () => {
    expect([...sections].sort()).toEqual(Object.keys(SECTION_PARSERS).sort())
  })

  it('has a sec_NAME function for every section, and runs every sec_NAME function', () => {
    expect([...bodies.keys()].sort()).toEqual([...sections].sort())
    for (const name of sections) expect(bodies.get(name)?.length, `sec_${name} has a body`).toBeGreaterThan(0)
  })
})

describe('the rendered probe', () => {
  const code = shellSyntax(rendered)

  it('has every parameter filled in', () => {
    expect(rendered).not.toMatch(/__[A-Z_]+__/)
    expect(rendered).toContain("M='@@HOIST-0123456789abcdef'")
  })

  it('passes shellcheck -s sh', () => {
    // shellcheck exits non-zero and prints its findings when it has any.
    const run = () => execFileSync('shellcheck', ['-s', 'sh', '-'], {input: rendered, encoding: 'utf8'})
    expect(run).not.toThrow()
  })

  it('blanks only quoted text and comments when looking for shell syntax', () => {
    expect(code).toContain('run_section meta 65536')
    expect(code).toContain('2>/dev/null')
    expect(code).not.toContain('BEGIN PRIVATE')
    expect(code).not.toContain('function secretname')
  })

  it('writes no here-document', () => {
    expect(code).not.toContain('<<')
  })

  it('redirects output only to /dev/null or to its own standard streams', () => {
    const bad: string[] = []
    for (const m of code.matchAll(/>{1,2}\|?\s*([^\s;)|]+)/g)) {
      if (!['/dev/null', '&1', '&2'].includes(m[1]!)) bad.push(lineOf(code, m.index))
    }
    expect(bad).toEqual([])
  })

  it('runs no command that creates or removes files', () => {
    const withoutComments = rendered.replace(/^\s*#.*$/gm, '')
    expect(withoutComments).not.toMatch(/\b(mktemp|touch|tee|mkdir|rmdir|truncate|install)\b/)
    expect(withoutComments).not.toMatch(/(^|[\s;|&(])rm\s/m)
    expect(withoutComments).not.toMatch(/(^|[\s;|&(])(cp|mv|ln|dd)\s/m)
  })
})
