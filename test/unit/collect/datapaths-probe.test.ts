import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

const MARKER = '@@HOIST-__NONCE__' // the probe's marker, unreplaced when sourced as a library

/** Runs one of the probe's functions for real, in this machine's sh, with the probe's variables set. */
function probe(call: string, budget: number): string[] {
  return execFileSync('sh', ['-c', `. ./src/collect/probe/probe.sh; HOIST_SIZE_BUDGET=${budget}; ${call}`], {
    env: {...process.env, HOIST_PROBE_LIBRARY: '1'},
    encoding: 'utf8',
  }).split('\n').filter(Boolean)
}

describe('data path sizing in the probe, within its time budget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoist-datapaths-'))
  mkdirSync(join(dir, 'a'))
  mkdirSync(join(dir, 'b *'))
  writeFileSync(join(dir, 'a', 'data'), Buffer.alloc(64 * 1024, 1))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('sizes a group of directories with one du, globs in names taken literally', () => {
    const lines = probe(`size_group '${dir}/a\n${dir}/b *' 5`, 5)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(new RegExp(`^\\d+\\t${dir}/a$`))
    expect(Number(lines[0]!.split('\t')[0])).toBeGreaterThanOrEqual(64)
    expect(lines[1]).toBe(`${Number(lines[1]!.split('\t')[0])}\t${dir}/b *`)
  })

  it('sizes nothing and says DEADLINE when no time is left', () => {
    expect(probe(`size_group '${dir}/a' 0 || echo cut short`, 0)).toEqual([`${MARKER} DEADLINE`, 'cut short'])
  })

  it('lists every candidate of this machine with "-" first, then sizes what the budget allows', () => {
    const unsized = probe('sec_datapaths', 0)
    const candidates = unsized.filter((l) => l.startsWith('-\t'))
    expect(candidates.length).toBeGreaterThan(0)
    expect(unsized).toEqual([...candidates, `${MARKER} DEADLINE`])

    const sized = probe('sec_datapaths', 60)
    expect(sized.filter((l) => l.startsWith('-\t'))).toEqual(candidates)
    const du = sized.filter((l) => /^\d+\t\//.test(l))
    expect(du.length).toBeGreaterThan(0)
    for (const line of du) expect(candidates).toContain(`-\t${line.split('\t')[1]}`)
    expect(sized).not.toContain(`${MARKER} DEADLINE`)
  })
})
