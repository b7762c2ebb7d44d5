import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {detect} from '../../../src/detect/engine.js'
import {loadRules} from '../../../src/detect/load.js'
import {loadExampleFacts} from '../../../src/detect/rule-test.js'
import {buildPlan} from '../../../src/plan/build.js'
import {percentile} from '../../../src/plan/resources.js'
import {loadPlan, planFiles, writePlan} from '../../../src/workspace/plan-file.js'

async function examplePlan() {
  const facts = await loadExampleFacts('examples/debian12-web/probe-output.txt')
  const facts2 = {...facts, host: {...facts.host, name: 'web'}}
  return buildPlan(detect(facts2, await loadRules()), facts2)
}

describe('the plan', () => {
  it('derives each service from what was observed, and records why', async () => {
    const plan = await examplePlan()
    const nginx = plan.services.find((s) => s.rule === 'web/nginx')!
    expect(nginx.baseImage).toEqual({policy: 'same-os', image: 'debian:12'})
    expect(nginx.user).toBe('root')
    expect(plan.decisions).toContainEqual(expect.objectContaining({service: 'nginx', field: 'user', because: expect.stringContaining('port 80')}))
    expect(nginx.healthcheck).toEqual({type: 'http', port: 80, path: '/'})
    expect(nginx.packages.map((p) => p.name)).toContain('nginx')
    const pg = plan.services.find((s) => s.rule === 'db/postgresql')!
    expect(pg.command.slice(0, 3)).toEqual(['/usr/lib/postgresql/15/bin/postgres', '-D', '/var/lib/postgresql/15/main'])
    expect(pg.volumes.map((v) => v.path)).toEqual(['/var/lib/postgresql'])
    const redis = plan.services.find((s) => s.rule === 'cache/redis')!
    expect(redis.command[0]).toBe('/usr/bin/redis-server') // from its unit: the process rewrote its title
    const app = plan.services.find((s) => s.rule === 'runtime/python')!
    expect(app.user).toBe('billing')
    expect(app.secrets).toEqual(['BILLING_DB_PASSWORD'])
    expect(app.environment).not.toHaveProperty('BILLING_DB_PASSWORD')
    const job = plan.services.find((s) => s.rule === 'batch/cron-job')!
    expect(job.schedule).toBe('30 2 * * *')
  })

  it('sizes from samples: p95 × headroom, with floors', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10)
    expect(percentile([5], 95)).toBe(5)
  })

  it('keeps a consultant\'s edits when re-planned, and --force replaces them', async () => {
    const out = mkdtempSync(join(tmpdir(), 'plan-'))
    const plan = await examplePlan()
    expect((await writePlan(out, plan, false)).kept).toBe(false)
    const files = planFiles(out, 'web')
    const text = readFileSync(files.plan, 'utf8')
    const at = text.indexOf('    user: billing\n', text.indexOf('rule: runtime/python'))
    const edited = `${text.slice(0, at)}    user: appuser\n${text.slice(at + '    user: billing\n'.length)}`
    writeFileSync(files.plan, edited)
    const again = await writePlan(out, plan, false)
    expect(again).toEqual({file: files.proposed, kept: true})
    expect(readFileSync(files.plan, 'utf8')).toBe(edited)
    expect((await loadPlan(out, 'web')).services.find((s) => s.rule === 'runtime/python')?.user).toBe('appuser')
    expect((await writePlan(out, plan, true)).kept).toBe(false)
    expect(readFileSync(files.plan, 'utf8')).not.toContain('appuser')
  })

  it('rejects an invalid edit with the line and what is expected', async () => {
    const out = mkdtempSync(join(tmpdir(), 'plan-'))
    await writePlan(out, await examplePlan(), false)
    const file = planFiles(out, 'web').plan
    const lines = readFileSync(file, 'utf8').split('\n')
    const at = lines.findIndex((l) => l === '      - port: 6379')
    lines[at] = '      - port: sixty-three-seventy-nine'
    lines.splice(at + 2, 0, '        colour: red')
    writeFileSync(file, lines.join('\n'))
    const error = await loadPlan(out, 'web').catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toContain(`plan.yaml:${at + 1}: /services/2/ports/0/port: must be integer`)
    expect((error as Error).message).toContain(`plan.yaml:${at + 3}: /services/2/ports/0: unknown key "colour"`)
  })
})
