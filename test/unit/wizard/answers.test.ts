import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import type {HoistError} from '../../../src/errors.js'
import {loadAnswers, parseSetFlags, renderAnswers, saveAnswers} from '../../../src/wizard/answers.js'

const dir = mkdtempSync(join(tmpdir(), 'hoist-answers-'))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('answers.yaml', () => {
  it('round-trips, in the catalogue\'s order with services last', async () => {
    const answers = {'services.redis.rename': 'cache', 'services.app.include': true, 'prices.currency': 'EUR', target: 'web01', 'services.redis.include': false, sudo: false}
    const text = renderAnswers(answers)
    expect(text.split('\n').filter((l) => !l.startsWith('#'))).toEqual([
      'target: web01', 'sudo: false', 'prices.currency: EUR', 'services.app.include: true', 'services.redis.include: false', 'services.redis.rename: cache', '',
    ])
    const path = join(dir, 'saved.yaml')
    await saveAnswers(path, answers)
    expect((await loadAnswers(path)).file).toEqual(answers)
  })

  it('rejects unknown ids and wrong types, naming each line', async () => {
    const path = file('bad.yaml', 'target: web01\npasword: hunter2\nsudo: "yes"\nservices.web01/app.include: true\nservices.app.colour: red\n')
    const error = (await loadAnswers(path).catch((e: unknown) => e)) as HoistError
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain(`${path}:2: unknown question id "pasword"`)
    expect(error.message).toContain(`${path}:3: sudo takes true or false, not "yes"`)
    expect(error.message).toContain(`${path}:5: unknown question id "services.app.colour"`)
    expect(error.message).not.toContain(':4:')
  })

  it('names the line of a syntax error, and of a later bad value', async () => {
    await expect(loadAnswers(file('syntax.yaml', 'target: [web01\n'))).rejects.toMatchObject({code: 'CONFIG_INVALID'})
    const {where} = await loadAnswers(file('where.yaml', '# answers\n\nservices.h1/app.rename: x\n'))
    expect(where('services.h1/app.rename')).toMatch(/where\.yaml:3$/)
  })

  it('takes --set ID=VALUE typed by the question', () => {
    expect(parseSetFlags(['sudo=yes', 'prices.vcpu-hour=0.05', 'services.app.rename=api', 'out=a=b'])).toEqual({sudo: true, 'prices.vcpu-hour': 0.05, 'services.app.rename': 'api', out: 'a=b'})
    expect(() => parseSetFlags(['colour=red'])).toThrow(/known question id/)
    expect(() => parseSetFlags(['sudo=maybe'])).toThrow(/true or false/)
  })
})
