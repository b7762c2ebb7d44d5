import {describe, expect, it} from 'vitest'
import {QUESTIONS, questionFor, serviceQuestionId} from '../../../src/wizard/questions.js'

describe('the question catalogue', () => {
  it('has unique, stable ids: answers.yaml files depend on them', () => {
    const ids = QUESTIONS.map((q) => q.id)
    expect(new Set(ids).size).toBe(ids.length)
    // Changing this list breaks every saved answers.yaml: add ids, never rename one.
    expect(ids).toMatchInlineSnapshot(`
      [
        "target",
        "identity",
        "trust-host-key",
        "sudo",
        "sample",
        "out",
        "services.*.include",
        "services.*.rename",
        "services.*.base-image",
        "prices.currency",
        "prices.vcpu-hour",
        "prices.gib-hour",
      ]
    `)
  })

  it('asks for nothing secret: passwords belong to the SSH layer', () => {
    expect(QUESTIONS.map((q) => q.id).join(' ')).not.toMatch(/pass|secret|token/i)
  })

  it('resolves per-service ids, for one host or several', () => {
    expect(questionFor(serviceQuestionId('nginx', 'rename'))?.id).toBe('services.*.rename')
    expect(questionFor('services.web01/my.app.include')?.id).toBe('services.*.include')
    expect(questionFor('services.*.include')).toBeUndefined()
    expect(questionFor('services.Nginx.include')).toBeUndefined()
    expect(questionFor('services.nginx.port')).toBeUndefined()
    expect(questionFor('password')).toBeUndefined()
  })

  it('keeps service names safe and unique', () => {
    const rename = questionFor('services.app.rename')!
    const ctx = {prices: {}, service: {host: 'web01', name: 'app', kind: 'runtime', policy: 'same-os' as const, sameOsImage: 'debian:12', otherNames: ['db']}}
    expect(rename.validate!('billing', ctx)).toBe(true)
    expect(rename.validate!('db', ctx)).toMatch(/another service/)
    expect(rename.validate!('../x', ctx)).toMatch(/lower-case/)
    expect(rename.validate!('Billing', ctx)).toMatch(/lower-case/)
  })
})
