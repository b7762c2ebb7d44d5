import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {generatedPath, generatedSource, PRECOMPILED} from '../../../src/types/standalone.js'
import {assertHostFacts} from '../../../src/types/validate.js'
import {ingestSnapshot} from '../../../src/collect/collect.js'

const example = () =>
  ingestSnapshot(readFileSync('examples/debian12-web/probe-output.txt', 'utf8'), {name: 'x', transport: 'snapshot', sudo: false}, 'example')

describe('schemas', () => {
  it.each(Object.keys(PRECOMPILED))('the precompiled %s validator matches its schema (run `npm run schemas` after changing one)', (name) => {
    expect(readFileSync(generatedPath(name), 'utf8')).toBe(generatedSource(name))
  })

  it('accepts facts parsed from real probe output', () => {
    expect(() => assertHostFacts(example(), 'example')).not.toThrow()
  })

  it('rejects unknown keys, wrong types and bad timestamps, naming the place', () => {
    const facts = example() as unknown as Record<string, unknown>
    expect(() => assertHostFacts({...facts, extra: 1}, 'f.json')).toThrow(/f\.json is not valid HostFacts: \(top\): unknown key "extra"/)
    expect(() => assertHostFacts({...facts, processes: [{pid: 'one'}]}, 'f.json')).toThrow(/\/processes\/0/)
    expect(() => assertHostFacts({...facts, collectedAt: 'yesterday'}, 'f.json')).toThrow(/\/collectedAt/)
  })
})
