import {describe, expect, it} from 'vitest'
import {runBatch, type BatchEvent} from '../../../src/batch/runner.js'
import {HoistError} from '../../../src/errors.js'

const fail = (code: ConstructorParameters<typeof HoistError>[0]) => new HoistError(code, `${code} happened`, 'do something')

describe('the batch runner', () => {
  it('isolates failures, retries only transient ones with backoff, and skips what is done', async () => {
    const attempts = new Map<string, number>()
    const job = (name: string, behaviour: (n: number) => string) => ({
      name,
      run: async () => {
        const n = (attempts.get(name) ?? 0) + 1
        attempts.set(name, n)
        return behaviour(n)
      },
    })
    const events: BatchEvent[] = []
    const outcomes = await runBatch(
      [
        job('good', () => 'ok'),
        job('flaky', (n) => {
          if (n < 3) throw fail('SSH_TIMEOUT')
          return 'ok after retries'
        }),
        job('auth', () => {
          throw fail('SSH_AUTH_FAILED')
        }),
        job('hostkey', () => {
          throw fail('SSH_HOSTKEY_CHANGED')
        }),
        job('down', () => {
          throw fail('SSH_UNREACHABLE')
        }),
        job('done-before', () => 'should not run'),
      ],
      {concurrency: 3, retries: 2, backoffMs: 5, skip: (name) => (name === 'done-before' ? 'scanned already' : undefined), onEvent: (e) => events.push(e)},
    )
    expect(outcomes.map((o) => [o.name, o.status])).toEqual([
      ['good', 'done'], ['flaky', 'done'], ['auth', 'failed'], ['hostkey', 'failed'], ['down', 'failed'], ['done-before', 'skipped'],
    ])
    expect(Object.fromEntries(attempts)).toEqual({good: 1, flaky: 3, auth: 1, hostkey: 1, down: 3})
    const delays = (name: string) => events.flatMap((e) => (e.type === 'retry' && e.name === name ? [e.delayMs] : []))
    expect(delays('flaky')).toEqual([5, 15])
    expect(delays('down')).toEqual([5, 15])
  })

  it('never runs more hosts at once than asked', async () => {
    let running = 0
    let peak = 0
    const jobs = Array.from({length: 20}, (_, i) => ({
      name: `h${i}`,
      run: async () => {
        peak = Math.max(peak, ++running)
        await new Promise((r) => setTimeout(r, 5))
        running--
      },
    }))
    await runBatch(jobs, {concurrency: 4, retries: 0, backoffMs: 1})
    expect(peak).toBe(4)
  })

  it('rethrows what is not a HoistError: a bug must not pass as a host failure', async () => {
    await expect(runBatch([{name: 'x', run: async () => { throw new TypeError('bug') }}], {concurrency: 1, retries: 0, backoffMs: 1})).rejects.toThrow('bug')
  })
})
