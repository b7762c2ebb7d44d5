import {existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {writeAtomic} from '../../../src/workspace/write.js'

describe('atomic writes', () => {
  it('replace the file whole, and sweep temporaries a killed writer left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'write-'))
    const file = join(dir, 'facts.json')
    const dead = join(dir, 'facts.json.999999.0badc0de.tmp') // no process 999999: its writer died
    const live = join(dir, `facts.json.${process.ppid}.0badc0de.tmp`) // a live writer's: kept
    const other = join(dir, 'plan.yaml.999999.0badc0de.tmp') // another file's: not ours to touch
    for (const f of [dead, live, other]) writeFileSync(f, 'half')
    await writeAtomic(file, '{"whole": true}\n')
    expect(readFileSync(file, 'utf8')).toBe('{"whole": true}\n')
    expect(existsSync(dead)).toBe(false)
    expect(existsSync(live)).toBe(true)
    expect(existsSync(other)).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['facts.json', `facts.json.${process.ppid}.0badc0de.tmp`, 'plan.yaml.999999.0badc0de.tmp'].sort())
  })
})
