import {describe, expect, it} from 'vitest'
import {HoistError, printable} from '../../src/errors.js'

describe('errors', () => {
  it('show what a host said without its control characters or escape sequences', () => {
    const said = 'refused\u001b]0;pwned\u0007\u001b[2J\r\u0085ok'
    const e = new HoistError('PROBE_FAILED', `web01: the probe did not run: ${said}`, 'see\u001b[31m red', {host: 'web\u001b01'})
    expect(e.message).toBe('web01: the probe did not run: refused\\x1b]0;pwned\\x07\\x1b[2J\\x0d\\x85ok')
    expect(e.suggestion).toBe('see\\x1b[31m red')
    expect(e.host).toBe('web\\x1b01')
    expect(JSON.stringify(e.toJSON())).not.toMatch(/\\u00(1b|07)/)
  })

  it('keep newlines and tabs, which the messages use themselves', () => {
    expect(printable('a\n\tb')).toBe('a\n\tb')
  })
})
