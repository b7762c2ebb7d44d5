import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {loadRules, parseRule} from '../../../src/detect/load.js'
import {overlappingRules, testRules} from '../../../src/detect/rule-test.js'

describe('the built-in rules', () => {
  it('load strictly, and every rule has examples', async () => {
    const rs = await loadRules()
    expect(rs.rules.length).toBeGreaterThan(5)
    for (const r of rs.rules) expect(r.examples.length, r.id).toBeGreaterThan(0)
  })

  it('every example passes (golden: the workloads each rule must find on real captured facts)', async () => {
    const results = await testRules(await loadRules())
    expect(results.filter((r) => !r.ok)).toEqual([])
  })

  it('no two rules claim the same process at equal precedence', async () => {
    expect(await overlappingRules(await loadRules())).toEqual([])
  })

  it('has a fallback that claims what no other rule did, at low confidence', async () => {
    const fallback = (await loadRules()).rules.find((r) => r.id === 'generic/listening-process')
    expect(fallback?.precedence).toBe(0)
    expect(fallback?.confidence).toBeLessThan(0.5)
  })
})

const GOOD = `id: web/demo
title: Demo
summary: A demo rule.
kind: webserver
match:
  process: {comm: '^demo$'}
emit:
  name: demo
examples:
  - facts: examples/debian12-web/probe-output.txt
    expect: []
`

describe('the rule loader', () => {
  it('names the file and line of an unknown key', () => {
    const text = GOOD.replace('  name: demo\n', '  name: demo\n  colour: blue\n')
    expect(() => parseRule(text, 'rules/web/demo.yaml', 'web/demo')).toThrow(/rules\/web\/demo\.yaml:9: \/emit: unknown key "colour"/)
  })

  it('rejects a regex that does not compile, with its line', () => {
    const text = GOOD.replace("'^demo$'", () => "'^(demo$'")
    expect(() => parseRule(text, 'demo.yaml', 'web/demo')).toThrow(/demo\.yaml:6: \/match\/process\/comm: not a valid regular expression/)
  })

  it('requires the id to equal the path, and exactly one anchor', () => {
    expect(() => parseRule(GOOD, 'x.yaml', 'web/other')).toThrow(/id "web\/demo" must equal the file's path/)
    const two = GOOD.replace("  process: {comm: '^demo$'}\n", () => "  process: {comm: '^demo$'}\n  cron: {command: x}\n")
    expect(() => parseRule(two, 'x.yaml', 'web/demo')).toThrow(/exactly one anchor/)
  })

  it('takes a user folder whose rule replaces a built-in one, and disables rules by id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'))
    mkdirSync(join(dir, 'web'))
    writeFileSync(join(dir, 'web', 'nginx.yaml'), GOOD.replace('web/demo', 'web/nginx').replace('title: Demo', 'title: Our nginx'))
    const rs = await loadRules({dirs: [dir], disabled: ['cache/redis']})
    expect(rs.rules.find((r) => r.id === 'web/nginx')?.title).toBe('Our nginx')
    expect(rs.rules.find((r) => r.id === 'cache/redis')).toBeUndefined()
    await expect(loadRules({disabled: ['no/such']})).rejects.toThrow(/unknown rule: no\/such/)
  })
})
